"""The agreement's economy: frames and roll-ups (seed 000's totals), commitments from styrgrupp decisions
(over-commitment, override, co-funding that lapses), disbursement limits, spending from reports, money
never float, and the overview's query count."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications.enums import ProposalState, WorkForm
from applications.models import Proposal
from applications.services import proposal_transition
from budget import selectors, services
from budget.enums import CostCategory, SpendingSource
from budget.models import BudgetFrame, Commitment, Disbursement, FrameAmount, Spending
from governance.minutes_draft import minutes_draft_text
from governance.models import Decision
from samverkan.enums import Role
from samverkan.templatetags.money import format_kr
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_line, frame, grant, steering_item
from tests.factories.governance import steering_member
from tests.factories.samverkan import MunicipalityFactory, person_with_role

pytestmark = pytest.mark.django_db

SEED_MAIN = [
    ("Processledning", 2_300_000),
    ("Strategiskt arbete (Core Team)", 150_000),
    ("Forskningskoordination", 540_000),
    ("Event, spridning, nyttogörande, digital utveckling", 210_000),
    ("VÄLKOM 2020 (FA)", 1_500_000),
    ("PreLAB (HSU)", 2_000_000),
    ("”SK summit”", 150_000),
    ("Alva Myrdal", 200_000),
    ("Inkludera Mera", 300_000),
    ("Övrigt", 50_000),
]
AREA = "Gemensamma samverkansområdet"


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


def seed_frame(agreement, leader, year=2020):
    """Seed 000's budget tables entered the way a processledare types them (amounts with spaces)."""
    services.frame_save(
        agreement=agreement,
        year=year,
        by=leader,
        amounts={},
        new_lines=[
            *(
                {"area": AREA, "name": name, "kind": "operations", "amount": f"{amount:,}".replace(",", " ")}
                for name, amount in SEED_MAIN
            ),
            {"area": "MKL", "name": "MKL", "kind": "pool", "amount": "4 160 000"},
            {"area": "MKHV inkl. ACTION", "name": "MKHV inkl. ACTION", "kind": "pool", "amount": "6240000"},
        ],
    )


# --- frames and the seed's totals ------------------------------------------------------------------------


def test_seed_frame_reproduces_the_totals_of_seed_000(agreement, leader):
    seed_frame(agreement, leader)

    overview = selectors.economy_overview(agreement, 2020)

    main = next(area for area in overview.areas if area.name == AREA)
    assert [(row.line.name, row.figures.frame) for row in main.lines] == SEED_MAIN
    assert main.figures.frame == 7_400_000
    assert plain(format_kr(main.figures.frame)) == "7 400 000 kr"
    assert [(area.name, area.figures.frame) for area in overview.areas] == [
        (AREA, 7_400_000),
        ("MKL", 4_160_000),
        ("MKHV inkl. ACTION", 6_240_000),
    ]
    assert overview.total.frame == 17_800_000
    assert plain(format_kr(overview.total.frame)) == "17 800 000 kr"


def test_plan_budget_tables_read_the_frame_like_the_seed(agreement, leader):
    seed_frame(agreement, leader)
    plan = services.plan_create(
        agreement=agreement, year=2020, by=leader, title="Verksamhetsplan 2020", area=AREA
    )

    budget = selectors.plan_budget(plan)

    assert [(line.name, amount) for line, amount in budget.rows] == SEED_MAIN
    assert budget.total == 7_400_000
    assert budget.overall == [(AREA, 7_400_000), ("MKL", 4_160_000), ("MKHV inkl. ACTION", 6_240_000)]
    assert budget.overall_total == 17_800_000


def test_frame_with_a_bad_amount_saves_nothing_and_names_the_line(agreement, leader, pool):
    before = list(FrameAmount.objects.values_list("line_id", "amount"))

    with pytest.raises(ValidationError) as refused:
        services.frame_save(
            agreement=agreement,
            year=2027,
            by=leader,
            amounts={pool.pk: "12,5"},
            new_lines=[{"area": "MKL", "name": "Ny post", "kind": "operations", "amount": "100 000"}],
        )

    assert "Förstudier och projekt" in refused.value.message_dict[f"line-{pool.pk}"][0]
    assert list(FrameAmount.objects.values_list("line_id", "amount")) == before
    assert not agreement.budget_lines.filter(name="Ny post").exists()


