"""Query counts per page at two sizes of the generated world; they must be equal (no N+1).

    .venv/bin/python bench/queries.py postgres://postgres@127.0.0.1:5432/bench100 \\
        postgres://postgres@127.0.0.1:5432/bench10000

Each database is generated beforehand (bench/generate.py -n 100 / -n 10000). Every page is requested
twice in-process with Django's test client as the demo processledare; the second request is counted.
Prints a table and writes the "queries" section of bench/results.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from _common import BENCH_DIR, PYTHON, table, write_section


def measure() -> dict:
    from _common import setup_django

    setup_django(ALLOWED_HOSTS="testserver,127.0.0.1,localhost")
    from django.test import Client
    from pages import BENCH_RESEARCHER, bench_user, extra_pages, main_pages, researcher_pages

    from applications.models import Proposal

    researchers = Proposal.objects.filter(responsible_researcher__email=BENCH_RESEARCHER).count()
    result = {"proposals": Proposal.objects.count(), "researcher_proposals": researchers, "pages": {}}
    targets = [(bench_user(), "", {**main_pages(), **extra_pages()})]
    if researchers:
        targets.append((bench_user(BENCH_RESEARCHER), "forskare: ", researcher_pages()))
    for user, prefix, paths in targets:
        client = Client()
        client.force_login(user)
        client.get("/")  # the CSRF cookie a browser has after its first page
        _count(client, prefix, paths, result["pages"])
    return result


def _count(client, prefix: str, paths: dict[str, str], out: dict) -> None:

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, path in paths.items():
        client.get(path)  # warm: content types, session, template loaders, cached filter choices
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        rendered = list(queries.captured_queries)
        out[prefix + name] = {
            "path": path,
            "status": response.status_code,
            "queries": len(rendered),
            "ms": round(elapsed * 1000, 1),
            "kb": round(len(response.content) / 1024, 1),
            "sql": [q["sql"][:300] for q in rendered],
        }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        os.environ["DATABASE_URL"] = sys.argv[2]
        print(json.dumps(measure()))
        return
    urls = sys.argv[1:]
    if len(urls) != 2:
        raise SystemExit(__doc__)
    runs = []
    for url in urls:
        out = subprocess.run(
            [str(PYTHON), str(BENCH_DIR / "queries.py"), "--measure", url],
            capture_output=True,
            text=True,
            check=True,
            cwd=BENCH_DIR,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    small, large = runs
    rows, failed = [], []
    for name, page in small["pages"].items():
        other = large["pages"].get(name, {})
        equal = page["queries"] == other.get("queries")
        if not equal:
            failed.append(name)
        rows.append(
            [
                name,
                f"{page['queries']}",
                f"{other.get('queries', '–')}",
                "yes" if equal else "**NO**",
                f"{page['ms']} / {other.get('ms', '–')}",
                f"{page['kb']} / {other.get('kb', '–')}",
                f"{page['status']} / {other.get('status', '–')}",
            ]
        )
    headers = [
        "page",
        f"queries N={small['proposals']} (forskare on {small.get('researcher_proposals', '–')})",
        f"queries N={large['proposals']} (forskare on {large.get('researcher_proposals', '–')})",
        "equal",
        "time ms (single request)",
        "size kB",
        "HTTP",
    ]
    text = table(headers, rows)
    print(text)
    verdict = (
        "All pages run the same number of queries at both sizes."
        if not failed
        else "Query counts differ on: " + ", ".join(failed)
    )
    print(verdict)
    (BENCH_DIR / "queries-detail.json").write_text(json.dumps(runs, indent=1), encoding="utf-8")
    write_section(
        "queries",
        "Query counts per page (target: equal at N = 100 and N = 10 000)",
        f"Target: equal counts. **{'Met' if not failed else 'Missed'}.** {verdict}\n\n{text}\n\n"
        "Counted with Django's test client in-process, as the demo processledare, who sees every proposal, "
        'and ("forskare:") as the researcher responsible for many proposals (bench/generate.py): '
        "the second request of each page. The SQL of the counted requests is in `bench/queries-detail.json`.",
    )


if __name__ == "__main__":
    main()
