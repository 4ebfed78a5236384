"""Demo templates (mallar) for the demo agreement: one current template per stage and work form.

Built through the services, so they are ordinary version-1 templates that a processledare can edit.
Idempotent: a stage and work form that already has a current template is left alone.
"""

from __future__ import annotations

from .enums import TemplateStage, WorkForm
from .models import ProposalTemplate
from .services.templates import template_create


def _s(title: str, guidance: str, max_length: int | None = None, required: bool = True) -> dict:
    return {"title": title, "guidance": guidance, "max_length": max_length, "required": required}


TEMPLATES = [
    {
        "stage": TemplateStage.PITCH,
        "work_form": "",
        "title": "Pitch",
        "introduction": "En pitch är en kort presentation av en idé som ni vill pröva innan ni skriver en hel ansökan. Den tas upp på en beredning där ni får återkoppling – inga pengar beslutas. Skriv kort och konkret; det räcker med några meningar per avsnitt.",
        "sections": [
            _s(
                "Idé och problem",
                "Vilken utmaning i kommunen handlar idén om, och varför behöver den lösas just nu? Beskriv gärna ett konkret exempel från verksamheten.",
                1500,
            ),
            _s(
                "Vem i kommunen berörs",
                "Vilken förvaltning eller vilket bolag äger frågan, och vilka invånare, företag eller besökare märker skillnad om ni lyckas? Ange om ni redan har en kontaktperson.",
                1000,
            ),
            _s(
                "Forskningsfrågan",
                "Formulera den fråga som forskaren vill undersöka. Vad är nytt jämfört med det som redan är känt?",
                1000,
            ),
            _s(
                "Nästa steg",
                "Vad vill ni ha återkoppling på från beredningen, och vad behöver hända innan en ansökan kan skrivas?",
                800,
            ),
        ],
    },
    {
        "stage": TemplateStage.PRE_REVIEW,
        "work_form": "",
        "title": "För-beredning",
        "introduction": "Ett kortare underlag för att testa en forskningsfråga på en för-beredning innan ni lägger ned arbete på en fullständig ansökan.",
        "sections": [
            _s(
                "Frågan i korthet",
                "Beskriv frågan och varför den är intressant – för forskningen och för kommunen.",
                1200,
            ),
            _s(
                "Tänkt upplägg",
                "Hur skulle arbetet kunna gå till, ungefär hur länge, och vilka skulle delta från respektive part?",
                1200,
            ),
            _s(
                "Det vill vi diskutera",
                "Vilka osäkerheter vill ni reda ut med beredningen?",
                800,
                required=False,
            ),
        ],
    },
    {
        "stage": TemplateStage.APPLICATION,
        "work_form": "",
        "title": "Ansökan – förstudie och projekt",
        "introduction": "Mallen gäller förstudier och projekt där universitetet och kommunen är parter. Budgeten fylls i separat, per år och kostnadsslag. Innan ansökan skickas in ska den ansvariga tjänstepersonen ha bekräftat förankringen i sin förvaltning eller sitt bolag.",
        "sections": [
            _s(
                "Bakgrund och syfte",
                "Beskriv den kommunala utmaningen och vad förstudien eller projektet ska åstadkomma. Knyt gärna an till avtalets effektmål.",
                3000,
            ),
            _s(
                "Forskningsfråga och metod",
                "Ange forskningsfrågan eller frågorna och hur de ska besvaras: design, data, urval och analys. Nämn etiska överväganden och om etikprövning behövs.",
                3000,
            ),
            _s(
                "Forskningshöjd",
                "Forskaren värderar frågans vetenskapliga höjd: hur bidrar arbetet till forskningsfronten, och var kan resultaten publiceras? Uppdrag kan inte beställas – frågan måste vara forskarens egen.",
                2000,
            ),
            _s(
                "Förankring i kommunen",
                "Hur har ansökan förankrats i den förvaltning eller det bolag som är medsökande? Vem har godkänt att verksamheten deltar, och vilka resurser bidrar kommunen med?",
                2000,
            ),
            _s(
                "Leveranser och nytta för kommunen",
                "Vad levereras konkret (t.ex. kunskapsunderlag, metodstöd, utbildning) och hur kommer invånare, företag eller besökare att märka skillnad? Föreslå mätbara aktivitetsmål.",
                3000,
            ),
            _s(
                "Resultatspridning",
                "Hur sprids resultaten inom kommunen och utanför? Den ansvariga tjänstepersonen ansvarar för spridningen i kommunen – beskriv hur. Alla projekt presenterar populärvetenskapligt vid ett resultatspridningstillfälle.",
                2000,
            ),
            _s(
                "Genomförande och tidplan",
                "Ange faser, milstolpar och vem som gör vad hos respektive part. Ange när halvtids- eller årsredovisning och slutredovisning är tänkta att lämnas.",
                2500,
            ),
        ],
    },
    {
        "stage": TemplateStage.APPLICATION,
        "work_form": WorkForm.PROGRAMME,
        "title": "Ansökan – program (verksamhetsplan)",
        "introduction": "Ett program tas fram i dialog mellan en forskargrupp och en eller flera kommuner. Ansökan är ett förslag till verksamhetsplan som bereds i varje kommuns beredningsgrupp och beslutas av styrgruppen. Förstudier och projekt inom programmet söks var för sig.",
        "sections": [
            _s(
                "Inriktning",
                "Vilket område av stor vikt för kommunerna samlar programmet, och vilken forskningsmiljö ska det utveckla?",
                2500,
            ),
            _s(
                "Vision och mål",
                "Var vill programmet stå om tre till fem år? Ange mål för året som planen gäller och hur de kopplar till avtalets effektmål och nyckeltal.",
                3000,
            ),
            _s(
                "Övergripande aktiviteter",
                "Beskriv årets aktiviteter: programledning, nya ansökningar, arenor för lärande, omvärldsbevakning, webbinarier och kompetensförstärkning.",
                4000,
            ),
            _s(
                "Ledning, styrning och organisation",
                "Vem är programledare, vilka sitter i programledningsgruppen från universitetet och kommunerna, och hur fattas beslut inom programmet? Ange eventuella delade tjänster.",
                2500,
            ),
            _s("Uppföljning", "Hur följs leveranser och mål upp i halvårsredovisningarna?", 1500),
        ],
    },
    {
        "stage": TemplateStage.APPLICATION,
        "work_form": WorkForm.PROFILE_AREA,
        "title": "Ansökan – profilbärande område",
        "introduction": "Ett profilbärande område bygger på forskning av nationell och internationell klass som också är viktig för regionens och kommunernas utveckling. Basfinansieringen från avtalet är liten och går till koordinering; projekten inom området har extern finansiering.",
        "sections": [
            _s(
                "Området och forskningens ställning",
                "Beskriv området och hur forskningen står sig nationellt och internationellt. Vilka förstudier och projekt har lett fram hit?",
                3000,
            ),
            _s(
                "Samverkansstruktur",
                "Vilka kommuner deltar, och hur organiseras det systematiska utbytet mellan dem? Hur får alla kommuner del av resultaten även från projekt de inte deltar i?",
                3000,
            ),
            _s(
                "Lärande och resultatspridning",
                "Hur ordnas lärandet mellan kommunerna, och hur sprids resultaten i och utanför området?",
                2500,
            ),
            _s(
                "Ledning, styrning och organisation",
                "Hur leds och koordineras området, och vad används basfinansieringen till?",
                2500,
            ),
            _s(
                "Ingående projekt",
                "Lista pågående och planerade projekt med finansiär och vilka kommuner som deltar, samt det delprojekt eller den testmiljö som finns för varje kommun.",
                3000,
                required=False,
            ),
        ],
    },
    {
        "stage": TemplateStage.APPLICATION,
        "work_form": WorkForm.CO_FUNDING,
        "title": "Ansökan – medfinansiering",
        "introduction": "Vid medfinansiering bifogas ansökan till huvudfinansiären som bilaga. Komplettera den här med en kort beskrivning av vad kommunen får.",
        "sections": [
            _s("Projektet i korthet", "Sammanfatta ansökan till huvudfinansiären med egna ord.", 1500),
            _s(
                "Leveranser för kommunen",
                "Vad levereras till kommunen, och hur deltar förvaltningen eller bolaget i projektet?",
                2000,
            ),
        ],
    },
    {
        "stage": TemplateStage.FINAL_REPORT,
        "work_form": "",
        "title": "Vetenskaplig slutrapport",
        "introduction": "Slutrapporten är underlag för styrgruppens beslut om att godkänna resultaten och avsluta projektet. Projektet presenteras dessutom populärvetenskapligt vid ett resultatspridningstillfälle.",
        "sections": [
            _s(
                "Genomförande",
                "Hur gick arbetet till jämfört med planen? Beskriv ändringar i upplägg, tidplan eller bemanning och varför de gjordes.",
                3000,
            ),
            _s(
                "Resultat",
                "Redovisa de viktigaste resultaten och vad de betyder för forskningen och för kommunen.",
                4000,
            ),
            _s(
                "Leveranser jämfört med beslut",
                "Gå igenom leveranserna och aktivitetsmålen i beslutet ett i taget: vad är uppnått, delvis uppnått eller inte uppnått?",
                3000,
            ),
            _s(
                "Utvärdering och erfarenheter",
                "Vad fungerade väl i samverkan, vad skulle ni göra annorlunda, och vilka lärdomar bör nästa projekt ta med sig?",
                2500,
            ),
            _s(
                "Spridning",
                "Vilka publiceringar, presentationer och andra spridningsinsatser har gjorts och planeras – i kommunen, i forskarsamhället och för allmänheten?",
                2500,
            ),
        ],
    },
]


def load_templates(agreement, by) -> list[ProposalTemplate]:
    """Create the demo templates that are missing; return the current template of every spec."""
    result = []
    for spec in TEMPLATES:
        current = ProposalTemplate.objects.filter(
            agreement=agreement, stage=spec["stage"], work_form=spec["work_form"], is_current=True
        ).first()
        if current is None:
            current = template_create(agreement=agreement, by=by, **spec)
        result.append(current)
    return result
