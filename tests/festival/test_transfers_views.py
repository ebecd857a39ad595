"""The organizers' "Finales" pages, and the forwarded film seen by its teacher."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from festival.domain.transfers import accept_transfer, offer_film
from festival.enums import FilmStatus
from festival.models import Film, FilmTransfer, TransferState
from tests import factories
from tests.festival.factories_transfer import make_journey
from tests.festival.palmares import award, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    return make_journey()


def _offer(journey, film=None):
    return offer_film(
        film=film or journey.film,
        target_edition=journey.final_edition,
        user=journey.region_organizer,
    )


def test_the_region_offers_a_winner_after_checking_its_answers(
    journey, client, django_capture_on_commit_callbacks
):
    client.force_login(journey.region_organizer)
    url = reverse("festival:organizer_transfer_offer", args=[journey.film.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Finale nationale 2027" in page.content.decode()

    answers = {"edition": journey.final_edition.pk, "message": "Bravo à eux"}
    check = client.post(url, answers)
    assert check.status_code == 200
    assert "Vérifiez avant d'envoyer" in check.content.decode()
    assert FilmTransfer.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**answers, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("festival:organizer_transfers")
    transfer = FilmTransfer.objects.get()
    assert (transfer.message, transfer.target_edition) == ("Bravo à eux", journey.final_edition)
    assert [m.to for m in mail.outbox] == [[journey.final_organizer.email]]


def test_a_film_without_a_prize_cannot_be_offered(journey, client):
    film = factories.make_film(category=journey.film.category, status=FilmStatus.ACCEPTED)
    client.force_login(journey.region_organizer)
    url = reverse("festival:organizer_transfer_offer", args=[film.pk])
    response = client.post(url, {"edition": journey.final_edition.pk, "confirm": "1"})
    assert response.status_code == 200
    assert "Seuls les films primés" in response.content.decode()
    assert FilmTransfer.objects.count() == 0


def test_the_final_accepts_in_one_of_its_categories(
    journey, client, django_capture_on_commit_callbacks
):
    transfer = _offer(journey)
    client.force_login(journey.final_organizer)
    detail = client.get(reverse("festival:organizer_transfer", args=[transfer.pk]))
    content = detail.content.decode()
    assert detail.status_code == 200
    # The film's facts, its consents and its video, for the organizers who decide.
    assert journey.film.school.name in content
    assert "autorisations.pdf" in content
    assert "hls/master.m3u8" in content or "film-media" in content

    url = reverse("festival:organizer_transfer_accept", args=[transfer.pk])
    answers = {"category": journey.final_category.pk}
    assert "Vérifiez avant d'accepter" in client.post(url, answers).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**answers, "confirm": "1"})
    film = Film.objects.get(forwarded_from=journey.film)
    assert response["Location"] == reverse("festival:organizer_film", args=[film.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Venu du festival" in page


def test_the_final_declines_with_a_reason(journey, client, django_capture_on_commit_callbacks):
    transfer = _offer(journey)
    client.force_login(journey.final_organizer)
    url = reverse("festival:organizer_transfer_decline", args=[transfer.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "Il y a un problème" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Hors thème"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.reason) == (TransferState.DECLINED, "Hors thème")


def test_each_organizer_sees_only_their_own_offers(journey, client):
    transfer = _offer(journey)
    stranger = factories.make_organizer(factories.make_festival())
    for user, shown in (
        (journey.final_organizer, True),
        (journey.region_organizer, True),
        (stranger, False),
    ):
        client.force_login(user)
        page = client.get(reverse("festival:organizer_transfers")).content.decode()
        assert (escape(journey.film.title) in page) is shown
        if user == journey.final_organizer:
            assert "<dd>1 / 1</dd>" in page  # its consents: one, validated
    # Deciding is the final's: the region and strangers get a 404.
    for user in (journey.region_organizer, stranger):
        client.force_login(user)
        for name in (
            "festival:organizer_transfer",
            "festival:organizer_transfer_accept",
            "festival:organizer_transfer_decline",
        ):
            assert client.get(reverse(name, args=[transfer.pk])).status_code == 404
    # Offering is the region's: the final's organizer cannot reach the region's film.
    client.force_login(journey.final_organizer)
    url = reverse("festival:organizer_transfer_offer", args=[journey.film.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "juror", "anonymous"])
def test_other_people_are_denied(journey, client, who):
    transfer = _offer(journey)
    if who == "teacher":
        client.force_login(journey.teacher)
    elif who == "juror":
        client.force_login(factories.make_juror(journey.final))
    expected = 302 if who == "anonymous" else 404
    for name, pk in (
        ("festival:organizer_transfer_offer", journey.film.pk),
        ("festival:organizer_transfer", transfer.pk),
        ("festival:organizer_transfer_accept", transfer.pk),
        ("festival:organizer_transfer_decline", transfer.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == expected
    assert client.get(reverse("festival:organizer_transfers")).status_code == expected


@pytest.mark.parametrize("side", ["final", "region"])
def test_the_list_page_queries_do_not_grow(journey, client, django_assert_num_queries, side):
    _offer(journey)
    client.force_login(journey.final_organizer if side == "final" else journey.region_organizer)
    url = reverse("festival:organizer_transfers")
    client.get(url)
    one = _count_queries(client, url)
    # More offers, more winners: the same number of queries.
    films = [
        factories.make_film(category=journey.film.category, status=FilmStatus.ACCEPTED)
        for _n in range(3)
    ]
    journey.region_edition.publications.all().delete()
    publish(
        journey.region_edition,
        [award(film) for film in [journey.film, *films]],
        by=journey.region_organizer,
    )
    for film in films:
        _offer(journey, film=film)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.content.decode().count(escape(films[0].title)) >= 1


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_teacher_follows_the_forwarded_film_without_changing_it(journey, client):
    film = accept_transfer(
        transfer=_offer(journey), user=journey.final_organizer, category=journey.final_category
    )
    client.force_login(journey.teacher)
    dashboard = client.get(reverse("festival:teacher_dashboard")).content.decode()
    assert "FILM&#x27;IT — Finale nationale" in dashboard
    assert "Venu du festival FILM&#x27;IT Franche-Comté" in dashboard

    page = client.get(reverse("festival:teacher_film", args=[film.pk])).content.decode()
    assert "Venu du festival « FILM&#x27;IT Franche-Comté — FILM&#x27;IT 2026 »" in page
    assert reverse("festival:teacher_consent_upload", args=[film.pk]) not in page
    source = client.get(reverse("festival:teacher_film", args=[journey.film.pk]))
    assert "Envoyé à la finale" in source.content.decode()

    # Nothing to change: no edit, no withdrawal, no consent.
    response = client.post(reverse("festival:teacher_film_withdraw", args=[film.pk]))
    film.refresh_from_db()
    assert film.status == FilmStatus.ACCEPTED
    assert response.status_code in (302, 200)
    consent = film.consents.first()
    client.post(reverse("festival:teacher_consent_delete", args=[film.pk, consent.pk]))
    assert film.consents.count() == 1
    # Another teacher never sees it.
    client.force_login(factories.make_teacher())
    assert client.get(reverse("festival:teacher_film", args=[film.pk])).status_code == 404


def test_the_regions_film_page_offers_the_winner_and_tells_its_journey(journey, client):
    client.force_login(journey.region_organizer)
    url = reverse("festival:organizer_film", args=[journey.film.pk])
    offer_url = reverse("festival:organizer_transfer_offer", args=[journey.film.pk])
    assert offer_url in client.get(url).content.decode()

    accept_transfer(
        transfer=_offer(journey), user=journey.final_organizer, category=journey.final_category
    )
    page = client.get(url).content.decode()
    assert "Envoyé à la finale « FILM&#x27;IT — Finale nationale — Finale nationale 2027 »" in page
    # A film without a prize is offered nowhere.
    other = factories.make_film(category=journey.film.category, status=FilmStatus.ACCEPTED)
    page = client.get(reverse("festival:organizer_film", args=[other.pk])).content.decode()
    assert reverse("festival:organizer_transfer_offer", args=[other.pk]) not in page


def test_the_finals_dashboard_points_at_the_waiting_offers(journey, client):
    client.force_login(journey.final_organizer)
    url = reverse("festival:organizer_dashboard")
    assert "vous est proposé" not in client.get(url).content.decode()
    _offer(journey)
    page = client.get(url).content.decode()
    assert "Un film primé par un autre festival vous est proposé" in page
    assert reverse("festival:organizer_transfers") in page
    client.force_login(journey.region_organizer)
    assert "vous est proposé" not in client.get(url).content.decode()


def test_each_winner_says_where_it_already_goes(
    journey, client, django_capture_on_commit_callbacks
):
    transfer = _offer(journey)
    client.force_login(journey.region_organizer)
    url = reverse("festival:organizer_transfers")
    title = escape(journey.final_edition.title)

    page = client.get(url).content.decode()
    assert f"<strong>proposé à {title}, en attente</strong>" in page

    with django_capture_on_commit_callbacks(execute=True):
        accept_transfer(
            transfer=transfer,
            user=journey.final_organizer,
            category=journey.final_edition.categories.first(),
        )
    page = client.get(url).content.decode()
    assert f"<strong>accepté par {title}</strong>" in page
    assert "en attente</strong>" not in page
