"""The follow-up cadence a work form and project length give (Samverkansmodellen, "Beskrivning av
arbetsprocess för uppföljning"): förstudie/projekt shorter than 18 months report at half time and at the end;
18 months or longer yearly and at the end; program and profilbärande område every six months."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from .enums import WorkForm

LONG_PROJECT_MONTHS = 18


def length_in_months(start, end) -> int:
    """Whole months from start to the day after end (a project 2027-01-01 – 2027-12-31 is 12 months)."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if after.day < start.day:
        months -= 1
    return months


def cadence_description(proposal) -> str:
    if proposal.work_form in (WorkForm.PROGRAMME, WorkForm.PROFILE_AREA):
        return _("Halvårsredovisningar och slutredovisning.")
    if not (proposal.planned_start and proposal.planned_end):
        return _("Enligt projektets längd när perioden är bestämd.")
    if length_in_months(proposal.planned_start, proposal.planned_end) < LONG_PROJECT_MONTHS:
        return _("Halvtidsredovisning och slutredovisning.")
    return _("Årliga redovisningar och slutredovisning.")