def test_frame_save_is_refused_for_a_steering_member(agreement, pool):
    member = steering_member(agreement)
    with pytest.raises(PermissionDenied):
        services.frame_save(agreement=agreement, year=2029, by=member, amounts={pool.pk: "1"})
    assert not BudgetFrame.objects.filter(year=2029).exists()


# --- roll-ups ------------------------------------------------------------------------------------------


def test_every_level_of_the_overview_is_the_sum_of_its_parts(agreement, leader):
    other = MunicipalityFactory(name="Västerås stad")
    agreement.municipalities.add(other)
    first_muni = agreement.municipalities.exclude(pk=other.pk).get()
    a = budget_line(agreement, "Projekt A-området", area="A")
    b = budget_line(agreement, "Projekt B-området", area="B")
    ops = budget_line(agreement, "Processledning", area="A", kind="operations")
    frame(agreement, 2027, {a: 900_000, b: 800_000, ops: 300_000})
    frame(agreement, 2028, {b: 10_000})
    shared = ProposalFactory(agreement=agreement, work_form=WorkForm.PROJECT)
    shared.municipal_organisations.set([first_muni, other])
    single = ProposalFactory(agreement=agreement, work_form=WorkForm.PRE_STUDY)
    single.municipal_organisations.set([other])
    nobody = ProposalFactory(agreement=agreement)
    grant(shared, {2027: 333_333}, line=a)
    grant(single, {2027: 250_001, 2028: 10_000}, line=b)
    grant(nobody, {2027: 100_000}, line=a)
    for proposal in (shared, single):
        Proposal.objects.filter(pk=proposal.pk).update(documents_completed_at=timezone.now(), state="active")
    services.disbursement_create(
        proposal=shared,
        year=2027,
        amount=200_001,
        paid_on=datetime.date(2026, 11, 1),
        reference="V1",
        by=leader,
    )
    services.spending_replace_for_report(
        proposal=single, year=2027, amounts={"salaries": 120_000, "travel": 3_001}, reference="r-1", by=leader
    )

    o = selectors.economy_overview(agreement, 2027)

    for area in o.areas:
        assert area.figures.frame == sum(r.figures.frame for r in area.lines)
        assert area.figures.committed == sum(r.figures.committed for r in area.lines)
    assert o.total.frame == sum(area.figures.frame for area in o.areas) == 2_000_000
    assert o.total.committed == 683_334
    assert o.total.remaining == 2_000_000 - 683_334
    for name in ("committed", "disbursed", "spent"):
        parts = [getattr(r.figures, name) for r in o.projects]
        assert getattr(o.projects_total, name) == sum(parts) == getattr(o.total, name)
        assert sum(getattr(r.figures, name) for r in o.municipalities) == sum(parts)
        assert sum(getattr(r.figures, name) for r in o.work_forms) == sum(parts)
    # 333 333 kr split over two municipalities: 166 667 + 166 666 (whole kronor, nothing lost).
    by_name = {r.label: r.figures.committed for r in o.municipalities}
    assert by_name[first_muni.name] == 166_667
    assert by_name["Västerås stad"] == 166_666 + 250_001
    year_2027 = next(y for y in o.years if y.year == 2027)
    assert year_2027.figures.committed == o.total.committed
    assert year_2027.figures.frame == o.total.frame


def test_money_is_never_float():
    with pytest.raises(services.AmountError):
        services.parse_amount(12.5)
    with pytest.raises(TypeError):
        format_kr(7400000.0)


def test_overview_figures_are_integers(agreement, pool):
    proposal = ProposalFactory(agreement=agreement)
    grant(proposal, {2027: 100_000}, line=pool)
    o = selectors.economy_overview(agreement, 2027)
    for figures in [
        o.total,
        *(r.figures for a in o.areas for r in a.lines),
        *(p.figures for p in o.projects),
    ]:
        for value in (figures.frame, figures.committed, figures.disbursed, figures.spent, figures.remaining):
            assert type(value) is int
    assert all(type(c.amount) is int for c in Commitment.objects.all())


