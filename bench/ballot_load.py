"""Write throughput: 200 ballots cast at once through the web, on $BENCH_WORKERS gunicorn workers (default 4)
– issue 15's target is not lower than the 75–92 casts/s measured before the renovation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench10000 .venv/bin/python bench/ballot_load.py

Uses the open styrgrupp votes of a generated world (bench/generate.py clones the demo's open vote). In each
vote every member who holds a seat for the item (governance.seating: the university's and the proposal's
municipality's members) casts or changes a ballot except one who has not voted yet, so no vote closes and
every round casts the same 200 ballots. Each round sends all 200 POSTs at once (200 client threads, each
its own connection, the session and CSRF cookies a browser has) and times the round from the first request
to the last answer; then checks in the database that every ballot holds the round's choice. Prints casts/s
and the load average per round and writes the "ballot-load" section of bench/results.md.
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
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CHOICES = ("yes", "no", "abstain")


def prepare(env: dict[str, str]) -> dict:
    """The ballots to cast: for each open vote, every member who holds a seat for its item (the deciding
    parties' members, a deputy where one serves – governance.seating) except the last, so no vote closes;
    and a session for each of them."""
    code = (
        "import json; import django; django.setup();"
        "from django.test import Client; from django.urls import reverse;"
        "from governance.models import Vote; from governance.seating import seating_of_vote;"
        "from samverkan.models import User;"
        "\nballots = []"
        "\nopen_votes = Vote.objects.filter(status='open').select_related('item', 'item__meeting')"
        "\nfor v in open_votes.order_by('pk'):"
        "\n    holders = [s.holder.user_id for s in seating_of_vote(v).seats if not s.empty and not s.absent]"
        "\n    voted = set(v.ballots.values_list('member_id', flat=True))"
        "\n    waiting = [h for h in holders if h not in voted]"
        "\n    if not waiting: continue"
        "\n    url = reverse('governance:ballot_cast', args=[v.item.meeting_id, v.item_id])"
        "\n    ballots += [(v.pk, url, user_id) for user_id in holders if user_id != waiting[-1]]"
        f"\n    if len(ballots) >= {BALLOTS}: break"
        f"\nballots = ballots[:{BALLOTS}]"
        "\ncookies = {}"
        "\nfor user in User.objects.filter(pk__in={b[2] for b in ballots}):"
        "\n    c = Client(); c.force_login(user); c.get('/')"
        "\n    cookies[user.pk] = (c.cookies['sessionid'].value, c.cookies['csrftoken'].value)"
        "\nprint(json.dumps({'cookies': cookies, 'ballots': ballots}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "samverkan.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    world = json.loads(out.strip().splitlines()[-1])
    world["cookies"] = {int(k): tuple(v) for k, v in world["cookies"].items()}
    return world


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


def _check(env: dict[str, str], ballots: list, choice: str) -> int:
    """How many of the round's ballots hold its choice in the database."""
    pairs = [(vote, user) for vote, _url, user in ballots]
    code = (
        "import django; django.setup(); from governance.models import Ballot;"
        f"pairs = set(map(tuple, {pairs!r}));"
        f"rows = Ballot.objects.filter(vote_id__in={sorted({v for v, _u in pairs})!r}, choice={choice!r});"
        "print(sum((b.vote_id, b.member_id) in pairs for b in rows.only('vote_id', 'member_id')))"
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
    cookies, ballots = world["cookies"], world["ballots"]
    if len(ballots) < BALLOTS:
        raise SystemExit(f"Only {len(ballots)} ballots possible: generate a larger world.")
    votes = {vote for vote, _url, _user in ballots}
    rows = []
    try:
        with gunicorn(env, workers=WORKERS, options=("--backlog", "512")):
            for cookie in list(cookies.values())[:3]:  # warm every worker a little
                for _ in range(WORKERS):
                    get(f"http://127.0.0.1:{PORT}/", f"sessionid={cookie[0]}")
            for n in range(1, args.rounds + 1):
                choice = CHOICES[n % len(CHOICES)]
                plan = [(url, cookies[user], choice) for _vote, url, user in ballots]
                wall, results = _round(plan)
                load = load_averages()
                statuses: dict = {}
                for status, _b, _e in results:
                    statuses[status] = statuses.get(status, 0) + 1
                latencies = sorted(end - began for _s, began, end in results)
                stored = _check(env, ballots, choice)
                expected = len(ballots)
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
        f"{text}\n\n{len(votes)} open styrgrupp votes; in each, every member holding a seat for the item "
        "(the university's and the proposal's municipality's members, issue 16) but one casts or changes a "
        "ballot, so no vote closes. All 200 POSTs are sent at once from 200 client threads (one connection "
        "each) to "
        f"gunicorn with {WORKERS} sync workers (DEBUG off, PostgreSQL); a 302 is the page's answer to a cast "
        "ballot. Ballots in one vote serialise on the vote's row lock (`select_for_update`).",
    )


if __name__ == "__main__":
    main()
