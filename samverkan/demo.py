"""The demo world's core: a university, three municipalities (one with municipal companies), one agreement
2024–2027 and a person for every role on both sides. Names of organisations and the company group follow
the seed documents' setting (a university in Mälardalen; Eskilstuna's municipal group with Rodret AB).

Idempotent: everything is keyed by natural keys (names, e-mail addresses) and updated in place.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from .enums import DecisionRule, OrganisationKind, Role
from .models import Agreement, Collaboration, Organisation, RoleAssignment, User

DEMO_PASSWORD = "samverkan-demo"
COLLABORATION_NAME = "Samverkansorganisation Mälardalens universitet"
AGREEMENT_NAME = "Samverkansavtal Mälardalens universitet – Eskilstuna, Västerås och Strängnäs 2024–2027"

ORGANISATIONS = [
    # name, short name, kind, parent, diarium prefix
    ("Mälardalens universitet", "MDU", OrganisationKind.UNIVERSITY, None, "MDU"),
    ("Eskilstuna kommun", "Eskilstuna", OrganisationKind.MUNICIPALITY, None, "KSKF"),
    ("Eskilstuna Energi och Miljö AB", "EEM", OrganisationKind.MUNICIPAL_COMPANY, "Eskilstuna kommun", "EEM"),
    (
        "Eskilstuna Kommunfastigheter AB",
        "KFAB",
        OrganisationKind.MUNICIPAL_COMPANY,
        "Eskilstuna kommun",
        "KFAB",
    ),
    ("Västerås stad", "Västerås", OrganisationKind.MUNICIPALITY, None, "KS"),
    ("Strängnäs kommun", "Strängnäs", OrganisationKind.MUNICIPALITY, None, "KS-SN"),
]

# e-mail, first name, last name, organisation, role, title in the role
PEOPLE = [
    (
        "anna.lindqvist@mdu.example",
        "Anna",
        "Lindqvist",
        "Mälardalens universitet",
        Role.PROCESS_LEADER,
        "Processledare samverkan",
    ),
    (
        "erik.johansson@eskilstuna.example",
        "Erik",
        "Johansson",
        "Eskilstuna kommun",
        Role.PROCESS_LEADER,
        "Processledare, kommunledningskontoret",
    ),
    (
        "maja.ekstrom@vasteras.example",
        "Maja",
        "Ekström",
        "Västerås stad",
        Role.PROCESS_LEADER,
        "Processledare",
    ),
    (
        "jonas.nyberg@strangnas.example",
        "Jonas",
        "Nyberg",
        "Strängnäs kommun",
        Role.PROCESS_LEADER,
        "Processledare",
    ),
    ("sara.holm@mdu.example", "Sara", "Holm", "Mälardalens universitet", Role.COMMUNICATOR, "Kommunikatör"),
    (
        "johan.berg@eskilstuna.example",
        "Johan",
        "Berg",
        "Eskilstuna kommun",
        Role.COMMUNICATOR,
        "Kommunikatör",
    ),
    (
        "maria.nilsson@mdu.example",
        "Maria",
        "Nilsson",
        "Mälardalens universitet",
        Role.RESEARCHER,
        "Docent i folkhälsovetenskap",
    ),
    (
        "ahmed.hassan@mdu.example",
        "Ahmed",
        "Hassan",
        "Mälardalens universitet",
        Role.RESEARCHER,
        "Universitetslektor i socialt arbete",
    ),
    (
        "lena.karlsson@eskilstuna.example",
        "Lena",
        "Karlsson",
        "Eskilstuna kommun",
        Role.OFFICER,
        "Utvecklingsledare, barn- och utbildningsförvaltningen",
    ),
    (
        "peter.ek@eem.example",
        "Peter",
        "Ek",
        "Eskilstuna Energi och Miljö AB",
        Role.OFFICER,
        "Hållbarhetsstrateg",
    ),
    (
        "sofia.andersson@vasteras.example",
        "Sofia",
        "Andersson",
        "Västerås stad",
        Role.OFFICER,
        "Verksamhetsutvecklare, socialförvaltningen",
    ),
    (
        "karin.sjoberg@mdu.example",
        "Karin",
        "Sjöberg",
        "Mälardalens universitet",
        Role.REVIEW_MEMBER,
        "Professor, forskningsledare",
    ),
    (
        "olof.strand@eskilstuna.example",
        "Olof",
        "Strand",
        "Eskilstuna kommun",
        Role.REVIEW_MEMBER,
        "Strateg, kommunledningskontoret",
    ),
    ("fatima.ali@vasteras.example", "Fatima", "Ali", "Västerås stad", Role.REVIEW_MEMBER, "Utredare"),
    ("helena.wik@mdu.example", "Helena", "Wik", "Mälardalens universitet", Role.STEERING_MEMBER, "Prorektor"),
    (
        "mats.larsson@eskilstuna.example",
        "Mats",
        "Larsson",
        "Eskilstuna kommun",
        Role.STEERING_MEMBER,
        "Biträdande kommundirektör",
    ),
    (
        "eva.persson@vasteras.example",
        "Eva",
        "Persson",
        "Västerås stad",
        Role.STEERING_MEMBER,
        "Stadsdirektör",
    ),
    (
        "nils.oberg@strangnas.example",
        "Nils",
        "Öberg",
        "Strängnäs kommun",
        Role.STEERING_MEMBER,
        "Kommundirektör",
    ),
    (
        "paul.pettersson@mdu.example",
        "Paul",
        "Pettersson",
        "Mälardalens universitet",
        Role.SIGNATORY,
        "Rektor",
    ),
    (
        "ingrid.falk@eskilstuna.example",
        "Ingrid",
        "Falk",
        "Eskilstuna kommun",
        Role.SIGNATORY,
        "Kommundirektör",
    ),
    (
        "stefan.lund@eem.example",
        "Stefan",
        "Lund",
        "Eskilstuna Energi och Miljö AB",
        Role.SIGNATORY,
        "Kommunbolagschef (VD)",
    ),
    ("birgitta.ros@vasteras.example", "Birgitta", "Ros", "Västerås stad", Role.SIGNATORY, "Stadsdirektör"),
    (
        "goran.viklund@strangnas.example",
        "Göran",
        "Viklund",
        "Strängnäs kommun",
        Role.SIGNATORY,
        "Kommundirektör",
    ),
]
ADMIN_EMAIL = "admin@samverkan.example"


def person(email: str) -> User:
    return User.objects.get(email=email)


@transaction.atomic
def load(stdout=None) -> list[tuple[str, str, str]]:
    """Build or refresh the core demo world; returns (e-mail, role, organisation) for the login list."""
    orgs: dict[str, Organisation] = {}
    for name, short, kind, parent, prefix in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "parent": orgs.get(parent),
                "diarium_prefix": prefix,
            },
        )

    collaboration, _ = Collaboration.objects.update_or_create(
        name=COLLABORATION_NAME,
        defaults={
            "university": orgs["Mälardalens universitet"],
            "description": (
                "Universitetets samverkan med kommunerna: gemensam kommungemensam beredning varje kvartal, "
                "processledare och kommunikatörer på båda sidor."
            ),
        },
    )
    agreement, _ = Agreement.objects.update_or_create(
        name=AGREEMENT_NAME,
        defaults={
            "collaboration": collaboration,
            "university": orgs["Mälardalens universitet"],
            "starts_on": datetime.date(2024, 1, 1),
            "ends_on": datetime.date(2027, 12, 31),
            "decision_rule": DecisionRule.MAJORITY_EACH_PARTY,
            "description": (
                "Avtal om forskningssamverkan för hållbar samhällsutveckling: inkludering, barns och ungas "
                "hälsa, minskad segregation och innovation i offentlig sektor. Kommungemensam beredning en "
                "gång per kvartal; resultatspridning under kvartal 2 och 4."
            ),
        },
    )
    agreement.municipalities.set([orgs["Eskilstuna kommun"], orgs["Västerås stad"], orgs["Strängnäs kommun"]])

    admin, created = User.objects.get_or_create(
        email=ADMIN_EMAIL, defaults={"first_name": "Systemförvaltare", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()

    logins = [(ADMIN_EMAIL, "Administratör", "–")]
    for email, first, last, org_name, role, title in PEOPLE:
        user, created = User.objects.update_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "title": title}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.update_or_create(
            user=user,
            agreement=agreement,
            organisation=orgs[org_name],
            role=role,
            valid_from=agreement.starts_on,
            defaults={"title": title, "valid_to": None},
        )
        logins.append((email, f"{role.label} ({title})", org_name))
    return logins