# --- commitments ---------------------------------------------------------------------------------------


def test_grant_commits_its_amounts_per_year_against_the_line(agreement, pool):
    proposal = ProposalFactory(agreement=agreement)
    decision = grant(proposal, {2027: 600_000, 2028: 200_000}, line=pool)

    assert sorted(Commitment.objects.values_list("year", "amount", "line_id", "conditional")) == [
        (2027, 600_000, pool.pk, False),
        (2028, 200_000, pool.pk, False),
    ]
    assert "Budgetpost: MKL – Förstudier och projekt" in minutes_draft_text(decision.meeting)
    o = selectors.economy_overview(agreement, 2027)
    assert o.total.committed == 600_000 and o.total.remaining == 400_000


def test_over_commitment_is_refused_without_override_and_nothing_changes(agreement, pool):
    grant(ProposalFactory(agreement=agreement), {2027: 800_000}, line=pool)
    proposal = ProposalFactory(agreement=agreement)
    item, secretary = steering_item(proposal)
    decisions, commitments = Decision.objects.count(), Commitment.objects.count()
    from governance.services import decision_by_acclamation

    with pytest.raises(ValidationError) as refused:
        decision_by_acclamation(
            item=item,
            by=secretary,
            kind="grant",
            text="Bevilja.",
            amounts={2027: 300_000},
            extra={"budget_line": pool},
        )

    text = plain(" ".join(refused.value.messages))
    assert "ramen 1 000 000 kr, redan beslutat 800 000 kr" in text
    assert "100 000 kr över ramen" in text
    assert Decision.objects.count() == decisions and Commitment.objects.count() == commitments
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AWAITING_DECISION


def test_override_needs_a_written_reason(agreement, pool):
    proposal = ProposalFactory(agreement=agreement)
    with pytest.raises(ValidationError, match="Skriv skälet"):
        grant(proposal, {2027: 1_200_000}, line=pool, over_frame=True, reason="  ")
    assert not Commitment.objects.exists()


def test_override_by_the_processledare_is_recorded_and_minuted(agreement, pool):
    proposal = ProposalFactory(agreement=agreement)
    decision = grant(
        proposal,
        {2027: 1_200_000},
        line=pool,
        over_frame=True,
        reason="Ramen utökas i budgetrevisionen i mars.",
    )

    commitment = Commitment.objects.get(decision=decision)
    assert commitment.over_frame and commitment.override_reason == "Ramen utökas i budgetrevisionen i mars."
    assert commitment.override_by == decision.created_by
    minutes = minutes_draft_text(decision.meeting)
    assert "Över ramen:" in minutes and "Ramen utökas i budgetrevisionen i mars." in minutes
    o = selectors.economy_overview(agreement, 2027)
    assert o.total.remaining == -200_000
    assert any("överintecknad" in w for w in o.warnings)


def test_override_by_a_chair_who_is_not_processledare_is_refused(agreement, pool):
    from governance.services import decision_by_acclamation

    proposal = ProposalFactory(agreement=agreement)
    item, _secretary = steering_item(proposal)
    chair = steering_member(agreement)
    item.meeting.chair = chair
    item.meeting.save()
    with pytest.raises(ValidationError, match="Bara en processledare"):
        decision_by_acclamation(
            item=item,
            by=chair,
            kind="grant",
            text="Bevilja.",
            amounts={2027: 2_000_000},
            extra={"budget_line": pool, "over_frame": True, "over_frame_reason": "Viktigt."},
        )
    assert not Decision.objects.exists()


