"""Issue 15's pages against the reference page by CPU time per request, in-process: a companion to
bench/render_load.py for a shared machine, where wall-clock latency under load measures the neighbours too.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench10000 .venv/bin/python bench/render_cpu.py

Django's test client with the bench settings (the reference page's URL), DEBUG off, as the processledare
and the researcher on 500 proposals; each page is requested once to warm, then `--runs` times (default 15),
each time followed by the reference. Reports the median CPU time (`time.process_time`, this process: the
view, templates and the database driver, not PostgreSQL's own work) and the median wall time of each, and
their ratios to the reference. Writes the "render-cpu" section of bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from _common import load_averages, setup_django, table, write_section

REFERENCE = "/_bench/reference/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",  # as in production: no query log
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        SIGNING_KEY_PASSPHRASE="samverkan-demo-signering",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        REDIS_URL="",
        STATIC_ROOT=tempfile.mkdtemp(prefix="samverkan-bench-static-"),
    )
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off serves the manifest
    from django.test import Client
    from pages import BENCH_RESEARCHER, BENCH_USER, bench_user, main_pages, researcher_pages

    people = {
        "processledare": (BENCH_USER, main_pages()),
        "forskare (500 ärenden)": (BENCH_RESEARCHER, researcher_pages()),
    }

    def timed(client, path):
        c0, t0 = time.process_time(), time.perf_counter()
        response = client.get(path)
        return response.status_code, time.process_time() - c0, time.perf_counter() - t0

    rows = []
    for person, (email, paths) in people.items():
        client = Client()
        client.force_login(bench_user(email))
        client.get("/")
        for name, path in paths.items():
            if timed(client, path)[0] != 200:
                continue
            timed(client, REFERENCE)
            page_cpu, page_wall, ref_cpu, ref_wall = [], [], [], []
            for _ in range(args.runs):
                _s, cpu, wall = timed(client, path)
                page_cpu.append(cpu)
                page_wall.append(wall)
                _s, cpu, wall = timed(client, REFERENCE)
                ref_cpu.append(cpu)
                ref_wall.append(wall)
            pc, rc = statistics.median(page_cpu) * 1000, statistics.median(ref_cpu) * 1000
            pw, rw = statistics.median(page_wall) * 1000, statistics.median(ref_wall) * 1000
            load = load_averages()
            rows.append(
                [
                    person,
                    name,
                    f"`{path}`",
                    f"{pc:.0f}",
                    f"{rc:.0f}",
                    f"{pc / rc:.2f}×",
                    f"{pw:.0f}",
                    f"{rw:.0f}",
                    f"{pw / rw:.2f}×",
                    load,
                ]
            )
            print(" | ".join(str(c) for c in rows[-1]), flush=True)
    text = table(
        [
            "who",
            "page",
            "path",
            "CPU ms (median)",
            "reference CPU ms",
            "CPU ÷ reference",
            "wall ms (median)",
            "reference wall ms",
            "wall ÷ reference",
            "load average after (1/5/15 min)",
        ],
        rows,
    )
    print(text)
    write_section(
        "render-cpu",
        "Rendered pages against the reference ListView by CPU time per request (in-process)",
        f"{text}\n\nMedian of {args.runs} requests per page, each followed by a request of the reference "
        "page (`/_bench/reference/`), in one process with Django's test client and the bench settings, "
        "DEBUG off. "
        "CPU time is this process's (view, templates, ORM, driver), not PostgreSQL's.",
    )


if __name__ == "__main__":
    main()
