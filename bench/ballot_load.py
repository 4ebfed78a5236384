"""Write throughput: 200 ballots cast at once through the web, on $BENCH_WORKERS gunicorn workers (default 4)
– issue 15's target is not lower than the 75–92 casts/s measured before the renovation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench10000 .venv/bin/python bench/ballot_load.py

Uses the open styrgrupp votes of a generated world (bench/generate.py clones the demo's open vote). In each
vote two members have voted and two have not; three members cast (the two change their ballot, one casts a
new one), the fourth never does, so no vote closes and every round casts the same 200 ballots: 67 votes × 3
members, the last one left out. Each round sends all 200 POSTs at once (200 client threads, each its own
connection, the session and CSRF cookies a browser has) and times the round from the first request to the
last answer; then checks in the database that every ballot holds the round's choice. Prints casts/s and the
load average per round and writes the "ballot-load" section of bench/results.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from _common import ROOT, load_averages, table, write_section
from load import PORT, get, gunicorn, server_env

BALLOTS = 200
CASTERS = ("helena.wik@mdu.example", "nils.oberg@strangnas.example", "mats.larsson@eskilstuna.example")
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CHOICES = ("yes", "no", "abstain")


def prepare(env: dict[str, str]) -> dict:
    """Sessions for the three members and the (meeting, item, vote) of the open votes they sit in."""
    code = (
        "import json; import django; django.setup();"
        "from django.test import Client; from django.urls import reverse;"
        "from governance.models import Vote; from samverkan.models import User;"
        f"casters = {list(CASTERS)!r};"
        "cookies = {};"
        "\nfor email in casters:"
        "\n    c = Client(); c.force_login(User.objects.get(email=email)); c.get('/')"
        "\n    cookies[email] = (c.cookies['sessionid'].value, c.cookies['csrftoken'].value)"
        "\nvotes = []"
        "\nfor v in Vote.objects.filter(status='open').select_related('item').order_by('pk'):"
        "\n    if v.ballots.filter(member__email__in=casters[2:]).exists(): continue"
        "\n    url = reverse('governance:ballot_cast', args=[v.item.meeting_id, v.item_id])"
        "\n    votes.append((v.pk, url))"
        f"\n    if len(votes) * len(casters) >= {BALLOTS}: break"
        "\nprint(json.dumps({'cookies': cookies, 'votes': votes}))"
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


def _post(path: str, cookie: tuple[str, str], choice: str, results: list, index: int, start: threading.Event):
    session, csrf = cookie
    body = urllib.parse.urlencode({"choice": choice, "csrfmiddlewaretoken": csrf})
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    start.wait()
    began = time.perf_counter()
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": csrf,
            },
        )
        status = connection.getresponse().status
    except OSError as error:
        status = f"{type(error).__name__}"
    results[index] = (status, began, time.perf_counter())
    connection.close()


def _round(plan: list[tuple[str, tuple[str, str], str]]) -> tuple[float, list]:
    results: list = [None] * len(plan)
    start = threading.Event()
    threads = [
        threading.Thread(target=_post, args=(path, cookie, choice, results, i, start))
        for i, (path, cookie, choice) in enumerate(plan)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # every connection ready
    t0 = time.perf_counter()
    start.set()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, results


def _check(env: dict[str, str], votes: list, choice: str) -> int:
    """How many of the round's ballots hold its choice in the database."""
    code = (
        "import django; django.setup(); from governance.models import Ballot;"
        f"print(Ballot.objects.filter(vote_id__in={[v for v, _u in votes]!r}, "
        f"member__email__in={list(CASTERS)!r}, choice={choice!r}).count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "samverkan.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the generated PostgreSQL database (bench/generate.py).")
    static_root = tempfile.mkdtemp(prefix="samverkan-bench-static-")
    env = server_env(static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    world = prepare(env)
    cookies, votes = world["cookies"], world["votes"]
    pairs = [(url, email) for _vote, url in votes for email in CASTERS][:BALLOTS]
    if len(pairs) < BALLOTS:
        raise SystemExit(f"Only {len(pairs)} ballots possible: generate a larger world.")
    counted_votes = sorted({v for v, url in votes if any(url == p for p, _e in pairs)})
    counted = [(v, u) for v, u in votes if v in counted_votes]
    rows = []
    try:
        with gunicorn(env, workers=WORKERS, options=("--backlog", "512")):
            for email in CASTERS:  # warm every worker a little
                for _ in range(WORKERS):
                    get(f"http://127.0.0.1:{PORT}/", f"sessionid={cookies[email][0]}")
            for n in range(1, args.rounds + 1):
                choice = CHOICES[n % len(CHOICES)]
                plan = [(url, cookies[email], choice) for url, email in pairs]
                wall, results = _round(plan)
                load = load_averages()
                statuses: dict = {}
                for status, _b, _e in results:
                    statuses[status] = statuses.get(status, 0) + 1
                latencies = sorted(end - began for _s, began, end in results)
                stored = _check(env, counted, choice)
                expected = len(pairs)
                rate = len(results) / wall
                print(
                    f"round {n}: {len(results)} ballots in {wall:.2f} s = {rate:.1f} casts/s; "
                    f"statuses {statuses}; stored {stored}/{expected}; load {load}",
                    flush=True,
                )
                rows.append(
                    [
                        n,
                        len(results),
                        f"{wall:.2f}",
                        f"{rate:.1f}",
                        f"{latencies[len(latencies) // 2] * 1000:.0f}",
                        f"{latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f}",
                        ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str)),
                        f"{stored}/{expected}",
                        load,
                    ]
                )
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    text = table(
        [
            "round",
            "ballots",
            "wall s",
            "casts/s",
            "p50 ms",
            "p95 ms",
            "HTTP statuses",
            "stored with the round's choice",
            "load average after (1/5/15 min)",
        ],
        rows,
    )
    print(text)
    write_section(
        "ballot-load",
        f"Write throughput: {BALLOTS} concurrent ballots on {WORKERS} workers (target ≥ 75–92 casts/s)",
        f"{text}\n\n{len(counted_votes)} open styrgrupp votes × three members ({', '.join(CASTERS)}); two "
        "change their ballot, one casts it (round 1) and then changes it; the fourth member never votes, so "
        "no vote closes. All 200 POSTs are sent at once from 200 client threads (one connection each) to "
        f"gunicorn with {WORKERS} sync workers (DEBUG off, PostgreSQL); a 302 is the page's answer to a cast "
        "ballot. Ballots in one vote serialise on the vote's row lock (`select_for_update`).",
    )


if __name__ == "__main__":
    main()
