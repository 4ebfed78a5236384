"""Data generator: N proposals with history, sections, activity goals, budgets, meetings with agenda items,
assessments, votes, ballots, jäv and decisions – by multiplying the demo world.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/generate.py --proposals 10000

Needs an empty, migrated database: it loads the demo (`manage.py load_demo`) and then clones every row of
the demo's proposals and meetings with bulk_create, remapping foreign keys to the clones. Users,
organisations, the agreement, bodies and templates are shared, so the demo logins see the whole
generated world (the processledare sees every proposal). Meetings grow with N: the agenda items of
`group` consecutive copies land in one meeting (group = copies // 200, at least 1), so at N = 10 000 a
styrgrupp meeting has ~24 items, at N = 100 it has the demo's 2–3.

Prints what it created; the clones are marked "· b<copy>" in their titles.
"""

from __future__ import annotations

import argparse
import math
import random
import time
import uuid
from datetime import timedelta

from _common import setup_django

BATCH = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", "-n", type=int, default=10_000)
    parser.add_argument("--copies", type=int, help="clone the demo this many times (instead of -n)")
    args = parser.parse_args()
    setup_django()

    from django.apps import apps
    from django.core.management import call_command
    from django.db import transaction

    from applications.models import Proposal

    started = time.perf_counter()
    if not Proposal.objects.exists():
        call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = Proposal.objects.count()
    if base > 50:
        raise SystemExit(f"The database already has {base} proposals: give generate.py a fresh database.")
    copies = args.copies if args.copies is not None else max(0, math.ceil((args.proposals - base) / base))
    group = max(1, copies // 200)
    print(f"demo: {base} proposals, loaded in {time.perf_counter() - started:.1f} s")
    print(f"cloning {copies} copies (meeting group {group}) …")

    def model(label):
        try:
            return apps.get_model(label)
        except LookupError:
            return None

    proposal_model = apps.get_model("applications.Proposal")
    item_model = apps.get_model("governance.AgendaItem")
    # (model, per): "copy" → one clone per copy; "group" → one clone per group of copies.
    spec: list[tuple[object, str]] = [
        (proposal_model, "copy"),
        (proposal_model.researchers.through, "copy"),
        (proposal_model.municipal_organisations.through, "copy"),
        (model("applications.ProposalSection"), "copy"),
        (model("applications.ActivityGoal"), "copy"),
        (model("applications.ProposalTransition"), "copy"),
        (model("budget.ApplicationBudgetRow"), "copy"),
        (model("governance.Meeting"), "group"),
        (model("governance.Attendance"), "group"),
        (model("governance.Minutes"), "group"),
        (item_model, "copy"),
        (item_model.presenters.through, "copy"),
        (model("governance.Assessment"), "copy"),
        (model("governance.CriterionScore"), "copy"),
        (model("governance.Vote"), "copy"),
        (model("governance.Ballot"), "copy"),
        (model("governance.Recusal"), "copy"),
        (model("governance.Decision"), "copy"),
        (model("governance.DecisionAmount"), "copy"),
        # The economy: what grants commit against the budget lines, disbursements and reported spending.
        (model("budget.Commitment"), "copy"),
        (model("budget.Disbursement"), "copy"),
        (model("budget.Spending"), "copy"),
    ]
    spec = [(m, per) for m, per in spec if m is not None]
    per_of = {m._meta.label: per for m, per in spec}
    mapping: dict[str, dict[tuple[int, int], int]] = {}

    def key(label: str, c: int) -> int:
        """Copy c's clone of a group-level row is the one made for the first copy of c's group."""
        return c - (c - 1) % group if per_of[label] == "group" else c

    def clone(m, per: str) -> int:
        label = m._meta.label
        originals = list(m._default_manager.order_by("pk"))
        fields = [f for f in m._meta.concrete_fields if not f.primary_key]
        objs, keys, self_refs = [], [], []
        for c in range(1, copies + 1):
            if per == "group" and (c - 1) % group:
                continue
            for o in originals:
                values = {}
                for f in fields:
                    value = getattr(o, f.attname)
                    if f.is_relation and value is not None:
                        target = f.related_model._meta.label
                        if target == label:
                            self_refs.append((len(objs), f.attname, value))
                            value = None
                        elif target in per_of:
                            value = mapping[target][(key(target, c), value)]
                    values[f.attname] = value
                _adjust(label, values, o, c, group)
                objs.append(m(**values))
                keys.append((c, o.pk))
        m._default_manager.bulk_create(objs, batch_size=BATCH)
        mapping[label] = {k: obj.pk for k, obj in zip(keys, objs, strict=True)}
        if self_refs:
            for index, attname, old in self_refs:
                setattr(objs[index], attname, mapping[label][(keys[index][0], old)])
            m._default_manager.bulk_update(
                [objs[i] for i, _a, _o in self_refs], sorted({a for _i, a, _o in self_refs}), batch_size=BATCH
            )
        return len(objs)

    with transaction.atomic():
        for m, per in spec:
            t = time.perf_counter()
            n = clone(m, per)
            print(f"  {m._meta.label:45} {n:>8} rows  {time.perf_counter() - t:5.1f} s")
        _clone_object_permissions(mapping, copies)
        _researcher_on_many(RESEARCHER_PROPOSALS)
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would have them in production. Without them the planner
        # misjudges the bulk-loaded tables and PostgreSQL's JIT adds ~200 ms to some dashboard queries.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"done: {Proposal.objects.count()} proposals in {time.perf_counter() - started:.1f} s")


def _adjust(label: str, values: dict, original, c: int, group: int) -> None:
    """Keep unique constraints and make the clones recognisable."""
    slot = (c - 1) % group
    if label == "applications.Proposal":
        values["title"] = f"{original.title[:180]} · b{c}"
    elif label == "governance.Meeting":
        values["uid"] = uuid.uuid4()
        shift = timedelta(days=7 * ((c - 1) // group + 1))
        values["starts_at"] = original.starts_at - shift
        values["ends_at"] = original.ends_at - shift
        values["title"] = f"{original.title[:180]} · b{c}"
    elif label == "governance.AgendaItem":
        values["order"] = original.order + 100 * slot
    elif label == "governance.Decision":
        values["paragraph"] = original.paragraph + 100 * slot


# A researcher responsible for this many proposals (spread over every state): the person whose start page
# and "Mina ärenden" must stay as fast as anyone's (issue 15). Logs in with the demo password.
RESEARCHER_PROPOSALS = 500
RESEARCHER_EMAIL = "forskare500@mdu.example"


def _researcher_on_many(count: int) -> None:
    """Make a researcher of the university responsible for `count` proposals (all of them in a smaller
    world), with the team's object permissions as the services give them."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from applications.models import Proposal
    from samverkan.demo import DEMO_PASSWORD
    from samverkan.enums import Role
    from samverkan.models import Agreement, RoleAssignment, User

    agreement = Agreement.objects.order_by("pk").first()
    user = User(email=RESEARCHER_EMAIL, first_name="Femhundra", last_name="Forskarsson", title="Professor")
    user.set_password(DEMO_PASSWORD)
    user.save()
    RoleAssignment.objects.create(
        user=user,
        agreement=agreement,
        organisation=agreement.university,
        role=Role.RESEARCHER,
        valid_from=agreement.starts_on,
    )
    ids = list(Proposal.objects.filter(agreement=agreement).order_by("pk").values_list("pk", flat=True))
    # A fixed random sample: every state and work form of the demo, in their proportions.
    chosen = sorted(random.Random(15).sample(ids, min(count, len(ids))))
    Proposal.objects.filter(pk__in=chosen).update(responsible_researcher=user)
    ct = ContentType.objects.get_for_model(Proposal)
    perms = list(
        Permission.objects.filter(
            content_type=ct, codename__in=["view_proposal", "change_proposal"]
        ).values_list("pk", flat=True)
    )
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(content_type=ct, permission_id=perm, user_id=user.pk, object_pk=str(pk))
            for pk in chosen
            for perm in perms
        ],
        batch_size=BATCH,
    )
    print(f"  {RESEARCHER_EMAIL} responsible for {len(chosen)} proposals")


def _clone_object_permissions(mapping, copies: int) -> None:
    """guardian's per-object permissions on proposals (applicants' view/change) for every clone."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from applications.models import Proposal

    ct = ContentType.objects.get_for_model(Proposal)
    originals = list(UserObjectPermission.objects.filter(content_type=ct))
    proposals = mapping["applications.Proposal"]
    objs = [
        UserObjectPermission(
            content_type=ct,
            permission_id=o.permission_id,
            user_id=o.user_id,
            object_pk=str(proposals[(c, int(o.object_pk))]),
        )
        for c in range(1, copies + 1)
        for o in originals
    ]
    UserObjectPermission.objects.bulk_create(objs, batch_size=BATCH)
    print(f"  {'guardian.UserObjectPermission':45} {len(objs):>8} rows")


if __name__ == "__main__":
    main()
