"""Minutes (protokoll): generated from the meeting, edited by the secretary, approved (justerat) by the chair
and one appointed adjuster, then frozen and rendered as PDF by a Celery task.

Rules (issue #4, "Minutes"; DESIGN.md "Governance"):
- The protocol text is generated from what the system knows – attendance per party, the agenda with
  paragraph numbers, the beredning's assessment summaries and outcomes, each vote's result per party, the
  declared jäv and the decisions with their amounts – and the secretary may edit it until it is approved.
- The adjuster is a member of the body and not the chair. The chair and the adjuster each confirm once; a
  changed text (or a new adjuster) needs their confirmations again.
- Once both have confirmed, the minutes are frozen: no edits, and the meeting's decisions become immutable
  (Decision.save refuses). The PDF is rendered after commit by `governance.render_minutes_pdf`.
"""

from __future__ import annotations

import logging
import re
import statistics
import uuid
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from samverkan.enums import OrganisationKind
from samverkan.jobs import enqueue_on_commit
from samverkan.models import Organisation
from samverkan.notifications import notify
from samverkan.templatetags.money import format_kr

from .. import permissions
from ..enums import Choice, MeetingStatus, Perspective
from ..extensions import minutes_decision_lines
from ..models import AgendaItem, Assessment, Attendance, Ballot, Decision, Meeting, Minutes, Recusal, Vote
from ..selectors import members_of

log = logging.getLogger(__name__)

# What a party's position in a vote is called in the minutes (governance.voting's party outcomes).
PARTY_OUTCOME = {
    "yes": "bifall",
    "no": "avslag",
    "tie": "lika röstetal",
    "tie-yes": "lika röstetal – bifall genom ordförandens utslagsröst",
    "tie-no": "lika röstetal – avslag",
    "no_quorum": "ej beslutsför",
}
PDF_QUEUED, PDF_RENDERING, PDF_DONE, PDF_FAILED = "queued", "rendering", "done", "failed"


# --- reading the meeting -------------------------------------------------------------------------------


def minutes_for(meeting: Meeting) -> Minutes:
    """The meeting's minutes row (created empty the first time)."""
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


def _local(dt, fmt: str) -> str:
    return dateformat.format(timezone.localtime(dt), fmt)


def _name(user) -> str:
    return user.get_full_name() or user.email if user else "–"


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _parties(party_ids) -> list[Organisation]:
    """The parties in protocol order: the university first, then the municipalities by name."""
    orgs = Organisation.objects.in_bulk(set(party_ids))
    return sorted(orgs.values(), key=lambda o: (o.kind != OrganisationKind.UNIVERSITY, o.name))


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.items.select_related(
            "proposal", "proposal__responsible_researcher", "proposal__responsible_officer", "vote"
        )
        .prefetch_related(
            "presenters",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(submitted_at__isnull=False).prefetch_related("criteria"),
                to_attr="submitted_assessments",
            ),
            Prefetch("vote__recusals", queryset=Recusal.objects.select_related("member").order_by("pk")),
            Prefetch("vote__ballots", queryset=Ballot.objects.select_related("member")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("supersedes__meeting").prefetch_related("amounts"),
            ),
        )
        .order_by("order", "pk")
    )


def paragraphs(meeting: Meeting) -> list[tuple[int, AgendaItem]]:
    """The agenda items with their paragraph number in the minutes (§1, §2, … in agenda order)."""
    return list(enumerate(_items(meeting), start=1))


# --- the generated text ----------------------------------------------------------------------------------


def _header(meeting: Meeting, minutes: Minutes | None) -> list[str]:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    lines = [
        f"Organ: {meeting.body.name}",
        f"Möte: {meeting.title}",
        f"Avtal: {meeting.agreement.name}",
        f"Datum: {_local(start, 'l j F Y')}",
        f"Tid: {_local(start, 'H.i')}–{_local(end, 'H.i')}",
    ]
    if meeting.location and meeting.video_link:
        lines.append(f"Plats: {meeting.location} (även digitalt deltagande via videolänk)")
    elif meeting.location:
        lines.append(f"Plats: {meeting.location}")
    else:
        lines.append("Plats: Digitalt möte (videomöte) – inget fysiskt mötesrum")
    lines.append(f"Ordförande: {_name(meeting.chair)}")
    lines.append(f"Sekreterare: {_name(meeting.secretary)}")
    adjuster = minutes.adjuster if minutes else None
    lines.append(f"Justerare: {_name(adjuster) if adjuster else 'utses av mötet'}")
    return lines


