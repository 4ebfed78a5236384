"""Demo proposals in dialog, pitch, application, submitted and in_review, built through the services so
that history, permissions and notifications are real. Two phases: `load` creates and writes the proposals;
`advance` (run after every app's `load`, when budgets exist) submits and schedules them.

Topics follow the seeds' spirit: inclusion, children's health, segregation, public-sector innovation.
"""

from __future__ import annotations

import datetime

from samverkan.demo import AGREEMENT_NAME, person
from samverkan.models import Agreement, Organisation

from . import services
from .enums import ProposalState
from .models import Proposal

S = ProposalState

PROPOSALS = [
    {
        "title": "Trygghet för unga i offentliga miljöer",
        "target": S.DIALOG,
        "work_form": "forstudie",
        "researcher": "ahmed.hassan@mdu.example",
        "officer": None,
        "organisations": ["Västerås stad"],
        "summary": "Hur upplever unga tryggheten i centrum och i bostadsområden, och vilka platser undviker de?",
    },
    {
        "title": "Samordnad individuell plan för barn och unga – digitalt stöd",
        "target": S.PITCH,
        "work_form": "forstudie",
        "researcher": "maria.nilsson@mdu.example",
        "officer": "lena.karlsson@eskilstuna.example",
        "organisations": ["Eskilstuna kommun"],
        "summary": "En förstudie om hur ett digitalt stöd kan göra SIP-processen begriplig för barn och vårdnadshavare.",
        "research_question": "Vad behöver barn och vårdnadshavare för att vara delaktiga i sin samordnade plan?",
    },
    {
        "title": "Fysisk aktivitet under skoldagen och elevers hälsa",
        "target": S.APPLICATION,
        "work_form": "projekt",
        "researcher": "maria.nilsson@mdu.example",
        "officer": "lena.karlsson@eskilstuna.example",
        "organisations": ["Eskilstuna kommun"],
        "summary": "Ett projekt som följer tre grundskolor som inför daglig rörelse och mäter effekter på hälsa och "
        "skolresultat.",
        "research_question": "Påverkar daglig schemalagd fysisk aktivitet elevers välbefinnande och skolresultat?",
        "scientific_ambition": "Kvasiexperimentell design med jämförelseskolor och mätningar under två läsår.",
        "goals": ["Tre skolor deltar under två läsår", "Metodstöd för rörelsepass tas fram med lärarna"],
        "sections": "some",
    },
    {
        "title": "Inkludering av nyanlända i föreningslivet",
        "target": S.SUBMITTED,
        "work_form": "projekt",
        "researcher": "ahmed.hassan@mdu.example",
        "officer": "sofia.andersson@vasteras.example",
        "organisations": ["Västerås stad"],
        "summary": "Hur kan kommunen och föreningarna tillsammans sänka trösklarna för nyanlända barn och vuxna?",
        "research_question": "Vilka hinder och möjligheter möter nyanlända i föreningslivet, och vilka insatser "
        "fungerar?",
        "scientific_ambition": "Deltagande aktionsforskning i fyra stadsdelar med intervjuer och registerdata.",
        "popular_summary": "Föreningslivet är en viktig väg in i samhället. Projektet prövar nya sätt att bjuda in.",
        "goals": [
            "Fyra föreningar prövar nya former för introduktion",
            "En vägledning för föreningsbidrag tas fram",
        ],
        "sections": "all",
    },
    {
        "title": "Energieffektiva bostäder och minskad segregation",
        "target": S.IN_REVIEW,
        "work_form": "projekt",
        "researcher": "maria.nilsson@mdu.example",
        "officer": "peter.ek@eem.example",
        "organisations": ["Eskilstuna Energi och Miljö AB"],
        "summary": "Renovering av miljonprogrammets bostäder: hur kan energieffektivisering kombineras med åtgärder "
        "mot segregation?",
        "research_question": "Hur påverkar renoveringsstrategier boendes möjlighet att bo kvar och deras "
        "upplevelse av området?",
        "scientific_ambition": "Jämförande fallstudie av tre renoveringsprojekt med enkäter och energidata.",
        "popular_summary": "När husen renoveras ska de som bor där kunna bo kvar. Projektet visar hur.",
        "goals": ["Två renoveringsprojekt följs", "Boendedialoger genomförs i båda områdena"],
        "sections": "all",
    },
]


def _agreement() -> Agreement:
    return Agreement.objects.get(name=AGREEMENT_NAME)


def load(stdout=None) -> None:
    agreement = _agreement()
    leader = person("anna.lindqvist@mdu.example")
    try:
        from .demo_templates import load_templates
    except ImportError:  # templates arrive with their own module
        load_templates = None
    if load_templates is not None:
        load_templates(agreement, leader)

    for spec in PROPOSALS:
        if Proposal.objects.filter(agreement=agreement, title=spec["title"]).exists():
            continue
        researcher = person(spec["researcher"])
        officer = person(spec["officer"]) if spec["officer"] else None
        organisations = list(Organisation.objects.filter(name__in=spec["organisations"]))
        proposal = services.proposal_create(
            agreement=agreement,
            by=researcher,
            title=spec["title"],
            work_form=spec["work_form"],
            responsible_officer=officer,
            municipal_organisations=organisations,
            summary=spec["summary"],
        )
        if spec["target"] == S.DIALOG:
            continue
        proposal = services.proposal_update(
            proposal=proposal,
            by=researcher,
            research_question=spec.get("research_question", ""),
            scientific_ambition=spec.get("scientific_ambition", ""),
            popular_summary=spec.get("popular_summary", ""),
            planned_start=datetime.date(2027, 1, 1),
            planned_end=datetime.date(2028, 6, 30)
            if spec["work_form"] == "projekt"
            else datetime.date(2027, 12, 31),
        )
        if spec.get("goals"):
            services.proposal_set_activity_goals(proposal=proposal, by=researcher, goals=spec["goals"])
        name = "to_pitch" if spec["target"] == S.PITCH else "to_application"
        proposal = services.proposal_transition(proposal=proposal, name=name, by=researcher)
        if spec.get("sections") and proposal.application_template_id:
            sections = list(proposal.application_template.sections.all())
            if spec["sections"] == "some":
                sections = sections[:2]
            services.proposal_save_sections(
                proposal=proposal,
                by=researcher,
                texts={
                    s.pk: f"{s.title}: {spec['summary']} {spec.get('research_question', '')}"
                    for s in sections
                },
            )
        if spec["target"] in (S.SUBMITTED, S.IN_REVIEW):
            services.proposal_confirm_anchoring(proposal=proposal, by=officer, organisation=organisations[0])


def advance(stdout=None) -> None:
    """Submit the demo proposals meant to be further along (their budgets now exist)."""
    agreement = _agreement()
    for spec in PROPOSALS:
        if spec["target"] not in (S.SUBMITTED, S.IN_REVIEW):
            continue
        proposal = Proposal.objects.get(agreement=agreement, title=spec["title"])
        if proposal.state == S.APPLICATION and proposal.is_complete() and proposal.anchoring_confirmed():
            proposal = services.proposal_transition(
                proposal=proposal, name="submit", by=proposal.responsible_researcher
            )
        # "Under beredning" is reached only by a beredning agenda: the governance demo puts it there.
