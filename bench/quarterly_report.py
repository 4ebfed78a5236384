"""Benchmark: the quarterly report for an agreement with 2 000 proposals (issue #8). Run by hand:

    .venv/bin/python bench/quarterly_report.py            # SQLite file /tmp/samverkan-bench-reports.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_db .venv/bin/python bench/quarterly_report.py

With `--generated` it measures instead the world of bench/generate.py (N = 10 000): the whole job for the
agreement with the most proposals, for the current quarter (the generated rows carry today's dates), its
time and the process's peak memory (target ≤ 30 s and ≤ 1 GB), and writes the "quarterly" section of
bench/results.md:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench10000 \
        .venv/bin/python bench/quarterly_report.py --generated

It builds (once per database) an agreement with 2 000 proposals spread over eight quarters, each with its
lifecycle history (about 9 000 transitions), 40 held meetings with 400 grant decisions and their amounts,
then generates the report for the last full quarter – the same code path as the Celery job, eagerly – and
prints the time and query count of each part. Budget: the whole job within 20 s and at most 80 queries, with
a query count that does not depend on the number of proposals (the second figure line is for 200 proposals).
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/samverkan-bench-reports.sqlite3")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("VAR_DIR", "/tmp/samverkan-bench-reports")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BUDGET_SECONDS = 20.0
BUDGET_QUERIES = 80
PATH = ["dialog", "pitch", "application", "submitted", "in_review", "awaiting_decision", "granted", "active"]


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Stamped:
    """Let bulk_create keep the given timestamps (history written for the benchmark only)."""

    def __init__(self, *fields):
        self.fields = fields

    def __enter__(self):
        for field in self.fields:
            field.auto_now_add = False

    def __exit__(self, *exc):
        for field in self.fields:
            field.auto_now_add = True


def build(name: str, count: int, first_quarter):
    from applications.models import Proposal, ProposalTransition
    from governance.enums import DecisionKind, MeetingKind, MeetingStatus
    from governance.models import AgendaItem, Body, Decision, DecisionAmount, Meeting
    from samverkan.enums import OrganisationKind, Role
    from samverkan.models import Agreement, Organisation, RoleAssignment, User

    existing = Agreement.objects.filter(name=name).first()
    if existing:
        return existing
    rng = random.Random(count)
    university, _ = Organisation.objects.get_or_create(
        name="Benchuniversitetet", defaults={"short_name": "BU", "kind": OrganisationKind.UNIVERSITY}
    )
    municipality, _ = Organisation.objects.get_or_create(
        name="Benchkommun", defaults={"short_name": "BK", "kind": OrganisationKind.MUNICIPALITY}
    )
    agreement = Agreement.objects.create(
        name=name,
        university=university,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    agreement.municipalities.set([municipality])
    leader, _ = User.objects.get_or_create(
        email="bench.leader@bench.example", defaults={"first_name": "Bench"}
    )
    RoleAssignment.objects.get_or_create(
        user=leader,
        agreement=agreement,
        organisation=university,
        role=Role.PROCESS_LEADER,
        valid_from=datetime.date(2024, 1, 1),
    )
    quarters = first_quarter.last(8)
    proposals, created = [], []
    with _Stamped(Proposal._meta.get_field("created_at")):
        for i in range(count):
            quarter = quarters[i % len(quarters)]
            day = quarter.start + datetime.timedelta(days=rng.randrange(0, 80))
            created.append(day)
            proposals.append(
                Proposal(
                    agreement=agreement,
                    title=f"Benchärende {i}",
                    responsible_researcher=leader,
                    created_by=leader,
                    state="dialog",
                    created_at=_aware(day),
                )
            )
        proposals = Proposal.objects.bulk_create(proposals, batch_size=500)
    transitions, states = [], {}
    for proposal, day in zip(proposals, created, strict=True):
        steps = rng.randrange(0, len(PATH))
        for step in range(1, steps + 1):
            day = day + datetime.timedelta(days=rng.randrange(3, 20))
            transitions.append(
                ProposalTransition(
                    proposal=proposal,
                    transition="bench",
                    source=PATH[step - 1],
                    target=PATH[step],
                    by=leader,
                    at=_aware(day),
                )
            )
        states[proposal.pk] = PATH[steps]
    with _Stamped(ProposalTransition._meta.get_field("at")):
        ProposalTransition.objects.bulk_create(transitions, batch_size=1000)
    for state in set(states.values()):
        Proposal.objects.filter(pk__in=[pk for pk, s in states.items() if s == state]).update(state=state)

    body = Body.objects.create(agreement=agreement, kind="styrgrupp", name="Styrgrupp")
    granted = [p for p in proposals if states[p.pk] in ("granted", "active")]
    meetings = []
    for index in range(40):
        quarter = quarters[index % len(quarters)]
        start = _aware(quarter.start + datetime.timedelta(days=10 + index), 13)
        meetings.append(
            Meeting.objects.create(
                agreement=agreement,
                body=body,
                kind=MeetingKind.STEERING,
                title=f"Styrgrupp {index}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                status=MeetingStatus.HELD,
                secretary=leader,
            )
        )
    with _Stamped(Decision._meta.get_field("created_at")):
        for index, proposal in enumerate(granted[:400]):
            meeting = meetings[index % len(meetings)]
            item = AgendaItem.objects.create(
                meeting=meeting, order=index, kind="decision", title=proposal.title, proposal=proposal
            )
            decision = Decision.objects.create(
                meeting=meeting,
                item=item,
                proposal=proposal,
                kind=DecisionKind.GRANT,
                paragraph=index + 1,
                text="Bevilja.",
                by_acclamation=True,
                created_by=leader,
                created_at=meeting.starts_at,
            )
            DecisionAmount.objects.bulk_create(
                [
                    DecisionAmount(decision=decision, year=y, amount=rng.randrange(1, 40) * 25_000)
                    for y in (2026, 2027)
                ]
            )
    return agreement


def measure(agreement, quarter) -> dict:
    from reports.models import QuarterlyReport
    from reports.services import compute_sections, report_generate

    figures = {}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        sections = compute_sections(agreement, quarter)
        figures["sections"] = (time.perf_counter() - started, len(queries.captured_queries))
    QuarterlyReport.objects.filter(agreement=agreement, year=quarter.year, quarter=quarter.quarter).delete()
    report = QuarterlyReport.objects.create(agreement=agreement, year=quarter.year, quarter=quarter.quarter)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = report_generate(report_id=report.pk)
        figures["job"] = (time.perf_counter() - started, len(queries.captured_queries))
    figures["pdf_kb"] = report.pdf.size // 1024
    figures["xlsx_kb"] = report.xlsx.size // 1024
    figures["rows"] = sum(len(t["rows"]) for s in sections for t in s["tables"])
    return figures


def main() -> int:
    from reports.periods import Quarter

    call_command("migrate", verbosity=0)
    quarter = Quarter.current().previous()
    results = {}
    for count in (2000, 200):
        with transaction.atomic():
            agreement = build(f"Benchavtal {count} ärenden", count, quarter)
        results[count] = measure(agreement, quarter)
    load = os.getloadavg()[0]
    print(
        f"Kvartalsrapport {quarter.label} – {connection.vendor} – {os.cpu_count()} CPU, belastning {load:.1f}"
    )
    print(
        f"{'ärenden':>8} {'avsnitt s':>10} {'frågor':>7} {'hela jobbet s':>14} {'frågor':>7} "
        f"{'PDF kB':>7} {'XLSX kB':>8} {'tabellrader':>12}"
    )
    for count, f in results.items():
        print(
            f"{count:>8} {f['sections'][0]:>10.2f} {f['sections'][1]:>7} "
            f"{f['job'][0]:>14.2f} {f['job'][1]:>7} "
            f"{f['pdf_kb']:>7} {f['xlsx_kb']:>8} {f['rows']:>12}"
        )
    big, small = results[2000], results[200]
    ok_time = big["job"][0] <= BUDGET_SECONDS
    ok_queries = big["job"][1] <= BUDGET_QUERIES
    ok_flat = big["sections"][1] == small["sections"][1]
    print(
        f"Budget: hela jobbet ≤ {BUDGET_SECONDS:.0f} s: {'OK' if ok_time else 'ÖVER'}; "
        f"≤ {BUDGET_QUERIES} frågor: "
        f"{'OK' if ok_queries else 'ÖVER'}; frågor oberoende av antal ärenden: {'OK' if ok_flat else 'NEJ'}"
    )
    return 0 if ok_time and ok_queries and ok_flat else 1


TARGET_SECONDS, TARGET_MB = 30.0, 1024


def generated() -> int:
    """The report job on the generated world (bench/generate.py), timed, with the peak memory."""
    import resource

    from _common import table, write_section
    from django.db.models import Count

    from reports.models import QuarterlyReport
    from reports.periods import Quarter
    from samverkan.models import Agreement

    agreement = Agreement.objects.annotate(n=Count("proposals")).order_by("-n").first()
    quarter = Quarter.current()
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    f = measure(agreement, quarter)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds, queries = f["job"]
    met = seconds <= TARGET_SECONDS and peak_mb <= TARGET_MB
    text = table(
        [
            "agreement",
            "proposals",
            "quarter",
            "whole job s",
            "queries",
            "sections s",
            "peak memory MB",
            "PDF kB",
            "XLSX kB",
            "table rows",
        ],
        [
            [
                agreement.name,
                agreement.n,
                quarter.label,
                f"{seconds:.2f}",
                queries,
                f"{f['sections'][0]:.2f}",
                f"{peak_mb:.0f} (at start {before_mb:.0f})",
                f["pdf_kb"],
                f["xlsx_kb"],
                f["rows"],
            ]
        ],
    )
    print(text)
    verdict = f"Target ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_MB} MB: **{'met' if met else 'missed'}**."
    print(verdict)
    write_section(
        "quarterly",
        "Quarterly report at N = 10 000 (target ≤ 30 s, ≤ 1 GB)",
        f"{verdict}\n\n{text}\n\nThe whole job (`reports.services.report_generate`, as the Celery task runs "
        "it: sections as of the quarter's end, PDF with charts, XLSX) in one process on the generated world; "
        "peak memory is the process's maximum resident size (Django and WeasyPrint included). "
        "`QuarterlyReport` rows of that quarter are replaced.",
    )
    QuarterlyReport.objects.filter(agreement=agreement, year=quarter.year, quarter=quarter.quarter).delete()
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(generated() if "--generated" in sys.argv else main())
