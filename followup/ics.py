"""iCalendar (.ics) for a dissemination event, with the programme in the description."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from governance.ics import STOCKHOLM


def event_ics(event) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Samverkan//resultatspridning//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    entry = Event()
    entry.add("uid", f"{event.uid}@samverkan")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", timezone.localtime(event.starts_at, STOCKHOLM))
    entry.add("dtend", timezone.localtime(event.ends_at, STOCKHOLM))
    entry.add("summary", event.title)
    entry.add("location", event.location)
    lines = [event.description] if event.description else []
    for presentation in event.presentations.all():
        lines.append(f"{presentation.order}. {presentation.title} ({presentation.proposal.title})")
    lines.append(f"{settings.SITE_URL}{event.get_absolute_url()}")
    entry.add("description", "\n".join(lines))
    cal.add_component(entry)
    cal.add_missing_timezones()
    return cal.to_ical()
