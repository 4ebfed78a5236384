"""Who and what the governance demo is about: the proposals' titles, the people in their roles, the meetings'
titles and days, the amounts, the application this demo adds and the reviewers' scores."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from applications.enums import ProposalState

TZ = ZoneInfo("Europe/Stockholm")
S = ProposalState

ENERGY = "Energieffektiva bostäder och minskad segregation"
INCLUSION = "Inkludering av nyanlända i föreningslivet"
PRESCHOOL = "Språkutveckling i förskolan – tidiga insatser i flerspråkiga områden"

SECRETARY = "anna.lindqvist@mdu.example"
REVIEW_CHAIR = "karin.sjoberg@mdu.example"
REVIEWERS = ["karin.sjoberg@mdu.example", "olof.strand@eskilstuna.example", "fatima.ali@vasteras.example"]
CHAIR = "helena.wik@mdu.example"
ADJUSTER = "mats.larsson@eskilstuna.example"
DEPUTY = "ingrid.falk@eskilstuna.example"
STEERING = [CHAIR, ADJUSTER, "eva.persson@vasteras.example", "nils.oberg@strangnas.example"]

Q3_REVIEW = "Kommungemensam beredning kvartal 3 2026"
OCTOBER = "Styrgruppsmöte oktober 2026"
Q4_REVIEW = "Kommungemensam beredning kvartal 4 2026"
DECEMBER = "Styrgruppsmöte december 2026"
PLACE = "Mälardalens universitet, Eskilstuna, sal U2-024"
VIDEO = "https://video.mdu.example/samverkan-styrgrupp"

JAV_REASON = "Ledamot i styrelsen för Eskilstuna Energi och Miljö AB, som är kommunal part i ansökan"  # minuted as given
GRANT_AMOUNTS = {2027: 996_000, 2028: 528_000}
PRESCHOOL_AMOUNTS = {2027: 860_000, 2028: 455_000}

RECTOR = "paul.pettersson@mdu.example"
ENERGY_DIARIUM = {"MDU": "MDU-2026/1187", "EEM": "EEM-2026/412"}  # per diarium prefix
ENERGY_ACCOUNT = "MDU-71304"

# The application this module adds (load), written and anchored through the services like the
# applications demo's; the budget demo gives it its budget before `advance` submits it.
PRESCHOOL_SPEC = {
    "researcher": "maria.nilsson@mdu.example",
    "officer": "sofia.andersson@vasteras.example",
    "organisation": "Västerås stad",
    "summary": "Hur kan förskolan tillsammans med vårdnadshavare och bibliotek stärka språkutvecklingen hos "
    "barn i flerspråkiga bostadsområden?",
    "research_question": "Vilka arbetssätt i förskolan stärker barns språkutveckling på svenska och på "
    "modersmålet, och hur når de hemmen?",
    "scientific_ambition": "Praktiknära forskning i sex förskolor i tre stadsdelar med språkbedömningar "
    "före och efter och intervjuer med pedagoger och vårdnadshavare.",
    "popular_summary": "Språket är nyckeln till skolan. Projektet prövar hur förskolan och föräldrarna "
    "tillsammans kan ge alla barn en bra start.",
    "goals": [
        "Sex förskolor prövar arbetssätten under två terminer",
        "Ett metodmaterial för språkstödjande samtal med vårdnadshavare tas fram",
    ],
}
# One goal a line (the beslutsunderlag lists them), each a sentence (the minutes run them together).
PRESCHOOL_GOALS = "\n".join(f"{goal}." for goal in PRESCHOOL_SPEC["goals"])

# Scores per reviewer and proposal: (perspective scores, nine criteria, comment, proposed goals)
SCORES = {
    ENERGY: {
        "karin.sjoberg@mdu.example": (
            {"research_quality": 4, "research_ambition": 5},
            [4, 4, 3, 4, 4, 4, 5, 4, 3],
            "Väl avgränsad jämförande fallstudie; energidata och enkäter kompletterar varandra.",
            "Resultaten presenteras vid ett resultatspridningstillfälle 2028.",
        ),
        "olof.strand@eskilstuna.example": (
            {"benefit": 5, "effects": 4},
            [5, 4, 4, 4, 4, 4, 5, 5, 4],
            "Direkt nytta för renoveringsplaneringen i Eskilstuna; boendedialogerna är centrala.",
            "",
        ),
        "fatima.ali@vasteras.example": (
            {"benefit": 4, "effects": 4},
            [4, 4, 4, 3, 4, 4, 4, 4, 3],
            "Intressant även för Västerås miljonprogramsområden – sprid erfarenheterna.",
            "",
        ),
    },
    PRESCHOOL: {
        "karin.sjoberg@mdu.example": (
            {"research_quality": 4, "research_ambition": 4},
            [4, 4, 4, 4, 4, 5, 4, 5, 3],
            "Tydlig design; bra att språkbedömningarna före och efter är planerade från början.",
            "",
        ),
        "olof.strand@eskilstuna.example": (
            {"benefit": 4, "effects": 4},
            [4, 4, 4, 4, 4, 4, 4, 4, 4],
            "Metodmaterialet kan användas i alla tre kommunerna.",
            "",
        ),
        "fatima.ali@vasteras.example": (
            {"benefit": 5, "effects": 4},
            [5, 4, 4, 4, 4, 5, 5, 5, 4],
            "Efterfrågat av förskoleförvaltningen och stadsbiblioteket.",
            "Metodmaterialet presenteras för förskolecheferna i alla tre kommunerna.",
        ),
    },
    INCLUSION: {
        "karin.sjoberg@mdu.example": (
            {"research_quality": 4, "research_ambition": 4},
            [4, 5, 4, 4, 4, 4, 4, 5, 4],
            "Aktionsforskningen är väl förankrad; registerdelen behöver en tydligare etikprövningsplan.",
            "",
        ),
        "olof.strand@eskilstuna.example": (
            {"benefit": 4, "effects": 3},
            [4, 4, 3, 4, 4, 4, 4, 4, 3],
            "Bra för föreningsstödet; effekterna för kommunen bör följas upp efter projektet.",
            "",
        ),
        "fatima.ali@vasteras.example": (
            {"benefit": 5, "effects": 5},
            [5, 5, 4, 4, 5, 4, 5, 5, 4],
            "Mycket efterfrågat i stadsdelarna; föreningarna är redan engagerade.",
            "En vägledning för föreningsbidrag tas fram tillsammans med stadens fritidsförvaltning.",
        ),
    },
}


def local_time(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


Q3_DAY = datetime.date(2026, 9, 15)
OCTOBER_DAY = datetime.date(2026, 10, 6)
Q4_DAY = datetime.date(2026, 11, 17)
