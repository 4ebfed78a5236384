"""Proposals (ärenden) and their lifecycle, with the applicant's section texts and activity goals.

The lifecycle is one django-fsm-2 state machine on Proposal.state (DESIGN.md, "The proposal lifecycle").
Transitions only change the state; conditions are pure methods; services (services/) check permissions,
run transitions atomically, write ProposalTransition rows (history.py) and notify.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from samverkan.models import Agreement, Organisation

from .. import completeness
from ..enums import PRE_DECISION_STATES, ProposalState, WorkForm
from .templates import ProposalTemplate, TemplateSection

S = ProposalState


def _permission(name: str):
    """The transition's permission callable, answered by the policy module (imported late: it imports us)."""

    def check(instance, user) -> bool:
        from .. import permissions

        return permissions.can_transition(user, instance, name)

    check.__name__ = f"may_{name}"
    return check


# --- Proposals ---------------------------------------------------------------------------------------------


class Proposal(ConcurrentTransitionMixin, models.Model):
    """An ärende: from idea to closed project."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("avtal"), on_delete=models.PROTECT, related_name="proposals"
    )
    work_form = models.CharField(
        _("arbetsform"), max_length=20, choices=WorkForm.choices, default=WorkForm.PROJECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i program/profilområde"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"work_form__in": [WorkForm.PROGRAMME, WorkForm.PROFILE_AREA]},
    )
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("sammanfattning"), blank=True)
    popular_summary = models.TextField(_("populärvetenskaplig sammanfattning"), blank=True)
    research_question = models.TextField(_("forskningsfråga"), blank=True)
    scientific_ambition = models.TextField(
        _("forskningshöjd"), blank=True, help_text=_("Forskarens värdering av frågans vetenskapliga höjd.")
    )

    responsible_researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig forskare"),
        on_delete=models.PROTECT,
        related_name="proposals_as_researcher",
    )
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("övriga forskare"),
        blank=True,
        related_name="proposals_as_co_researcher",
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig tjänsteperson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_as_officer",
        help_text=_("Medsökande från kommunen; ansvarar för att resultaten sprids i kommunen."),
    )
    municipal_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("kommunala organisationer"), blank=True, related_name="proposals"
    )

    anchoring_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("förankrad i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anchored_proposals",
    )
    anchoring_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    anchoring_confirmed_at = models.DateTimeField(_("förankring bekräftad"), null=True, blank=True)

    planned_start = models.DateField(_("planerad start"), null=True, blank=True)
    planned_end = models.DateField(_("planerat slut"), null=True, blank=True)

    external_funder = models.CharField(_("huvudfinansiär"), max_length=200, blank=True)
    external_call = models.CharField(_("utlysning"), max_length=200, blank=True)
    external_amount = models.PositiveBigIntegerField(
        _("sökt belopp hos huvudfinansiären (kr)"), null=True, blank=True
    )
    external_decision_expected = models.DateField(
        _("beslut från huvudfinansiären väntas"), null=True, blank=True
    )

    pitch_template = models.ForeignKey(
        ProposalTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    application_template = models.ForeignKey(
        ProposalTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Set by later stages through services (governance, reports): what the start and closure guards read.
    documents_completed_at = models.DateTimeField(
        _("beslutsdokument signerade och diarieförda"), null=True, blank=True
    )
    project_account = models.CharField(_("projektkonto"), max_length=40, blank=True)
    final_report_submitted_at = models.DateTimeField(_("slutrapport inlämnad"), null=True, blank=True)
    presentation_registered_at = models.DateTimeField(
        _("populärvetenskaplig presentation"), null=True, blank=True
    )

    state = FSMField(
        _("status"), max_length=30, choices=ProposalState.choices, default=S.DIALOG, protected=True
    )
    state_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gt=F("planned_start")),
                name="proposal_ends_after_start",
                violation_error_message=_("Slutdatum måste ligga efter startdatum."),
            ),
        ]
        indexes = [
            models.Index(fields=["agreement", "state"]),
            # The pipeline board's columns: the newest proposals of each state of an agreement.
            models.Index(fields=["agreement", "state", "-updated_at", "-id"], name="proposal_board_column"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("applications:proposal_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"SAM-{self.created_at:%Y}-{self.pk:04d}" if self.created_at else f"SAM-{self.pk}"

    def clean(self):
        if self.parent_id and self.parent.work_form not in (WorkForm.PROGRAMME, WorkForm.PROFILE_AREA):
            raise ValidationError(
                {"parent": _("Ett ärende kan bara ingå i ett program eller profilbärande område.")}
            )
        if self.work_form in (WorkForm.PROGRAMME, WorkForm.PROFILE_AREA) and self.parent_id:
            raise ValidationError(
                {"parent": _("Program och profilbärande områden kan inte ingå i något annat.")}
            )

    # --- conditions (pure) ---------------------------------------------------------------------------------

    def has_both_parties(self) -> bool:
        """Dialog needs a person from each party: a researcher and a municipal tjänsteperson."""
        return bool(self.responsible_researcher_id and self.responsible_officer_id)

    def anchoring_confirmed(self) -> bool:
        return self.anchoring_confirmed_at is not None

    def missing_for_submission(self) -> list[str]:
        """Swedish descriptions of everything that stops submission (empty list = complete)."""
        return completeness.missing(self)

    def is_complete(self) -> bool:
        return not self.missing_for_submission()

    def ready_to_start(self) -> bool:
        return self.documents_completed_at is not None and bool(self.project_account.strip())

    def ready_to_close(self) -> bool:
        return self.final_report_submitted_at is not None and self.presentation_registered_at is not None

    def is_cofunding(self) -> bool:
        return self.work_form == WorkForm.CO_FUNDING

    # --- transitions ---------------------------------------------------------------------------------------
    # custom["actor"]: "applicant" (team), "processledare", or "governance"/"documents"/"reports" when the
    # transition is driven by another part of the app (its screen comes with that part).

    @transition(
        state,
        source=S.DIALOG,
        target=S.PITCH,
        conditions=[has_both_parties],
        permission=_permission("to_pitch"),
        custom={"label": _("Gå vidare till pitch"), "actor": "applicant"},
    )
    def to_pitch(self):
        pass

    @transition(
        state,
        source=S.DIALOG,
        target=S.APPLICATION,
        conditions=[has_both_parties],
        permission=_permission("to_application"),
        custom={"label": _("Börja skriva ansökan"), "actor": "applicant"},
    )
    def to_application(self):
        pass

    @transition(
        state,
        source=S.PITCH,
        target=S.APPLICATION,
        permission=_permission("record_pitch_feedback"),
        custom={"label": _("Registrera återkoppling på pitchen"), "actor": "processledare", "comment": True},
    )
    def record_pitch_feedback(self):
        pass

    @transition(
        state,
        source=S.APPLICATION,
        target=S.SUBMITTED,
        conditions=[is_complete, anchoring_confirmed],
        permission=_permission("submit"),
        custom={"label": _("Skicka in ansökan"), "actor": "applicant"},
    )
    def submit(self):
        pass

    @transition(
        state,
        source=S.SUBMITTED,
        target=S.APPLICATION,
        permission=_permission("return_incomplete"),
        custom={"label": _("Återför till sökande (ofullständig)"), "actor": "processledare", "comment": True},
    )
    def return_incomplete(self):
        pass

    @transition(
        state,
        source=S.SUBMITTED,
        target=S.IN_REVIEW,
        permission=_permission("schedule_review"),
        custom={"label": _("Sätt på beredningens dagordning"), "actor": "governance"},
    )
    def schedule_review(self):
        pass

    @transition(
        state,
        source=S.IN_REVIEW,
        target=S.AWAITING_DECISION,
        permission=_permission("forward_to_decision"),
        custom={"label": _("Tillstyrk – till styrgruppen"), "actor": "governance"},
    )
    def forward_to_decision(self):
        pass

    @transition(
        state,
        source=S.IN_REVIEW,
        target=S.APPLICATION,
        permission=_permission("return_for_revision"),
        custom={"label": _("Återför för revidering"), "actor": "governance", "comment": True},
    )
    def return_for_revision(self):
        pass

    @transition(
        state,
        source=S.IN_REVIEW,
        target=S.DECLINED,
        permission=_permission("decline"),
        custom={"label": _("Tillstyrk inte"), "actor": "governance", "comment": True},
    )
    def decline(self):
        pass

    @transition(
        state,
        source=S.AWAITING_DECISION,
        target=S.GRANTED,
        permission=_permission("grant"),
        custom={"label": _("Bevilja"), "actor": "governance"},
    )
    def grant(self):
        pass

    @transition(
        state,
        source=S.AWAITING_DECISION,
        target=S.REJECTED,
        permission=_permission("reject"),
        custom={"label": _("Avslå"), "actor": "governance"},
    )
    def reject(self):
        pass

    @transition(
        state,
        source=S.AWAITING_DECISION,
        target=S.COFUNDING_APPROVED,
        conditions=[is_cofunding],
        permission=_permission("approve_cofunding"),
        custom={"label": _("Bevilja medfinansiering"), "actor": "governance"},
    )
    def approve_cofunding(self):
        pass

    @transition(
        state,
        source=S.COFUNDING_APPROVED,
        target=S.GRANTED,
        permission=_permission("main_funder_granted"),
        custom={"label": _("Huvudfinansiären har beviljat"), "actor": "processledare"},
    )
    def main_funder_granted(self):
        pass

    @transition(
        state,
        source=S.COFUNDING_APPROVED,
        target=S.LAPSED,
        permission=_permission("main_funder_declined"),
        custom={"label": _("Huvudfinansiären har avslagit"), "actor": "processledare", "comment": True},
    )
    def main_funder_declined(self):
        pass

    @transition(
        state,
        source=S.GRANTED,
        target=S.ACTIVE,
        conditions=[ready_to_start],
        permission=_permission("start"),
        custom={"label": _("Starta projektet"), "actor": "documents"},
    )
    def start(self):
        pass

    @transition(
        state,
        source=S.ACTIVE,
        target=S.CLOSING,
        conditions=[ready_to_close],
        permission=_permission("submit_final_report"),
        custom={"label": _("Lämna slutredovisning"), "actor": "reports"},
    )
    def submit_final_report(self):
        pass

    @transition(
        state,
        source=S.CLOSING,
        target=S.CLOSED,
        permission=_permission("close"),
        custom={"label": _("Godkänn resultat och avsluta"), "actor": "governance"},
    )
    def close(self):
        pass

    @transition(
        state,
        source=S.CLOSING,
        target=S.ACTIVE,
        permission=_permission("reopen"),
        custom={"label": _("Mer arbete krävs – åter till pågående"), "actor": "governance", "comment": True},
    )
    def reopen(self):
        pass

    @transition(
        state,
        source=PRE_DECISION_STATES,
        target=S.WITHDRAWN,
        permission=_permission("withdraw"),
        custom={"label": _("Återkalla ärendet"), "actor": "applicant", "comment": True},
    )
    def withdraw(self):
        pass


class ProposalSection(models.Model):
    """The applicant's text for one section of the proposal's template."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "section"], name="one_text_per_section")]

    def __str__(self):
        return f"{self.proposal}: {self.section}"


class ActivityGoal(models.Model):
    """Aktivitetsmål: a concrete goal the project commits to (proposed by applicants and beredning)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="activity_goals")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(_("aktivitetsmål"), max_length=500)

    class Meta:
        verbose_name = _("aktivitetsmål")
        verbose_name_plural = _("aktivitetsmål")
        ordering = ["proposal", "order", "pk"]

    def __str__(self):
        return self.text