def _attendance(meeting: Meeting) -> list[str]:
    seats = members_of(meeting)
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    online_only = bool(meeting.video_link) and not meeting.location
    lines = ["Närvaro"]
    if not rows:
        if online_only:
            lines.append(
                "Mötet hölls digitalt. Ingen närvarolista fördes; samtliga ledamöter var röstberättigade i "
                "onlinevoteringarna."
            )
        else:
            lines.append("Ingen närvaro registrerades. Organets ledamöter:")
    elif online_only:
        lines.append("Mötet hölls digitalt (videomöte).")
    lines.append("Part | Ledamot | Närvaro")
    by_party = defaultdict(list)
    for seat in seats:
        by_party[seat.party_id].append(seat)
    for party in _parties(by_party):
        for seat in by_party[party.pk]:
            name = _name(seat.user)
            if seat.user_id == meeting.chair_id:
                name += " (ordförande)"
            row = rows.get(seat.user_id)
            if row is None:
                status = "Röstberättigad" if online_only and not rows else "Ej registrerad"
            else:
                status = row.get_status_display()
                if row.note:
                    status += f" ({row.note})"
            lines.append(f"{party.name} | {name} | {status}")
    member_ids = {s.user_id for s in seats}
    others = []
    if meeting.secretary_id and meeting.secretary_id not in member_ids:
        others.append(f"{_name(meeting.secretary)} (sekreterare)")
    if meeting.chair_id and meeting.chair_id not in member_ids:
        others.append(f"{_name(meeting.chair)} (ordförande)")
    if others:
        lines.append("")
        lines.append(f"Övriga närvarande: {', '.join(others)}")
    return lines


def _spread(values: list[int]) -> tuple[str, str]:
    if not values:
        return "–", "–"
    low, high = min(values), max(values)
    return _decimal(statistics.fmean(values)), (f"{low}–{high}" if low != high else str(low))


def _assessment_summary(item: AgendaItem) -> list[str]:
    assessments: list[Assessment] = item.submitted_assessments
    lines = [f"Bedömningar ({len(assessments)} inskickade)"]
    if not assessments:
        lines[0] = "Bedömningar"
        lines.append("Inga bedömningar skickades in.")
        return lines
    lines.append("Perspektiv | Antal bedömningar | Medelvärde | Spridning")
    research = [a for a in assessments if a.perspective == Perspective.RESEARCH]
    benefit = [a for a in assessments if a.perspective == Perspective.BENEFIT]
    for perspective, group, fields in (
        (Perspective.RESEARCH, research, ("research_quality", "research_ambition")),
        (Perspective.BENEFIT, benefit, ("benefit", "effects")),
    ):
        values = [getattr(a, f) for a in group for f in fields if getattr(a, f) is not None]
        mean, spread = _spread(values)
        lines.append(f"{perspective.label} | {len(group)} | {mean} | {spread}")
    criteria = [c.score for a in assessments for c in a.criteria.all()]
    mean, spread = _spread(criteria)
    lines.append(f"Samverkanskriterier 1–9 (alla ledamöter) | {len(assessments)} | {mean} | {spread}")
    return lines


def _outcome(item: AgendaItem) -> list[str]:
    if not item.outcome:
        return ["Beredningens ställningstagande: inte registrerat"]
    lines = [f"Beredningens ställningstagande: {item.get_outcome_display()}"]
    if item.outcome_motivation:
        lines.append(f"Motivering: {' '.join(item.outcome_motivation.split())}")
    if item.outcome_goals:
        lines.append(f"Aktivitetsmål att föra vidare: {' '.join(item.outcome_goals.split())}")
    return lines


def _recusals(vote: Vote, party_of_member: dict[int, str]) -> list[str]:
    recusals = list(vote.recusals.all())
    if not recusals:
        return ["Jäv: inget jäv anmäldes."]
    lines = ["Jäv"]
    for recusal in recusals:
        who = _name(recusal.member)
        if recusal.member_id in party_of_member:
            who += f" ({party_of_member[recusal.member_id]})"
        if recusal.automatic:
            lines.append(f"– {who}: sökande i ärendet – deltog inte i handläggningen.")
        else:
            reason = recusal.reason.strip().rstrip(".")
            lines.append(f"– {who} anmälde jäv: {reason}. Deltog inte i handläggningen av ärendet.")
    return lines


