"""An edition's calendar as an iCalendar file (RFC 5545) that teachers add to their agenda.

Written by hand, a few lines of a simple format rather than a dependency: CRLF line endings,
lines folded at 75 octets (never inside a character), text escaped, times in UTC. Each event
keeps its UID (the edition's id and the event's kind), so a calendar subscribed to the file
moves an event when the organizers move a date instead of adding a second one.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from festival.models import Ceremony, Edition

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//FILM'IT//Calendrier des éditions//FR"


@dataclass(frozen=True)
class CalendarEvent:
    kind: str
    summary: str
    start: datetime
    end: datetime | None = None
    # A window of weeks (submissions, judging) leaves its days free in the agenda.
    transparent: bool = False
    location: str = ""
    url: str = ""


def open_ceremony(edition: Edition) -> Ceremony | None:
    """The edition's ceremony page once the public may see it (its place goes in the agenda)."""
    return Ceremony.objects.filter(edition=edition, opened_at__isnull=False).first()


def ceremony_event(
    edition: Edition, ceremony: Ceremony | None = None, url: str = ""
) -> CalendarEvent:
    return CalendarEvent(
        "ceremony",
        _("%(edition)s : remise des prix") % {"edition": edition.title},
        edition.ceremony_at,
        location=ceremony.location if ceremony else "",
        url=url,
    )


def edition_events(
    edition: Edition, *, ceremony: Ceremony | None = None, ceremony_url: str = ""
) -> list[CalendarEvent]:
    """The edition's stages, named in the active language; the ceremony with its place and its
    page when they are public."""
    title = edition.title
    return [
        CalendarEvent(
            "submissions",
            _("%(edition)s : dépôt des films") % {"edition": title},
            edition.submissions_open_at,
            edition.submissions_close_at,
            transparent=True,
        ),
        CalendarEvent(
            "judging",
            _("%(edition)s : évaluation des films par le jury") % {"edition": title},
            edition.judging_start_at,
            edition.judging_end_at,
            transparent=True,
        ),
        CalendarEvent(
            "deliberation",
            _("%(edition)s : délibération du jury") % {"edition": title},
            edition.deliberation_at,
        ),
        ceremony_event(edition, ceremony, ceremony_url),
    ]


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1): each continuation line starts with a space,
    which counts in its 75 octets; a UTF-8 character is never cut in two."""
    if len(line.encode()) <= LINE_OCTETS:
        return line
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def edition_calendar(
    edition: Edition,
    *,
    domain: str,
    url: str = "",
    now: datetime | None = None,
    ceremony: Ceremony | None = None,
    ceremony_url: str = "",
) -> str:
    """The whole file. `domain` names the installation in each UID; `url` is the festival's
    public page, given with every event (the ceremony's own page for the ceremony when it is
    open, with its place). Reads `edition.festival`: select it with the edition."""
    events = edition_events(edition, ceremony=ceremony, ceremony_url=ceremony_url)
    return calendar_file(edition, events, domain=domain, url=url, now=now)


def ceremony_calendar(
    edition: Edition, *, domain: str, ceremony: Ceremony | None, url: str = "", now=None
) -> str:
    """The ceremony alone, for an invited guest's agenda: the same UID as in the edition's file,
    so that both files describe one event."""
    events = [ceremony_event(edition, ceremony, url)]
    return calendar_file(edition, events, domain=domain, url=url, now=now)


def calendar_file(
    edition: Edition, events: list[CalendarEvent], *, domain: str, url: str, now=None
) -> str:
    stamp = utc_stamp(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{edition.festival.name} — {edition.title}')}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:filmit-edition-{edition.pk}-{event.kind}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc_stamp(event.start)}",
        ]
        # A moment (deliberation, ceremony) has no end: RFC 5545 ends it when it starts.
        if event.end is not None and event.end > event.start:
            lines.append(f"DTEND:{utc_stamp(event.end)}")
        lines.append(f"SUMMARY:{escape_text(event.summary)}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.url or url:
            lines.append(f"URL:{event.url or url}")
        if event.transparent:
            lines.append("TRANSP:TRANSPARENT")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def calendar_filename(edition: Edition) -> str:
    return f"filmit-{edition.festival.slug}-{edition.year}.ics"
