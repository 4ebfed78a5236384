"""iCalendar (.ics) for meeting invitations, built with the icalendar library. The UID is stable per
meeting; SEQUENCE grows with each changed time so calendars replace the old entry."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def meeting_ics(meeting, *, attendees=(), method: str = "REQUEST") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Samverkan//samverkan//SV")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", f"{meeting.uid}@samverkan")
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, STOCKHOLM))
    event.add("dtend", timezone.localtime(meeting.ends_at, STOCKHOLM))
    event.add("summary", meeting.title)
    location = meeting.location or meeting.video_link
    if location:
        event.add("location", location)
    lines = [f"{item.order}. {item.title}" for item in meeting.items.all()]
    if meeting.video_link:
        lines.append(f"Videolänk: {meeting.video_link}")
    lines.append(f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add("description", "\n".join(lines))
    if meeting.secretary_id:
        organizer = vCalAddress(f"mailto:{meeting.secretary.email}")
        organizer.params["cn"] = vText(meeting.secretary.get_full_name())
        event["organizer"] = organizer
    for user in attendees:
        address = vCalAddress(f"mailto:{user.email}")
        address.params["cn"] = vText(user.get_full_name())
        event.add("attendee", address, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()  # RFC 5545: a TZID needs its VTIMEZONE (Outlook insists)
    return cal.to_ical()