def test_cofunding_commits_conditionally_and_lapse_releases_it(agreement, pool, leader):
    proposal = ProposalFactory(agreement=agreement, work_form=WorkForm.CO_FUNDING)
    grant(proposal, {2027: 400_000}, line=pool, kind="cofunding")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.COFUNDING_APPROVED
    before_lapse = timezone.localdate()

    o = selectors.economy_overview(agreement, 2027)
    assert (o.total.committed, o.total.conditional, o.total.remaining) == (400_000, 400_000, 600_000)
    assert services.granted_for(proposal, 2027) == 0  # nothing can be paid out while conditional

    proposal_transition(
        proposal=proposal, name="main_funder_declined", by=leader, comment="Huvudfinansiären sa nej."
    )

    o = selectors.economy_overview(agreement, 2027)
    assert (o.total.committed, o.total.remaining) == (0, 1_000_000)
    assert Commitment.objects.get().amount == 400_000  # kept as history; released by the lapse
    assert selectors.project_economy(proposal).commitments[0].is_released
    # The money is free again for another grant.
    grant(ProposalFactory(agreement=agreement), {2027: 1_000_000}, line=pool)
    # Yesterday's figures still show the conditional commitment (as_of reproduces a past report).
    past = selectors.economy_overview(agreement, 2027, as_of=before_lapse - datetime.timedelta(days=1))
    assert past.total.committed == 0  # the decision was made today: not yet on yesterday's figures


def test_cofunding_becomes_firm_when_the_main_funder_grants(agreement, pool, leader):
    proposal = ProposalFactory(agreement=agreement, work_form=WorkForm.CO_FUNDING)
    grant(proposal, {2027: 400_000}, line=pool, kind="cofunding")
    proposal_transition(proposal=proposal, name="main_funder_granted", by=leader)

    o = selectors.economy_overview(agreement, 2027)
    assert (o.total.committed, o.total.conditional) == (400_000, 0)


def test_as_of_ignores_decisions_and_payments_after_the_date(agreement, pool, leader):
    proposal = ProposalFactory(agreement=agreement)
    decision = grant(proposal, {2027: 300_000}, line=pool)
    Commitment.objects.filter(decision=decision).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    Proposal.objects.filter(pk=proposal.pk).update(documents_completed_at=timezone.now(), state="active")
    services.disbursement_create(
        proposal=proposal, year=2027, amount=100_000, paid_on=timezone.localdate(), reference="V-1", by=leader
    )

    past = selectors.economy_overview(
        agreement, 2027, as_of=timezone.localdate() - datetime.timedelta(days=10)
    )

    assert (past.total.committed, past.total.disbursed) == (300_000, 0)


def test_a_decision_without_a_line_uses_the_pool_and_is_refused_when_there_is_none(agreement):
    ops = budget_line(agreement, "Processledning", kind="operations")
    frame(agreement, 2027, {ops: 100_000})
    with pytest.raises(ValidationError, match="Välj vilken budgetpost"):
        grant(ProposalFactory(agreement=agreement), {2027: 1_000})


def test_agreement_without_budget_lines_commits_nothing(agreement):
    grant(ProposalFactory(agreement=agreement), {2027: 1_000})
    assert not Commitment.objects.exists()


# --- disbursements ---------------------------------------------------------------------------------------


@pytest.fixture
def signed(agreement, pool):
    proposal = ProposalFactory(agreement=agreement)
    grant(proposal, {2027: 500_000}, line=pool)
    Proposal.objects.filter(pk=proposal.pk).update(documents_completed_at=timezone.now(), state="active")
    proposal.refresh_from_db()
    return proposal


def pay(proposal, by, amount, year=2027, reference="V-1"):
    return services.disbursement_create(
        proposal=proposal,
        year=year,
        amount=amount,
        paid_on=datetime.date(2027, 1, 15),
        reference=reference,
        by=by,
    )


def test_disbursements_up_to_the_granted_amount_are_registered(signed, leader):
    pay(signed, leader, "300 000")
    pay(signed, leader, 200_000, reference="V-2")
    assert sum(Disbursement.objects.values_list("amount", flat=True)) == 500_000


def test_disbursement_over_the_granted_amount_is_refused_and_nothing_saved(signed, leader):
    pay(signed, leader, 300_000)
    with pytest.raises(ValidationError) as refused:
        pay(signed, leader, 200_001, reference="V-2")
    assert "högst 200 000 kr" in plain(refused.value.message_dict["amount"][0])
    assert Disbursement.objects.count() == 1