def _vote(vote: Vote, parties_in_order: list[Organisation], agreement) -> list[str]:
    if vote.status != "closed":
        return [
            f"Votering: {vote.get_status_display().lower()} – resultatet redovisas när voteringen stängts."
        ]
    result = vote.result or {}
    closed = _local(vote.closed_at, "j F Y H.i") if vote.closed_at else ""
    lines = [
        f"Votering: {vote.get_outcome_display()} (stängd {closed})",
        "Part | Bifall | Avslag | Avstår | Jäv | Beslutsför | Partens ställning",
    ]
    position = {org.pk: index for index, org in enumerate(parties_in_order)}
    names = {org.pk: org.name for org in parties_in_order}
    parties = sorted(result.get("parties", []), key=lambda p: position.get(p["party_id"], len(position)))
    for p in parties:
        name = names.get(p["party_id"], str(p["party_id"]))
        lines.append(
            f"{name} | {p['yes']} | {p['no']} | {p['abstain']} | {p['recused']} | "
            f"{'ja' if p['quorum'] else 'nej'} | {PARTY_OUTCOME.get(p['outcome'], p['outcome'] or '–')}"
        )
    recused = sum(p["recused"] for p in parties)
    lines.append(
        f"Totalt | {result.get('yes', 0)} | {result.get('no', 0)} | {result.get('abstain', 0)} | {recused} | "
        f"{'ja' if result.get('quorum') else 'nej'} | {vote.get_outcome_display().lower()}"
    )
    rule = agreement.get_decision_rule_display()
    extra = f"Beslutsregel: {rule.lower()}."
    if result.get("casting_vote_used"):
        extra += " Ordförandens utslagsröst avgjorde vid lika röstetal."
    lines.append("")
    lines.append(extra)
    if vote.open_ballots_after_close:
        ballots = sorted(vote.ballots.all(), key=lambda b: (b.member.last_name, b.member.first_name))
        if ballots:
            labels = dict(Choice.choices)
            cast = "; ".join(f"{_name(b.member)} – {str(labels[b.choice]).lower()}" for b in ballots)
            lines.append(f"Röster: {cast}.")
    return lines


def _decision(decision: Decision) -> list[str]:
    lines = [f"Beslut ({decision.get_kind_display().lower()})"]
    lines.append(" ".join(decision.text.split()))
    if decision.by_acclamation:
        lines.append("Beslutet fattades enligt förslag (utan votering).")
    if decision.supersedes_id:
        old = decision.supersedes
        lines.append(f"Beslutet rättar beslut §{old.paragraph} vid {old.meeting.title}.")
    amounts = list(decision.amounts.all())
    if amounts:
        lines.append("")
        lines.append("Belopp")
        lines.extend(f"{a.year}: {format_kr(a.amount)}" for a in amounts)
        if len(amounts) > 1:
            lines.append(f"Totalt: {format_kr(sum(a.amount for a in amounts))}")
    for contributed in minutes_decision_lines:
        lines.extend(contributed(decision))
    if decision.conditions or decision.activity_goals:
        lines.append("")
    if decision.conditions:
        lines.append(f"Villkor: {' '.join(decision.conditions.split())}")
    if decision.activity_goals:
        lines.append(f"Aktivitetsmål: {' '.join(decision.activity_goals.split())}")
    return lines


