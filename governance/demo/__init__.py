"""The demo world's governance: two held kommungemensamma beredningar, a held styrgrupp meeting with a closed
vote, two grants with their signed decision documents and approved minutes (with their PDF), and an
upcoming per-capsulam styrgrupp with an open vote.

The story (the applications demo has submitted "Inkludering av nyanlända i föreningslivet" and put
"Energieffektiva bostäder och minskad segregation" under beredning; this package's `load` adds one more
finished application from Västerås, "Språkutveckling i förskolan – tidiga insatser i flerspråkiga områden", which
budget from the budget demo and is submitted by `advance`):

1. Kommungemensam beredning, kvartal 3 – tisdag 15 september 2026 (held). "Energieffektiva bostäder och
   minskad segregation" and "Språkutveckling i förskolan…" are assessed by Karin Sjöberg (university:
   research quality and ambition), Olof Strand and Fatima Ali (municipalities: benefit and effects); the
   beredning forwards both → Till styrgrupp.
2. Styrgrupp – tisdag 6 oktober 2026 (held, minutes approved). §1 "Energieffektiva…": only the parties of
   the project decide it – the university and Eskilstuna (Eskilstuna Energi och Miljö AB is the municipal
   party); Västerås and Strängnäs do not vote. Mats Larsson declares jäv (he sits on the company's board), and
   Eskilstuna's ersättare Ingrid Falk takes his seat for the item (governance/seating.py). Helena Wik and
   she vote bifall; the vote closes itself; the chair records the grant with amounts per year → Beviljad. §2 "Språkutveckling i förskolan…": nobody asks for a vote, the
   chair declares the grant "enligt förslag" → Beviljad. §3 information on the budget, noted "enligt
   förslag". The secretary Anna Lindqvist writes the minutes, Mats Larsson is the adjuster; the chair and he
   approve them and the PDF is rendered (eagerly in `load_demo` without REDIS_URL, by the worker otherwise).
   The decision documents after the meeting (documents.py; demo signing keys from
   `create_signing_certificates` in SIGNING_DIR): the beslutsunderlag for §1 is signed by the rektor Paul
   Pettersson and – the municipal party being Eskilstuna Energi och Miljö AB – its kommunbolagschef Stefan
   Lund, registered in MDU's diarium by Anna Lindqvist and in the company's (EEM-…) by Erik Johansson,
   Eskilstuna's processledare; the project account is entered and the project starts → Pågående. The
   beslutsunderlag for §2 is signed by the rektor only: Västerås stadsdirektör Birgitta Ros has yet to sign.
3. Kommungemensam beredning, kvartal 4 – tisdag 17 november 2026 (held). "Inkludering av nyanlända i
   föreningslivet" is scheduled (→ Under beredning), assessed by the same three members and forwarded; the
   service puts it on the next styrgrupp agenda.
4. Styrgrupp – tisdag 8 december 2026 (upcoming, kallat), per capsulam: the members vote online until the
   meeting's end ("svar senast"), so its vote on "Inkludering…" (the university and Västerås decide it) is
   open before the meeting's date – an ordinary meeting's votes open only at its start; Helena Wik has
   voted, Eva Persson not yet.

The services run as the right people (they check permissions); because they stamp "now", the past meetings'
own timestamps (invitation, assessments, outcome, vote, ballots, jäv, decision, justering) are set afterwards
with queryset.update() so that the minutes and the PDF tell the story's dates. The proposals' history
(ProposalTransition) is append-only and is left exactly as the services wrote it: complete and in order, stamped
with the time the demo was built (its comments name the meetings). If the demo runs after 8 December 2026, the
upcoming meeting moves to two weeks ahead.

Idempotent: each meeting is looked up by body and title and built only once; a second run changes nothing.
The decision documents are generated once (document_generate returns the existing one), and every signature,
registration and the start are made only when missing – a signature changes the PDF's bytes (its signing
time), so it must never be applied twice.
"""

from .cast import (  # noqa: F401 – the names the tests read
    ADJUSTER,
    DECEMBER,
    ENERGY,
    GRANT_AMOUNTS,
    INCLUSION,
    OCTOBER,
    PRESCHOOL,
    Q3_REVIEW,
    Q4_REVIEW,
    REVIEWERS,
)
from .story import advance, load, summary  # noqa: F401
