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


# --- the schedule itself (read by the follow-up app when a project starts) ---------------------------------

HALF_TIME = "halvtid"
YEARLY = "arlig"
HALF_YEARLY = "halvar"
FINAL = "slut"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has fewer days (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def due_dates(work_form: str, start: datetime.date, end: datetime.date) -> list[tuple[str, datetime.date]]:
    """The reports a project owes, as (kind, due date) in date order, ending with the final report on the
    end date. Program and profilbärande område: every six months from the start; förstudie, projekt and
    medfinansiering: at half time when shorter than 18 months, otherwise on each anniversary of the start."""
    if end <= start:
        return [(FINAL, end)]
    if work_form in (WorkForm.PROGRAMME, WorkForm.PROFILE_AREA):
        step, kind = 6, HALF_YEARLY
    elif length_in_months(start, end) < LONG_PROJECT_MONTHS:
        return [(HALF_TIME, start + (end - start) / 2), (FINAL, end)]
    else:
        step, kind = 12, YEARLY
    result = []
    n = 1
    while (day := add_months(start, step * n)) < end:
        result.append((kind, day))
        n += 1
    result.append((FINAL, end))
    return result
