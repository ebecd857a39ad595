"""The edition's calendar as an iCalendar file (festival.calendar), served to everyone and
linked from the festival's home and the teacher's pages."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from festival.calendar import edition_calendar, fold
from tests import factories

PARIS_MORNING = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def calendar_url(edition):
    return reverse("public:edition_calendar", args=[edition.festival.slug, edition.year])


def unfold(raw: bytes) -> list[str]:
    """Content lines as RFC 5545 §3.1 reads them: CRLF then a space continues the line."""
    return raw.decode().replace("\r\n ", "").split("\r\n")


def events(lines: list[str]) -> list[dict]:
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


@pytest.fixture
def dated_edition(festival):
    return factories.make_edition(
        festival,
        year=2027,
        title="FILM'IT 2027, l'industrie; demain",
        submissions_open_at=datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
        submissions_close_at=datetime(2027, 3, 31, 21, 59, tzinfo=UTC),
        judging_start_at=datetime(2027, 4, 7, 7, 0, tzinfo=UTC),
        judging_end_at=datetime(2027, 5, 12, 21, 59, tzinfo=UTC),
        deliberation_at=datetime(2027, 5, 19, 12, 0, tzinfo=UTC),
        ceremony_at=datetime(2027, 6, 4, 16, 30, tzinfo=UTC),
    )


def test_the_calendar_is_a_valid_icalendar_file(dated_edition, client):
    response = client.get(calendar_url(dated_edition))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    slug = dated_edition.festival.slug
    assert response["Content-Disposition"] == f'attachment; filename="filmit-{slug}-2027.ics"'
    raw = response.content
    # Every line ends with CRLF, none is longer than 75 octets.
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(physical)
    assert max(len(line) for line in physical) <= 75
    lines = unfold(raw)
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//FILM'IT//Calendrier des éditions//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    found = events(lines)
    host = "testserver"
    edition_pk = dated_edition.pk
    home = f"http://testserver{reverse('public:festival', args=[dated_edition.festival.slug])}"
    for event in found:
        assert event.pop("DTSTAMP").endswith("Z")
        assert event.pop("URL") == home
    assert found == [
        {
            "UID": f"filmit-edition-{edition_pk}-submissions@{host}",
            "DTSTART": "20261102T080000Z",
            "DTEND": "20270331T215900Z",
            # The comma and the semicolon of the title are escaped.
            "SUMMARY": "FILM'IT 2027\\, l'industrie\\; demain : dépôt des films",
            "TRANSP": "TRANSPARENT",
        },
        {
            "UID": f"filmit-edition-{edition_pk}-judging@{host}",
            "DTSTART": "20270407T070000Z",
            "DTEND": "20270512T215900Z",
            "SUMMARY": "FILM'IT 2027\\, l'industrie\\; demain : évaluation des films par le jury",
            "TRANSP": "TRANSPARENT",
        },
        {
            "UID": f"filmit-edition-{edition_pk}-deliberation@{host}",
            "DTSTART": "20270519T120000Z",
            "SUMMARY": "FILM'IT 2027\\, l'industrie\\; demain : délibération du jury",
        },
        {
            "UID": f"filmit-edition-{edition_pk}-ceremony@{host}",
            "DTSTART": "20270604T163000Z",
            "SUMMARY": "FILM'IT 2027\\, l'industrie\\; demain : remise des prix",
        },
    ]


def test_summaries_are_in_the_visitor_s_language(dated_edition):
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    summaries = [
        e["SUMMARY"] for e in events(unfold(visitor.get(calendar_url(dated_edition)).content))
    ]

    assert summaries == [
        "FILM'IT 2027\\, l'industrie\\; demain: film submissions",
        "FILM'IT 2027\\, l'industrie\\; demain: judging of the films",
        "FILM'IT 2027\\, l'industrie\\; demain: jury deliberation",
        "FILM'IT 2027\\, l'industrie\\; demain: awards ceremony",
    ]


def test_uids_stay_when_the_dates_move(dated_edition):
    before = edition_calendar(dated_edition, domain="filmit.example", now=PARIS_MORNING)
    dated_edition.ceremony_at += timedelta(days=7)
    after = edition_calendar(dated_edition, domain="filmit.example", now=PARIS_MORNING)

    uids = [[e["UID"] for e in events(unfold(text.encode()))] for text in (before, after)]
    assert uids[0] == uids[1]
    assert "DTSTART:20270611T163000Z" in after
    assert "DTSTAMP:20270111T090000Z" in after


def test_long_lines_are_folded_without_cutting_a_character():
    line = "SUMMARY:" + "é" * 60  # 128 octets: 8 + 33 × 2, then a space and 27 × 2

    folded = fold(line)

    parts = folded.encode().split(b"\r\n")
    assert [len(part) for part in parts] == [74, 55]
    assert parts[1].startswith(b" ")
    assert folded.replace("\r\n ", "") == line


def test_an_unknown_or_unannounced_edition_has_no_calendar(festival, edition, client):
    # Next year's, prepared early: its dates are not announced yet.
    opens = timezone.now() + timedelta(days=300)
    later = factories.make_edition(
        festival,
        year=edition.year + 1,
        is_current=False,
        submissions_open_at=opens,
        submissions_close_at=opens + timedelta(days=100),
    )

    assert client.get(calendar_url(later)).status_code == 404
    assert client.get(reverse("public:edition_calendar", args=["inconnu", 2027])).status_code == 404
    assert client.get(calendar_url(edition)).status_code == 200


# The links.


def test_the_home_page_links_the_calendar(edition, client):
    html = client.get(reverse("public:home")).content.decode()

    assert f'href="{calendar_url(edition)}"' in html
    assert "Ajouter le calendrier de l'édition à mon agenda" in html


def test_the_festival_home_links_its_calendar(edition, client):
    other = factories.make_edition(year=2031)

    html = client.get(reverse("public:festival", args=[edition.festival.slug])).content.decode()

    assert html.count(f'href="{calendar_url(edition)}"') == 1
    assert calendar_url(other) not in html


def test_the_festivals_list_links_each_current_edition_s_calendar(edition, client):
    other = factories.make_edition(title="FILM'IT Grand Est 2027")

    html = client.get(reverse("public:home")).content.decode()

    assert html.count(f'href="{calendar_url(edition)}"') == 1
    assert html.count(f'href="{calendar_url(other)}"') == 1
    assert "Ajouter le calendrier de FILM&#x27;IT Grand Est 2027 à mon agenda" in html


def test_the_teacher_s_dashboard_and_film_page_link_the_calendar(film, teacher_client):
    url = calendar_url(film.edition)

    dashboard = teacher_client.get(reverse("festival:teacher_dashboard")).content.decode()
    page = teacher_client.get(reverse("festival:teacher_film", args=[film.pk])).content.decode()

    assert dashboard.count(f'href="{url}"') == 1
    assert page.count(f'href="{url}"') == 1
    assert "Ajouter le calendrier de l'édition à mon agenda" in page
