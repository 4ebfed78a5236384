"""Dissemination events (resultatspridningstillfällen) for the catalogue, the exports and the dashboards. They
belong to the follow-up app (followup.models.DisseminationEvent; its public page and .ics file too)."""

from __future__ import annotations


def upcoming_public_events(agreement_ids=None) -> list:
    from followup.selectors import public_events

    events = public_events()
    if agreement_ids is not None:
        events = events.filter(agreement_id__in=agreement_ids)
    return list(events[:10])