def minutes_draft_text(meeting: Meeting) -> str:
    """The protocol generated from the meeting: header, attendance per party, then one paragraph (§) per
    agenda item with the beredning's assessment summary and outcome, or the styrgrupp's vote (result per
    party), jäv and decisions. Plain text in a small convention that the PDF turns into headings and
    tables: "§n" starts a paragraph, "a | b | c" lines are table rows, "Etikett: värde" lines are facts."""
    meeting = Meeting.objects.select_related("body", "agreement", "chair", "secretary").get(pk=meeting.pk)
    minutes = Minutes.objects.select_related("adjuster").filter(meeting=meeting).first()
    with translation.override("sv"):
        seats = members_of(meeting)
        orgs = {o.pk: o for o in _parties({s.party_id for s in seats})}
        seat_party = {s.user_id: orgs[s.party_id].name for s in seats}
        blocks: list[list[str]] = [_header(meeting, minutes), _attendance(meeting)]
        items = paragraphs(meeting)
        party_ids = set(orgs)
        for _n, item in items:
            if hasattr(item, "vote") and item.vote.result:
                party_ids |= {p["party_id"] for p in item.vote.result.get("parties", [])}
        ordered = _parties(party_ids)
        if not items:
            blocks.append(["Dagordningen saknar punkter."])
        for number, item in items:
            block = [f"§{number} {item.get_kind_display()}: {item.title}"]
            if item.proposal_id:
                proposal = item.proposal
                block.append(f"Ärende: {proposal.reference} – {proposal.title}")
                presenters = ", ".join(_name(u) for u in item.presenters.all())
                if presenters:
                    block.append(f"Föredragande: {presenters}")
            if item.description:
                block.append("")
                block.append(item.description.strip())
            parts = [block]
            if meeting.is_review and item.proposal_id:
                parts.append(_assessment_summary(item))
                parts.append(_outcome(item))
            vote = getattr(item, "vote", None)
            if vote is not None and vote.status != "draft":
                parts.append(_recusals(vote, seat_party))
                parts.append(_vote(vote, ordered, meeting.agreement))
            for decision in item.decisions.all():
                parts.append(_decision(decision))
            if len(parts) == 1 and not item.description and meeting.is_steering and not item.proposal_id:
                block.append("Informationen noterades.")
            blocks.extend(parts)
    return "\n\n".join("\n".join(lines) for lines in blocks).strip() + "\n"


