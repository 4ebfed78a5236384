"""Who and what the follow-up demo is about: the people, the projects' and meetings' titles, and the
report texts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from applications.enums import ProposalState

TZ = ZoneInfo("Europe/Stockholm")
S = ProposalState
LEADER = "anna.lindqvist@mdu.example"
COMMUNICATOR = "sara.holm@mdu.example"
MARIA, AHMED = "maria.nilsson@mdu.example", "ahmed.hassan@mdu.example"
LENA, SOFIA = "lena.karlsson@eskilstuna.example", "sofia.andersson@vasteras.example"

PROGRAMME = "Välfärdsteknik i hemtjänsten"
DIGITAL = "Digital delaktighet för äldre"
SENSORS = "Trygg hemgång med sensorer"
MEALS = "Hållbara skolmåltider"
HERITAGE = "Kulturarv och besöksnäring i Mälardalen"
YOUTH = "Unga entreprenörer i Eskilstuna"
REVIEW = "Kommungemensam beredning – uppföljning och nya ansökningar"
CLOSURE_MEETING = "Styrgruppsmöte – avslut av förstudier"
PAST_EVENT = "Resultatspridning – vårens forskningsmöte"
NEXT_EVENT = "Resultatspridning – höstens forskningsmöte"

TEXTS = {
    "deliveries": "Intervjuer och workshoppar med personal och brukare är genomförda enligt beslutet; en "
    "delrapport är skriven tillsammans med förvaltningen.",
    "evaluation": "Samarbetet med förvaltningen fungerar väl. Rekryteringen av deltagare tog längre tid än planerat.",
    "lessons": "Tidig förankring hos enhetscheferna och gemensamma arbetsmöten varannan vecka har varit avgörande.",
    "scientific_report": "Syfte, metod, resultat och slutsatser enligt mallen för vetenskaplig slutrapport. "
    "Resultaten publiceras i en vetenskaplig artikel och en rapport till kommunen.",
}
