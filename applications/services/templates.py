"""Template (mall) services: processledare keep one current template per stage and work form.

Templates are versioned. A change is a new version (a copy with the changes); the previous version stays
as it was and is only marked as no longer current, because proposals keep pointing at the version that was
current when they were created (Proposal.pitch_template / application_template) and their texts belong to
that version's sections.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samverkan.models import Agreement, User

from .. import permissions
from ..enums import TemplateStage, WorkForm
from ..models import ProposalTemplate, TemplateSection

TITLE_MAX = 200


def _clean_text(value) -> str:
    return str(value or "").strip()


def _clean_max_length(value, number: int, errors: list[str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        limit = None if isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        limit = None
    if limit is None or limit <= 0:
        message = _("Avsnitt %(n)s: max antal tecken måste vara ett positivt heltal (eller lämnas tomt).")
        errors.append(message % {"n": number})
        return None
    return limit


def _clean_sections(sections) -> list[dict]:
    """Validate and order the sections; raise one ValidationError listing every problem in Swedish."""
    sections = list(sections or [])
    if not sections:
        raise ValidationError({"sections": [_("Mallen måste ha minst ett avsnitt.")]})
    # Sections come in the order given; an explicit "order" moves a section (ties keep the given order).
    positioned = sorted(
        enumerate(sections),
        key=lambda pair: (pair[1].get("order") in (None, ""), _order_key(pair[1].get("order")), pair[0]),
    )
    errors: list[str] = []
    cleaned = []
    for number, (_index, section) in enumerate(positioned, start=1):
        title = _clean_text(section.get("title"))
        if not title:
            errors.append(_("Avsnitt %(n)s: varje avsnitt måste ha en rubrik.") % {"n": number})
        elif len(title) > TITLE_MAX:
            errors.append(_("Avsnitt %(n)s: rubriken får vara högst 200 tecken.") % {"n": number})
        cleaned.append(
            {
                "order": number,
                "title": title,
                "guidance": _clean_text(section.get("guidance")),
                "required": bool(section.get("required", True)),
                "max_length": _clean_max_length(section.get("max_length"), number, errors),
            }
        )
    if errors:
        raise ValidationError({"sections": errors})
    return cleaned


def _order_key(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _validate(*, stage: str, work_form: str, title: str) -> None:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Mallen måste ha en rubrik.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Rubriken får vara högst 200 tecken.")]
    if stage not in TemplateStage.values:
        errors["stage"] = [_("Välj ett skede: pitch, för-beredning, ansökan eller slutrapport.")]
    if work_form and work_form not in WorkForm.values:
        errors["work_form"] = [_("Välj en arbetsform, eller lämna tomt för alla arbetsformer.")]
    if errors:
        raise ValidationError(errors)


def _save_version(
    *,
    agreement: Agreement,
    by: User,
    stage: str,
    work_form: str,
    title: str,
    introduction: str,
    sections,
    expected_version: int | None = None,
) -> ProposalTemplate:
    """Write a new current version for (agreement, stage, work form); the previous one stops being current."""
    # Template writes for an agreement take turns (the agreement row is the lock), so two processledare
    # saving at once get versions N and N+1 instead of a clash – also when the family does not exist yet.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    family = ProposalTemplate.objects.filter(agreement=agreement, stage=stage, work_form=work_form)
    latest = family.aggregate(latest=Max("version"))["latest"] or 0
    if expected_version is not None and latest != expected_version:
        raise ValidationError(
            _(
                "Någon annan har sparat en ny version av mallen under tiden – öppna den senaste versionen "
                "och gör om ändringen."
            ),
            code="stale",
        )
    version = latest + 1
    family.filter(is_current=True).update(is_current=False)
    template = ProposalTemplate.objects.create(
        agreement=agreement,
        stage=stage,
        work_form=work_form,
        title=title,
        introduction=introduction,
        version=version,
        is_current=True,
        created_by=by,
    )
    TemplateSection.objects.bulk_create(TemplateSection(template=template, **section) for section in sections)
    return template


@transaction.atomic
def template_create(
    *,
    agreement: Agreement,
    by: User,
    stage: str,
    work_form: str = "",
    title: str,
    introduction: str = "",
    sections: list[dict],
) -> ProposalTemplate:
    """Create the template for a stage and work form (work form "" = every work form without its own).
    Processledare keep the templates up to date (Samverkansmodellen, "Roller och ansvar"). If the stage and
    work form already have a current template, this one becomes its next version."""
    if not permissions.can_manage_templates(by, agreement):
        raise PermissionDenied
    title, introduction, work_form = _clean_text(title), _clean_text(introduction), _clean_text(work_form)
    _validate(stage=stage, work_form=work_form, title=title)
    cleaned = _clean_sections(sections)
    return _save_version(
        agreement=agreement,
        by=by,
        stage=stage,
        work_form=work_form,
        title=title,
        introduction=introduction,
        sections=cleaned,
    )


@transaction.atomic
def template_new_version(
    *,
    template: ProposalTemplate,
    by: User,
    title: str,
    introduction: str = "",
    sections: list[dict],
    expected_version: int | None = None,
) -> ProposalTemplate:
    """Save changes to a template as its next version. The edited version and its sections are left exactly
    as they were: proposals created under it keep reading it. `expected_version` is the current version the
    editor started from; if someone saved another version meanwhile, nothing is saved."""
    if not permissions.can_manage_templates(by, template.agreement):
        raise PermissionDenied
    title, introduction = _clean_text(title), _clean_text(introduction)
    _validate(stage=template.stage, work_form=template.work_form, title=title)
    cleaned = _clean_sections(sections)
    return _save_version(
        agreement=template.agreement,
        by=by,
        stage=template.stage,
        work_form=template.work_form,
        title=title,
        introduction=introduction,
        sections=cleaned,
        expected_version=expected_version,
    )
