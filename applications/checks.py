"""The proposal's own completeness checks (other apps register theirs, see completeness.py)."""

from django.utils.translation import gettext as _

from .enums import WorkForm


def basics_missing(proposal) -> list[str]:
    missing = []
    if not proposal.summary.strip():
        missing.append(_("Sammanfattning saknas."))
    if not proposal.research_question.strip():
        missing.append(_("Forskningsfråga saknas."))
    if not proposal.scientific_ambition.strip():
        missing.append(_("Forskningshöjd (forskarens värdering av den vetenskapliga höjden) saknas."))
    if not proposal.responsible_officer_id:
        missing.append(_("Ansvarig tjänsteperson från kommunen saknas."))
    if not proposal.planned_start or not proposal.planned_end:
        missing.append(_("Planerad start och slut saknas."))
    if proposal.work_form == WorkForm.CO_FUNDING and not (
        proposal.external_funder and proposal.external_amount
    ):
        missing.append(_("Huvudfinansiär och sökt belopp saknas (medfinansiering)."))
    return missing


def sections_missing(proposal) -> list[str]:
    template = proposal.application_template
    if template is None:
        return []
    written = {s.section_id: s.text for s in proposal.sections.all()}
    return [
        _("Avsnittet ”%(title)s” är inte ifyllt.") % {"title": section.title}
        for section in template.sections.all()
        if section.required and not written.get(section.pk, "").strip()
    ]
