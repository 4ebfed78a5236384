"""Issue 15, "rendering at the source": every main page's rendered p95 under load against the reference page's
p95 measured in the same run, for the processledare and for the researcher on 500 proposals (target ≤ 1.5×).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench10000 .venv/bin/python bench/render_load.py

The reference is a plain Django ListView of 25 proposals with their state and applicant, paginated, in the
app's base.html (`/_bench/reference/`, bench/views.py; a bench-only URL in bench/urls.py). Starts gunicorn as
bench/load.py does ($BENCH_WORKERS sync workers, default 2; DEBUG off; DJANGO_SETTINGS_MODULE=bench.settings),
logs both people in (session and CSRF cookies), checks each page's status (a page the role may not open is
listed, not measured) and runs `wrk` ($BENCH_CONNECTIONS connections, default 4, $BENCH_SECONDS s each,
default 10) on the reference, then on every page of both people with the reference again after each; a
page's ratio uses the mean p95 of the reference right before and right after it (the load of a shared
machine drifts). The load average is read after every page. Writes the "render-load"
section of bench/results.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

from _common import ROOT, load_averages, table, write_section
from load import CONNECTIONS, PORT, SECONDS, WORKERS, get, gunicorn, server_env, wrk

TARGET_RATIO = 1.5
REFERENCE = "/_bench/reference/"


def prepare(env: dict[str, str]) -> dict:
    """collectstatic, then per person a session cookie and the pages (in a child with the server's
    SECRET_KEY)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    code = (
        "import json,sys; sys.path.insert(0, 'bench');"
        "import django; django.setup();"
        "from django.test import Client;"
        "from pages import BENCH_RESEARCHER, BENCH_USER, bench_user, main_pages, researcher_pages;"
        "from applications.models import Proposal;"
        "out = {'proposals': Proposal.objects.count(), 'people': {}};"
        "people = {'processledare': (BENCH_USER, main_pages()),"
        " 'forskare (500 ärenden)': (BENCH_RESEARCHER, researcher_pages())};"
        "\nfor label, (email, paths) in people.items():"
        "\n    c = Client(); c.force_login(bench_user(email)); c.get('/')"
        "\n    cookie = '; '.join(f'{k}={c.cookies[k].value}' for k in ('sessionid', 'csrftoken'))"
        "\n    n = Proposal.objects.filter(responsible_researcher__email=email).count()"
        "\n    out['people'][label] = dict(email=email, cookie=cookie, pages=paths, responsible_for=n)"
        "\nprint(json.dumps(out))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "samverkan.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(env: dict[str, str], world: dict) -> tuple[list[dict], dict[str, str]]:
    base = f"http://127.0.0.1:{PORT}"
    skipped: dict[str, str] = {}
    with gunicorn(env):
        leader_cookie = next(iter(world["people"].values()))["cookie"]
        # The reference before every page and after the last: on a shared machine the load drifts, so each
        # page is compared with the reference measured right before and right after it.
        plan = [("reference", "reference (ListView, 25 rows)", REFERENCE, leader_cookie)]
        for person, data in world["people"].items():
            for name, path in data["pages"].items():
                for _ in range(3):  # warm every worker and check it is the real page
                    status, body, _url = get(base + path, data["cookie"])
                if status != 200:
                    skipped[f"{person}: {name}"] = f"HTTP {status}"
                    continue
                plan.append((person, name, path, data["cookie"]))
                plan.append(("reference", "reference", REFERENCE, leader_cookie))
        for _ in range(3):
            status, body, _url = get(base + REFERENCE, leader_cookie)
        if status != 200:
            raise SystemExit(f"reference page: HTTP {status}\n{body[:500]!r}")
        rows = []
        for person, name, path, cookie in plan:
            r = wrk(base + path, cookie)
            r.update(
                person=person,
                name=name,
                path=path,
                load=load_averages(),
                kb=len(get(base + path, cookie)[1]) / 1024,
            )
            rows.append(r)
            print(
                f"{person:24} {name:30} {r['rps']:7.1f} req/s  p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f} ms"
                f"  errors {r['errors']}  load {r['load']}",
                flush=True,
            )
        return rows, skipped


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the generated PostgreSQL database (bench/generate.py).")
    static_root = tempfile.mkdtemp(prefix="samverkan-bench-static-")
    env = server_env(static_root)
    try:
        world = prepare(env)
        rows, skipped = measure(env, world)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    refs = [r for r in rows if r["person"] == "reference"]
    ref_p95 = sum(r["p95"] for r in refs) / len(refs)
    table_rows, missed = [], []
    for i, r in enumerate(rows):
        is_ref = r["person"] == "reference"
        # The references measured right before and right after this page.
        ratio = 2 * r["p95"] / (rows[i - 1]["p95"] + rows[i + 1]["p95"]) if not is_ref else 0
        if not is_ref and ratio > TARGET_RATIO:
            missed.append(f"{r['person']}: {r['name']} ({ratio:.2f}×)")
        table_rows.append(
            [
                r["person"],
                r["name"],
                f"`{r['path']}`",
                f"{r['rps']:.1f}",
                f"{r['p50']:.1f}",
                f"{r['p95']:.1f}",
                "–" if is_ref else f"{ratio:.2f}×",
                "–" if is_ref else ("met" if ratio <= TARGET_RATIO else "**missed**"),
                f"{r['kb']:.0f}",
                r["errors"],
                r["load"],
            ]
        )
    text = table(
        [
            "who",
            "page",
            "path",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p95 ÷ reference p95",
            f"≤ {TARGET_RATIO:g}×",
            "kB",
            "errors",
            "load average after (1/5/15 min)",
        ],
        table_rows,
    )
    people = "; ".join(
        f"{label} {data['email']} (responsible researcher on {data['responsible_for']} proposals)"
        for label, data in world["people"].items()
    )
    not_measured = (
        "Not measured (the role may not open the page): "
        + ", ".join(f"{k} – {v}" for k, v in skipped.items())
        + "."
        if skipped
        else ""
    )
    summary = (
        "Every page within the target." if not missed else "Target missed on: " + "; ".join(missed) + "."
    )
    print(text)
    print(summary)
    write_section(
        "render-load",
        f"Rendered pages against the reference ListView (target: p95 ≤ {TARGET_RATIO:g}× in the same run)",
        f"{summary} Reference p95: {min(r['p95'] for r in refs):.1f}–{max(r['p95'] for r in refs):.1f} ms "
        f"(mean {ref_p95:.1f} ms over {len(refs)} measurements); each page's ratio uses the mean of the "
        f"reference measured right before and right after it.\n\n{text}\n\n"
        f"World: {world['proposals']} proposals. People: {people}. {not_measured}\n\n"
        f"Setup: gunicorn, {WORKERS} sync workers, DEBUG off, PostgreSQL, no page cache; `wrk` with "
        f"{CONNECTIONS} connections for {SECONDS} s per page, session and CSRF cookies as a browser has. "
        "The reference page is measured in the same run before every page and after the last.",
    )


if __name__ == "__main__":
    main()
