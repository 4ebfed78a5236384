"""Demo application budgets: every demo proposal from the application stage on gets a realistic budget
(salaries, indirect costs, travel and dissemination from the agreement; own contributions of the university
and the municipality), unless it already has one. Runs after applications' `load`, before `advance`
submits the finished applications. Idempotent: a proposal with budget rows is left alone."""

from __future__ import annotations

import datetime

from applications.enums import ProposalState
from applications.models import Proposal
from samverkan.demo import AGREEMENT_NAME

from . import permissions, services
from .enums import CostCategory, FundingSource
from .models import ApplicationBudgetRow, CellKey

S = ProposalState
BEFORE_APPLICATION = {S.DIALOG, S.PITCH}

# Whole-year amounts in kronor; a part year gets its share of months.
AGREEMENT_SALARIES = 720_000
INDIRECT_PERCENT = 35  # of the salaries, as the university charges
AGREEMENT_TRAVEL = 24_000
DISSEMINATION = 30_000  # in the last year: a seminar and a popular-science publication
UNIVERSITY_OWN_SALARIES = 180_000
MUNICIPAL_OWN_SALARIES = 240_000


def _months_in(year: int, start: datetime.date, end: datetime.date) -> int:
    first = start.month if start.year == year else 1
    last = end.month if end.year == year else 12
    return max(0, last - first + 1)


def _share(amount: int, numerator: int, denominator: int) -> int:
    """amount × numerator / denominator in whole thousands of kronor (integers only: money is never float)."""
    return (amount * numerator + denominator * 500) // (denominator * 1000) * 1000


def demo_cells(proposal: Proposal) -> dict[CellKey, int]:
    start, end = proposal.planned_start, proposal.planned_end
    municipal = proposal.municipal_organisations.order_by("name").first() or (
        proposal.agreement.municipalities.order_by("name").first()
    )
    cells: dict[CellKey, int] = {}
    university = proposal.agreement.university_id
    agreement, own = FundingSource.AGREEMENT, FundingSource.OWN_CONTRIBUTION
    for year in range(start.year, end.year + 1):
        months = _months_in(year, start, end)
        salaries = _share(AGREEMENT_SALARIES, months, 12)
        cells[CellKey(year, CostCategory.SALARIES, agreement)] = salaries
        cells[CellKey(year, CostCategory.INDIRECT, agreement)] = _share(salaries, INDIRECT_PERCENT, 100)
        cells[CellKey(year, CostCategory.TRAVEL, agreement)] = _share(AGREEMENT_TRAVEL, months, 12)
        cells[CellKey(year, CostCategory.SALARIES, own, university)] = _share(
            UNIVERSITY_OWN_SALARIES, months, 12
        )
        if municipal is not None:
            amount = _share(MUNICIPAL_OWN_SALARIES, months, 12)
            cells[CellKey(year, CostCategory.SALARIES, own, municipal.pk)] = amount
    cells[CellKey(end.year, CostCategory.OTHER, FundingSource.AGREEMENT)] = DISSEMINATION
    return cells


def load(stdout=None) -> None:
    _load_application_budgets()
    _load_economy()


def _load_application_budgets() -> None:
    proposals = (
        Proposal.objects.filter(
            agreement__name=AGREEMENT_NAME, planned_start__isnull=False, planned_end__isnull=False
        )
        .exclude(state__in=BEFORE_APPLICATION)
        .exclude(pk__in=ApplicationBudgetRow.objects.values("proposal_id"))
        .select_related("agreement", "responsible_researcher")
        .order_by("pk")
    )
    for proposal in proposals:
        cells = demo_cells(proposal)
        researcher = proposal.responsible_researcher
        if permissions.can_edit_budget(researcher, proposal):
            services.budget_save(proposal=proposal, by=researcher, cells=cells)
        else:
            # Already past the applicants' stage (moved on by another part of the demo): written directly.
            services.budget_replace_unchecked(proposal=proposal, cells=cells)


# --- The agreement's economy: the frame and verksamhetsplan of seed 000 ------------------------------------
# The seed's "Verksamhetsplan 2020 – Gemensamma samverkansområdet" is entered as the demo agreement's plan
# for 2027 (its activities, budget lines and amounts: total 7 400 000 kr; the overall budget across the
# three collaboration areas 17 800 000 kr). The same frame is used for 2026–2028 so that the October
# grants (2027–2028) have a frame to be committed against; the MKL and MKHV areas are pools for förstudier
# and projekt decided by the styrgrupp.