# --- writes ------------------------------------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, meeting: Meeting, by, text: str, adjuster=None) -> Minutes:
    """The secretary writes the minutes and appoints the adjuster (a member of the body, not the chair)
    until the minutes are approved. A changed text or adjuster withdraws confirmations already given:
    the chair and the adjuster approve what they read."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not permissions.is_secretary(by, meeting):
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first() or Minutes.objects.create(
        meeting=meeting
    )
    if minutes.approved_at is not None:
        raise ValidationError(_("Protokollet är justerat och kan inte ändras."))
    if not permissions.can_edit_minutes(by, meeting):
        raise PermissionDenied
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Protokollet kan inte vara tomt.")})
    if adjuster is not None:
        member_ids = {s.user_id for s in members_of(meeting)}
        if adjuster.pk not in member_ids:
            raise ValidationError(
                {"adjuster": _("Justeraren måste vara ledamot i %(body)s.") % {"body": meeting.body}}
            )
        if adjuster.pk == meeting.chair_id:
            raise ValidationError({"adjuster": _("Ordföranden justerar redan – välj en annan ledamot.")})
    if adjuster is not None:
        # The generated header names the adjuster; keep it in step with the one appointed.
        text = re.sub(r"^Justerare: .*$", f"Justerare: {_name(adjuster)}", text, count=1, flags=re.MULTILINE)
    text_changed = text != minutes.text.strip()
    adjuster_changed = (adjuster.pk if adjuster else None) != minutes.adjuster_id
    minutes.text = text + "\n"
    minutes.adjuster = adjuster
    if text_changed:
        minutes.chair_approved_at = None
        minutes.adjuster_approved_at = None
    elif adjuster_changed:
        minutes.adjuster_approved_at = None
    minutes.save()
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by) -> Minutes:
    """Justering: the chair and the appointed adjuster each confirm once in the app. When both have, the
    minutes are approved and frozen, the meeting's status becomes "Protokoll justerat", the members are
    told and the PDF is rendered after commit."""
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting", "adjuster")
        .get(pk=minutes.pk)
    )
    meeting = minutes.meeting
    if minutes.approved_at is not None:
        raise ValidationError(_("Protokollet är redan justerat."))
    if not permissions.can_approve_minutes(by, minutes):
        raise PermissionDenied
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
        raise ValidationError(_("Mötet måste vara genomfört innan protokollet justeras."))
    if not minutes.text.strip():
        raise ValidationError(_("Protokollet är tomt – sekreteraren skriver det först."))
    if minutes.adjuster_id is None:
        raise ValidationError(_("Ingen justerare är utsedd – sekreteraren utser en först."))
    now = timezone.now()
    if by.pk == meeting.chair_id:
        minutes.chair_approved_at = now
    else:
        minutes.adjuster_approved_at = now
    if minutes.chair_approved_at and minutes.adjuster_approved_at:
        minutes.approved_at = now
        minutes.pdf_status = PDF_QUEUED
        minutes.pdf_error = ""
        meeting.status = MeetingStatus.MINUTES_APPROVED
        meeting.save(update_fields=["status"])
        _notify_approved(minutes)
        enqueue_on_commit("minutes_pdfs", minutes.pk)
    minutes.save()
    return minutes


@transaction.atomic
def minutes_retry_pdf(*, minutes: Minutes, by) -> Minutes:
    """Queue the PDF again after a failed rendering (the secretary, chair or processledare asks for it)."""
    minutes = Minutes.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=minutes.pk)
    meeting = minutes.meeting
    if not (
        permissions.is_officer_of(by, meeting) or permissions.can_manage_meetings(by, meeting.agreement_id)
    ):
        raise PermissionDenied
    if minutes.approved_at is None or minutes.pdf_status != PDF_FAILED:
        raise ValidationError(_("PDF:en kan bara skapas om när en tidigare körning har misslyckats."))
    minutes.pdf_status = PDF_QUEUED
    minutes.pdf_error = ""
    minutes.save(update_fields=["pdf_status", "pdf_error"])
    enqueue_on_commit("minutes_pdfs", minutes.pk)
    return minutes


def _notify_approved(minutes: Minutes) -> None:
    meeting = minutes.meeting
    people = [s.user for s in members_of(meeting)] + [meeting.chair, meeting.secretary]
    notify(
        "minutes_approved",
        to=people,
        context={"meeting": meeting, "minutes": minutes},
        link=_detail_url(meeting),
    )


def _detail_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("governance:minutes_detail", args=[meeting.pk])


# --- the PDF ------------------------------------------------------------------------------------------------


def minutes_pdf_context(minutes: Minutes) -> dict:
    """What templates/governance/minutes_pdf.html shows: the approved text as blocks, plus the justering."""
    from ..pdf import text_blocks

    meeting = minutes.meeting
    return {
        "minutes": minutes,
        "meeting": meeting,
        "blocks": text_blocks(minutes.text),
        "document_id": f"PROT-{timezone.localtime(meeting.starts_at):%Y}-{meeting.pk:04d}",
        "chair": meeting.chair,
        "adjuster": minutes.adjuster,
        "secretary": meeting.secretary,
    }


def minutes_render_pdf(*, minutes_id: int) -> str:
    """Render the approved minutes once (idempotent): status rendering → done; the file goes to MEDIA_ROOT
    as minutes/<meeting id>-<uuid>.pdf. Transient errors (OSError) propagate so that the task retries."""
    from ..pdf import render_pdf

    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
        if minutes.approved_at is None:
            return minutes.pdf_status
        if minutes.pdf:
            if minutes.pdf_status != PDF_DONE:
                Minutes.objects.filter(pk=minutes.pk).update(pdf_status=PDF_DONE, pdf_error="")
            return PDF_DONE
        Minutes.objects.filter(pk=minutes.pk).update(pdf_status=PDF_RENDERING, pdf_error="")
    minutes = Minutes.objects.select_related(
        "meeting__body", "meeting__agreement", "meeting__chair", "meeting__secretary", "adjuster"
    ).get(pk=minutes_id)
    with translation.override("sv"):
        content = render_pdf("governance/minutes_pdf.html", minutes_pdf_context(minutes))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
        if minutes.pdf:  # someone else finished first: keep theirs
            return PDF_DONE
        minutes.pdf.save(f"{minutes.meeting_id}-{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
        minutes.pdf_status = PDF_DONE
        minutes.pdf_error = ""
        minutes.save(update_fields=["pdf", "pdf_status", "pdf_error"])
    return PDF_DONE


def pending_minutes_pdfs(*, older_than):
    """Approved minutes (before `older_than`) whose PDF is still queued or was being rendered when its
    worker died – for the beat sweep, which queues them again (rendering is idempotent)."""
    return Minutes.objects.filter(
        approved_at__lt=older_than, pdf="", pdf_status__in=[PDF_QUEUED, PDF_RENDERING]
    ).order_by("approved_at")


def minutes_pdf_failed(*, minutes_id: int, error: str) -> None:
    """Record that the PDF could not be made; the page shows the message and the secretary can retry."""
    log.error("Minutes %s: PDF failed: %s", minutes_id, error)
    Minutes.objects.filter(pk=minutes_id, pdf="").update(
        pdf_status=PDF_FAILED,
        pdf_error=_("PDF:en kunde inte skapas (%(error)s). Försök igen om en stund eller kontakta support.")
        % {"error": error[:300]},
    )
