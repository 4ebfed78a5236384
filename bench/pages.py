"""The pages the benchmarks measure, resolved in the generated world (bench/generate.py), seen by the
processledare of the demo (who sees every proposal and meeting)."""

from __future__ import annotations

import contextlib

BENCH_USER = "anna.lindqvist@mdu.example"
# The researcher responsible for 500 proposals in every state (bench/generate.py, issue 15).
BENCH_RESEARCHER = "forskare500@mdu.example"


def pages() -> dict[str, str]:
    """name → path. The proposal and meeting are the first clones ("· b1") of a demo proposal with a long
    history and of the demo's held styrgrupp meeting with votes, jäv and decisions; at N = 10 000 that
    meeting holds the agenda items of 8 copies."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from applications.models import Proposal
    from governance.enums import MeetingKind
    from governance.models import Meeting
    from samverkan.models import Agreement

    proposal = (
        Proposal.objects.filter(title__endswith=" · b1", state="active").order_by("pk").first()
        or Proposal.objects.filter(title__endswith=" · b1").order_by("pk").first()
    )
    meeting = (
        Meeting.objects.filter(title__endswith=" · b1", kind=MeetingKind.STEERING, decisions__isnull=False)
        .order_by("pk")
        .first()
    )
    result = {
        "start page": reverse("start"),
        "pipeline board": reverse("applications:pipeline"),
        "proposal page": reverse("applications:proposal_detail", args=[proposal.pk]),
        "meeting page": reverse("governance:meeting_detail", args=[meeting.pk]),
    }
    agreement = Agreement.objects.order_by("pk").first()
    with contextlib.suppress(NoReverseMatch):
        result["economy overview"] = reverse(
            "budget:overview", args=[agreement.pk, timezone.localdate().year]
        )
    return result


def main_pages() -> dict[str, str]:
    """The pages issue 15 measures against the reference page: `pages()` and "Mina ärenden"."""
    from django.urls import reverse

    return {**pages(), "Mina ärenden": reverse("applications:my_proposals")}


def researcher_pages() -> dict[str, str]:
    """The main pages as the researcher on 500 proposals sees them: the proposal is one of theirs, running
    (so its economy panel is there); the board, meeting and economy overview answer 403 to a researcher
    and are listed as such."""
    from django.urls import reverse

    from applications.models import Proposal

    result = main_pages()
    theirs = Proposal.objects.filter(responsible_researcher__email=BENCH_RESEARCHER, state="active")
    # A clone of the same demo project at every size (a long history, a grant, money), so that the counts
    # compare like with like.
    proposal = (
        theirs.filter(title__startswith="Energieffektiva bostäder", title__contains=" · b")
        .order_by("pk")
        .first()
        or theirs.order_by("pk").first()
    )
    if proposal is not None:
        result["proposal page"] = reverse("applications:proposal_detail", args=[proposal.pk])
    return result


def extra_pages() -> dict[str, str]:
    """Lists measured for query counts only."""
    from django.urls import reverse

    return {
        "notifications": reverse("notification_list"),
        "meeting list": reverse("governance:meeting_list"),
    }


def bench_user(email: str = BENCH_USER):
    from samverkan.models import User

    return User.objects.get(email=email)