MAIN_AREA = "Gemensamma samverkansområdet"
SEED_LINES = [
    # area, line, kind, amount
    (MAIN_AREA, "Processledning", "operations", 2_300_000),
    (MAIN_AREA, "Strategiskt arbete (Core Team)", "operations", 150_000),
    (MAIN_AREA, "Forskningskoordination", "operations", 540_000),
    (MAIN_AREA, "Event, spridning, nyttogörande, digital utveckling", "operations", 210_000),
    (MAIN_AREA, "VÄLKOM 2020 (FA)", "project", 1_500_000),
    (MAIN_AREA, "PreLAB (HSU)", "project", 2_000_000),
    (MAIN_AREA, "”SK summit”", "project", 150_000),
    (MAIN_AREA, "Alva Myrdal", "project", 200_000),
    (MAIN_AREA, "Inkludera Mera", "project", 300_000),
    (MAIN_AREA, "Övrigt", "other", 50_000),
    ("MKL", "Förstudier och projekt", "pool", 4_160_000),
    ("MKHV inkl. ACTION", "Förstudier och projekt", "pool", 6_240_000),
]
FRAME_YEARS = (2026, 2027, 2028)
PLAN_YEAR = 2027
PLAN_TITLE = "Verksamhetsplan 2027 – Gemensamma samverkansområdet"
PLAN_INTRODUCTION = (
    "Under året samlas verksamheten i det gemensamma samverkansområdet. Verksamhet som planerats inom de "
    "tidigare områdena genomförs som en del av det gemensamma området, och sammanslagningen sker stegvis för "
    "att ta tillvara gjorda erfarenheter.\n\nInom området finns fyra delar: Ledning och kommunikation, "
    "Projekt, Samverkansutveckling och PreLAB."
)
PLAN_GOALS = "\n".join(
    [
        "Höja kompetensnivån i regionen.",
        "Stärka forskning och utbildning i samverkan.",
        "Utveckla verksamheter och medarbetare inom offentlig sektor.",
        "Vidareutveckla samverkan mellan universitetet och avtalets parter.",
    ]
)
ALL_GOALS = "1, 2, 3, 4"
EVENT_LINE = "Event, spridning, nyttogörande, digital utveckling"
PLAN_ACTIVITIES = [
    # title, line (or None), amount (or None), area goal, description, activities, communication, follow-up
    (
        "Samverkanssummit",
        "”SK summit”",
        150_000,
        "En årlig konferens sprider nytta och värde som samverkan gett och driver det gemensamma arbetet framåt.",
        "Konferensen samlar parterna för samsyn, gemensamma prioriteringar, dialog och gemensam kunskap; "
        "den hålls vartannat år i Västerås och vartannat år i Eskilstuna.",
        "En konferens under hösten.",
        "Konferensen kommuniceras och marknadsförs av parterna tillsammans.",
        "Konferensen följs upp och utvärderas årligen.",
    ),
    (
        "VÄLKOM",
        "VÄLKOM 2020 (FA)",
        1_500_000,
        "Att generera kunskap om och förbättra genomförandet av organisationsdrivna förändringar med fokus på "
        "goda exempel.",
        "Finns det generella mönster i lyckade förbättringsprojekt? Projektet ger direkt användbar kunskap till "
        "parterna och bidrar till teori- och metodutveckling inom interventionsforskning.",
        "Följeforskning i Eskilstuna kommun och Västerås stad.",
        "Se kommunikationsplanen.",
        "Planeras och följs upp enligt avtalets uppföljningssystematik.",
    ),
    (
        "PreLAB",
        "PreLAB (HSU)",
        2_000_000,
        "Att utveckla ett koncept för gemensam kunskapsutveckling som bygger på sociala labb.",
        "Gemensam problemformulering och delaktighet för dem som berörs. Två fokusområden: initiativ mot "
        "segregation och för inkludering, och initiativ för barns och ungas hälsa.",
        "Aktiviteterna formuleras under året. En projektledare anställs.",
        "Parterna görs delaktiga genom kommunikation och interaktion; se kommunikationsplanen.",
        "Planeras och följs upp enligt avtalets uppföljningssystematik.",
    ),
    (
        "Gästprofessur till minne av Alva Myrdal",
        "Alva Myrdal",
        200_000,
        "Att stärka forskningsmiljöer inom områden som anknyter till Alva Myrdals gärning.",
        "Gästprofessurens inriktning är genus och jämställdhet. En ny gästprofessor utses till hösten.",
        "Aktiviteterna utformas av värdakademin.",
        "Utformas av värdakademin tillsammans med processledningen.",
        "Planeras och följs upp enligt avtalets uppföljningssystematik.",
    ),
    (
        "Inkludera Mera",
        "Inkludera Mera",
        300_000,
        "Att höja kunskapen om bemötande, mångfald, inkludering, jämställdhet och jämlikhet och främja "
        "erfarenhetsutbyte mellan parterna.",
        "En konferens som parterna arrangerar tillsammans med externa aktörer; målgruppen är i första hand "
        "parternas medarbetare.",
        "Konferensen genomförs i Eskilstuna och Västerås under våren för cirka 1 000 deltagare.",
        "Konferensen kommuniceras och marknadsförs av parterna tillsammans.",
        "Konferensen följs upp och utvärderas årligen.",
    ),
    (
        "Digital introduktion för medarbetare",
        None,
        None,
        "Att skapa samsyn och tydliggöra förväntningar, roller och uppdrag för medarbetare i projekten.",
        "En kurs i mikrolektioner tas fram i dialog med parterna och förbättras löpande.",
        "En digital kurs med en serie mikrolektioner.",
        "Alla medarbetare i projekt och styrgruppens ledamöter får kursen via e-post.",
        "Följs upp och utvärderas löpande.",
    ),
    (
        "Gränsöverskridande aktiviteter och arenor för dialog",
        EVENT_LINE,
        None,
        "Att främja samarbete och gränsöverskridande aktiviteter mellan avtalets verksamhetsområden.",
        "Fler arenor för kunskapsutbyte skapas – från fördefinierade områden till en flexibel, behovsstyrd "
        "samverkan.",
        "Arenor för medarbetare prövas och utvecklas; processer för hur initiativ fångas upp tas fram.",
        "Kommuniceras och marknadsförs av parterna tillsammans.",
        "Följs upp och utvärderas löpande.",
    ),
    (
        "Förankring och synliggörande",
        EVENT_LINE,
        None,
        "Att förankra och synliggöra samverkan internt och externt.",
        "Samverkan förankras tydligare i parternas organisationer och återkopplas till politiken; "
        "processledaren sprider de goda exemplen regionalt och nationellt.",
        "Aktiviteterna presenteras i kommunikationsplanen.",
        "Se kommunikationsplanen.",
        "Följs upp och utvärderas löpande.",
    ),
]
ENERGY = "Energieffektiva bostäder och minskad segregation"
DISBURSEMENT = {
    "year": 2027,
    "amount": 498_000,
    "paid_on": datetime.date(2026, 11, 16),
    "reference": "MDU-VER-2026-1187",
}
SPENDING_2027 = {"salaries": 61_000, "indirect": 21_000, "travel": 3_400}