def test_disbursement_for_a_year_without_grant_is_refused(signed, leader):
    with pytest.raises(ValidationError, match="nytt beslut"):
        pay(signed, leader, 1, year=2029)
    assert not Disbursement.objects.exists()


def test_disbursement_before_the_documents_are_signed_is_refused(agreement, pool, leader):
    proposal = ProposalFactory(agreement=agreement)
    grant(proposal, {2027: 500_000}, line=pool)
    with pytest.raises(ValidationError, match="signerat"):
        pay(proposal, leader, 1_000)
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("who", ["researcher", "steering", "anonymous"])
def test_disbursement_permission(signed, who):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "researcher": lambda: signed.responsible_researcher,
        "steering": lambda: steering_member(signed.agreement),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDenied):
        pay(signed, user, 1_000)
    assert not Disbursement.objects.exists()


# --- spending from follow-up reports ----------------------------------------------------------------------


def test_spending_from_a_report_replaces_what_the_same_report_declared(signed):
    researcher = signed.responsible_researcher
    services.spending_replace_for_report(
        proposal=signed,
        year=2027,
        amounts={"salaries": 100_000, "travel": 5_000},
        reference="uppföljning-1",
        by=researcher,
    )
    services.spending_replace_for_report(
        proposal=signed,
        year=2027,
        amounts={"salaries": 90_000, "travel": 0},
        reference="uppföljning-1",
        by=researcher,
    )
    services.spending_replace_for_report(
        proposal=signed,
        year=2027,
        amounts={CostCategory.OTHER: 7_000},
        reference="uppföljning-2",
        by=researcher,
    )

    rows = sorted(Spending.objects.values_list("reference", "category", "amount", "source"))
    assert rows == [
        ("uppföljning-1", "salaries", 90_000, SpendingSource.REPORT),
        ("uppföljning-2", "other", 7_000, SpendingSource.REPORT),
    ]
    assert selectors.economy_overview(signed.agreement, 2027).total.spent == 97_000


def test_spending_with_a_bad_category_or_amount_changes_nothing(signed):
    with pytest.raises(ValidationError) as refused:
        services.spending_replace_for_report(
            proposal=signed,
            year=2027,
            amounts={"salaries": "12,5", "coffee": 5},
            reference="r",
            by=signed.responsible_researcher,
        )
    assert set(refused.value.message_dict) == {"salaries", "coffee"}
    assert not Spending.objects.exists()


def test_spending_by_an_unrelated_person_is_refused(signed):
    stranger = person_with_role(signed.agreement, Role.RESEARCHER)
    with pytest.raises(PermissionDenied):
        services.spending_replace_for_report(
            proposal=signed, year=2027, amounts={"salaries": 1}, reference="r", by=stranger
        )
    assert not Spending.objects.exists()


# --- query counts ----------------------------------------------------------------------------------------


def _many_projects(agreement, line, count):
    """`count` granted projects with a commitment, a disbursement and spending each (bulk, tests only)."""
    from governance.enums import DecisionKind, MeetingKind
    from governance.models import AgendaItem
    from tests.factories.governance import MeetingFactory

    template = ProposalFactory(agreement=agreement)
    template.municipal_organisations.set(agreement.municipalities.all())
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING)
    proposals = Proposal.objects.bulk_create(
        Proposal(
            agreement=agreement,
            title=f"Projekt {n}",
            responsible_researcher=template.responsible_researcher,
            created_by=template.responsible_researcher,
            state="active",
        )
        for n in range(count)
    )
    through = Proposal.municipal_organisations.through
    through.objects.bulk_create(
        through(proposal_id=p.pk, organisation_id=m.pk)
        for p in proposals
        for m in agreement.municipalities.all()
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=n, kind="decision", title=p.title, proposal=p)
        for n, p in enumerate(proposals)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            meeting=meeting,
            item=i,
            proposal=i.proposal,
            kind=DecisionKind.GRANT,
            paragraph=n + 1,
            text="B",
            created_by=meeting.secretary,
        )
        for n, i in enumerate(items)
    )
    now = timezone.now()
    Commitment.objects.bulk_create(
        Commitment(decision=d, proposal_id=d.proposal_id, line=line, year=2027, amount=1_000, created_at=now)
        for d in decisions
    )
    Disbursement.objects.bulk_create(
        Disbursement(
            proposal=p,
            year=2027,
            amount=500,
            paid_on=datetime.date(2027, 1, 2),
            reference="x",
            created_by=meeting.secretary,
        )
        for p in proposals
    )
    Spending.objects.bulk_create(
        Spending(
            proposal=p,
            year=2027,
            category="salaries",
            amount=100,
            source="import",
            reference="f",
            created_by=meeting.secretary,
        )
        for p in proposals
    )


