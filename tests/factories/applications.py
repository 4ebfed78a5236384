import datetime

import factory

from applications.enums import ProposalState, TemplateStage, WorkForm
from applications.models import ActivityGoal, Proposal, ProposalSection, ProposalTemplate, TemplateSection
from samverkan.enums import Role
from tests.factories.samverkan import AgreementFactory, person_with_role


class ProposalTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalTemplate

    agreement = factory.SubFactory(AgreementFactory)
    stage = TemplateStage.APPLICATION
    work_form = ""
    title = factory.Sequence(lambda n: f"Ansökningsmall {n}")


class TemplateSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateSection

    template = factory.SubFactory(ProposalTemplateFactory)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Avsnitt {n}")
    guidance = "Beskriv kort."
    required = True


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal with a researcher and a tjänsteperson who hold their roles in the agreement and have the
    team's object permissions, as proposal_create would give them. `state` is written directly (tests
    only)."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    work_form = WorkForm.PROJECT
    title = factory.Sequence(lambda n: f"Barns hälsa i skolan {n}")
    summary = "Ett projekt om barns och ungas hälsa i samverkan med skolan."
    popular_summary = "Hur mår barnen i skolan, och vad kan kommunen göra?"
    research_question = "Vilka insatser stärker elevhälsan?"
    scientific_ambition = "Longitudinell studie med kontrollgrupp."
    responsible_researcher = factory.LazyAttribute(lambda o: person_with_role(o.agreement, Role.RESEARCHER))
    responsible_officer = factory.LazyAttribute(
        lambda o: person_with_role(o.agreement, Role.OFFICER, organisation=o.agreement.municipalities.first())
    )
    created_by = factory.SelfAttribute("responsible_researcher")
    planned_start = datetime.date(2026, 1, 1)
    planned_end = datetime.date(2027, 6, 30)

    @classmethod
    def _create(cls, model_class, *args, state=ProposalState.DIALOG, **kwargs):
        proposal = super()._create(model_class, *args, **kwargs)
        if state != ProposalState.DIALOG:
            Proposal.objects.filter(pk=proposal.pk).update(state=state)
            proposal.refresh_from_db()
        return proposal


def anchored(proposal):
    """Mark förankring confirmed by the responsible tjänsteperson."""
    from django.utils import timezone

    proposal.anchoring_organisation = proposal.agreement.municipalities.first()
    proposal.anchoring_confirmed_by = proposal.responsible_officer
    proposal.anchoring_confirmed_at = timezone.now()
    proposal.save()
    return proposal


def with_sections(proposal, *, filled=True, count=2):
    """Give the proposal an application template with `count` required sections (filled or not)."""
    template = ProposalTemplateFactory(agreement=proposal.agreement)
    sections = [TemplateSectionFactory(template=template) for _ in range(count)]
    proposal.application_template = template
    proposal.save()
    if filled:
        for section in sections:
            ProposalSection.objects.create(
                proposal=proposal, section=section, text="Text om " + section.title
            )
    return sections


def with_goals(proposal, *texts):
    for index, text in enumerate(texts or ["Minst tre skolor deltar"]):
        ActivityGoal.objects.create(proposal=proposal, order=index, text=text)
    return proposal


def with_co_researcher(proposal, researcher=None):
    """Add a co-researcher (holding the forskare role in the agreement) to the team."""
    researcher = researcher or person_with_role(proposal.agreement, Role.RESEARCHER)
    proposal.researchers.add(researcher)
    return researcher


def fulfil_every_condition(proposal):
    """Meet the condition of every lifecycle transition: a complete, anchored co-funding application with a
    budget (both parties engaged), signed documents and a project account, a final report and a popular
    presentation. Tests then break exactly one thing."""
    from django.utils import timezone

    from tests.factories.budget import with_budget

    now = timezone.now()
    proposal.work_form = WorkForm.CO_FUNDING
    proposal.external_funder = "Vetenskapsrådet"
    proposal.external_amount = 2_000_000
    proposal.documents_completed_at = now
    proposal.project_account = "4711-2026"
    proposal.final_report_submitted_at = now
    proposal.presentation_registered_at = now
    proposal.save()
    with_sections(proposal)
    with_budget(proposal)
    return anchored(proposal)