def _economy_frames(agreement, leader) -> None:
    from .models import BudgetFrame, BudgetLine

    if BudgetFrame.objects.filter(agreement=agreement).exists():
        return
    for year in FRAME_YEARS:
        existing = {(line.area, line.name): line for line in BudgetLine.objects.filter(agreement=agreement)}
        services.frame_save(
            agreement=agreement,
            year=year,
            by=leader,
            amounts={existing[(a, n)].pk: amount for a, n, _k, amount in SEED_LINES if (a, n) in existing},
            new_lines=[
                {"area": a, "name": n, "kind": k, "amount": amount}
                for a, n, k, amount in SEED_LINES
                if (a, n) not in existing
            ],
            note="Ramen enligt avtalets budget: samma nivå varje år." if year == FRAME_YEARS[0] else "",
        )


def _economy_plan(agreement, leader) -> None:
    from .models import ActivityPlan, BudgetLine

    if ActivityPlan.objects.filter(agreement=agreement, programme=None, year=PLAN_YEAR).exists():
        return
    plan = services.plan_create(
        agreement=agreement,
        year=PLAN_YEAR,
        by=leader,
        title=PLAN_TITLE,
        area=MAIN_AREA,
        introduction=PLAN_INTRODUCTION,
        overall_goals=PLAN_GOALS,
    )
    lines = {line.name: line for line in BudgetLine.objects.filter(agreement=agreement)}
    for title, line, amount, area_goal, description, activities, communication, follow_up in PLAN_ACTIVITIES:
        services.activity_save(
            plan=plan,
            by=leader,
            title=title,
            goal_numbers=ALL_GOALS,
            area_goal=area_goal,
            description=description,
            planned_activities=activities,
            budget_amount=amount,
            budget_line=lines.get(line) if line else None,
            communication=communication,
            follow_up=follow_up,
        )


def _load_economy() -> None:
    from samverkan.demo import person
    from samverkan.models import Agreement

    agreement = Agreement.objects.filter(name=AGREEMENT_NAME).first()
    if agreement is None:
        return
    leader = person("anna.lindqvist@mdu.example")
    _economy_frames(agreement, leader)
    _economy_plan(agreement, leader)


def advance(stdout=None) -> None:
    """After governance's advance (the October grants are committed against the MKL pool by then): the
    first disbursement to the running project, and its first costs from a follow-up."""
    from samverkan.demo import person

    from .models import Disbursement, Spending

    # Later apps' demos (follow-up, reports) add running projects in their `load`: they get their
    # application budgets here.
    _load_application_budgets()
    proposal = Proposal.objects.filter(agreement__name=AGREEMENT_NAME, title=ENERGY).first()
    if proposal is None or proposal.state != ProposalState.ACTIVE or not proposal.commitments.exists():
        return
    leader = person("anna.lindqvist@mdu.example")
    if not Disbursement.objects.filter(proposal=proposal).exists():
        services.disbursement_create(proposal=proposal, by=leader, **DISBURSEMENT)
    if not Spending.objects.filter(proposal=proposal).exists():
        services.spending_replace_for_report(
            proposal=proposal, year=2027, amounts=SPENDING_2027, reference="uppstart-demo", by=leader
        )