@pytest.mark.parametrize("count", [10, 500])
def test_overview_query_count_does_not_grow_with_projects(
    agreement, pool, count, django_assert_max_num_queries
):
    _many_projects(agreement, pool, count)
    with django_assert_max_num_queries(8):
        o = selectors.economy_overview(agreement, 2027)
    assert len(o.projects) == count
    assert o.total.committed == 1_000 * count


@pytest.mark.parametrize("count", [10, 500])
def test_overview_page_query_count_does_not_grow_with_projects(
    client, agreement, pool, leader, count, django_assert_max_num_queries
):
    _many_projects(agreement, pool, count)
    client.force_login(leader)
    with django_assert_max_num_queries(25):
        response = client.get(f"/ekonomi/{agreement.pk}/2027/")
    assert response.status_code == 200
    assert f"Projekt {count - 1}" in response.content.decode()


# --- base funding, warnings, start page, proposal page -----------------------------------------------------


def test_base_funding_of_a_programme_shows_in_the_overview_and_on_its_page(client, agreement, leader):
    programme = ProposalFactory(
        agreement=agreement, work_form=WorkForm.PROGRAMME, title="Program Hållbar stad"
    )
    line = budget_line(agreement, "Program Hållbar stad – bas", kind="programme", proposal=programme)
    frame(agreement, 2027, {line: 35_000})

    overview = selectors.economy_overview(agreement, 2027)

    assert [(row.proposal, row.amount) for row in overview.base_funding] == [(programme, 35_000)]
    client.force_login(programme.responsible_researcher)
    page = client.get(programme.get_absolute_url()).content.decode()
    # The economy panel is deferred: the page links to it, htmx fetches it after the page.
    assert "?panel=ekonomi" in page
    panel = client.get(programme.get_absolute_url(), {"panel": "ekonomi"}, HTTP_HX_REQUEST="true")
    assert "Basfinansiering 2027" in panel.content.decode() and "35\xa0000\xa0kr" in panel.content.decode()


def test_under_spending_in_a_finished_year_is_flagged(agreement, leader):
    line = budget_line(agreement)
    frame(agreement, 2025, {line: 1_000_000})
    proposal = ProposalFactory(agreement=agreement, title="Tyst projekt")
    grant(proposal, {2025: 400_000}, line=line)
    services.spending_replace_for_report(
        proposal=proposal, year=2025, amounts={"salaries": 50_000}, reference="slut", by=leader
    )

    overview = selectors.economy_overview(agreement, 2025)

    assert any(w.startswith("Tyst projekt: Låg förbrukning") for w in overview.warnings)


def test_start_page_shows_the_economy_to_the_processledare_only(client, agreement, pool, leader):
    client.force_login(leader)
    page = client.get("/").content.decode()
    # The economy section sums the whole year: htmx fetches it after the page.
    section = client.get("/", {"avsnitt": "ekonomi"}, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-get="/?avsnitt=ekonomi"' in page
    assert "Ekonomi 2026" in section or "Ekonomi 2027" in section
    client.force_login(person_with_role(agreement, Role.RESEARCHER))
    assert "avsnitt=ekonomi" not in client.get("/").content.decode()
    assert (
        client.get("/", {"avsnitt": "ekonomi"}, headers={"HX-Request": "true"}).content.decode().strip() == ""
    )
    assert client.get(f"/ekonomi/{agreement.pk}/2027/").status_code == 403
