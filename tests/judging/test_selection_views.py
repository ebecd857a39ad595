"""The organizers' pre-selection pages, the teacher's outcome, and who may not see them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from festival.enums import FilmStatus
from judging.domain.selection import announce_now, choose_finalists
from judging.enums import JuryStage, SelectionState
from judging.models import Jury
from judging.models_selection import Finalist, SelectionRound
from tests import factories
from tests.conftest import login
from tests.judging.factories_selection import make_round, make_selection, validated


@pytest.fixture
def selection(edition, category):
    return make_selection(edition, category)


def urls(edition) -> dict[str, str]:
    return {
        name: reverse(f"judging:selection_{name}", args=[edition.pk])
        for name in ("settings", "ranking", "check", "cancel")
    }


# Settings.


def test_settings_page_shows_the_defaults_and_writes_nothing(organizer_client, edition):
    response = organizer_client.get(urls(edition)["settings"])
    assert response.status_code == 200
    assert response.context["selection_round"].enabled is False
    assert not SelectionRound.objects.exists()


def test_organizer_turns_the_round_on(organizer_client, edition, organizer):
    response = organizer_client.post(
        urls(edition)["settings"],
        {"enabled": "on", "finalists_per_category": "3", "announce_at": "2027-04-02T10:00"},
    )
    assert response.status_code == 302
    selection_round = SelectionRound.objects.get()
    assert (
        selection_round.enabled,
        selection_round.finalists_per_category,
        timezone.localtime(selection_round.announce_at).strftime("%Y-%m-%d %H:%M"),
        selection_round.updated_by,
    ) == (True, 3, "2027-04-02 10:00", organizer)


def test_settings_errors_are_listed(organizer_client, edition):
    response = organizer_client.post(
        urls(edition)["settings"], {"enabled": "on", "finalists_per_category": "0"}
    )
    assert response.status_code == 400
    assert "Au moins un finaliste par catégorie." in response.text
    assert not SelectionRound.objects.exists()


def test_a_preselection_jury_is_created_from_the_jury_form(organizer_client, edition, category):
    organizer_client.post(
        reverse("judging:organizer_jury_create", args=[edition.pk]),
        {"name": "Présélection lycée", "categories": [category.pk], "stage": "preselection"},
    )
    assert list(Jury.objects.values_list("name", "stage")) == [
        ("Présélection lycée", JuryStage.PRESELECTION)
    ]


# The pre-selection ranking.


def test_ranking_needs_the_round(organizer_client, selection):
    response = organizer_client.get(urls(selection.edition)["ranking"])
    assert response["Location"] == urls(selection.edition)["settings"]


def test_ranking_orders_by_preselection_scores_and_ticks_the_top_n(organizer_client, selection):
    make_round(selection.edition, finalists_per_category=2)
    response = organizer_client.get(urls(selection.edition)["ranking"])
    assert response.status_code == 200
    [block] = response.context["categories"]
    assert [line["film"].title for line in block["lines"]] == [f.title for f in selection.films]
    assert response.context["ticked"] == {selection.films[0].pk, selection.films[1].pk}


def test_ranking_ticks_the_chosen_finalists_once_chosen(organizer_client, selection, organizer):
    selection_round = make_round(selection.edition, finalists_per_category=2)
    choose_finalists(selection_round=selection_round, films=[selection.films[3]], user=organizer)
    response = organizer_client.get(urls(selection.edition)["ranking"])
    assert response.context["ticked"] == {selection.films[3].pk}


@pytest.mark.parametrize("count", [1, 6])
def test_ranking_queries_do_not_grow_with_films(
    organizer_client, edition, category, count, django_assert_num_queries, organizer
):
    make_round(edition)
    criterion = factories.make_criterion(edition)
    juror = factories.make_juror(edition.festival)
    jury = factories.make_jury(edition, categories=[category], stage=JuryStage.PRESELECTION)
    for _ in range(count):
        film = factories.make_film(category=category, status=FilmStatus.SUBMITTED)
        factories.make_assignment(jury=jury, juror=juror, film=film)
        validated(juror=juror, film=film, criterion=criterion, value=5)
    organizer_client.get(urls(edition)["ranking"])  # warms the session
    with django_assert_num_queries(17):
        response = organizer_client.get(urls(edition)["ranking"])
    assert len(response.context["categories"][0]["lines"]) == count


def test_choosing_leads_to_the_check_page(organizer_client, selection):
    make_round(selection.edition)
    a, b, c, d = selection.films
    response = organizer_client.post(urls(selection.edition)["ranking"], {"films": [a.pk, c.pk]})
    assert response["Location"] == urls(selection.edition)["check"]
    assert sorted(Finalist.objects.values_list("film__title", flat=True)) == [a.title, c.title]
    page = organizer_client.get(urls(selection.edition)["check"])
    assert [film.title for film in page.context["blocks"][0]["films"]] == [a.title, c.title]


def test_choosing_nothing_is_an_error(organizer_client, selection):
    make_round(selection.edition)
    response = organizer_client.post(urls(selection.edition)["ranking"], {})
    assert response.status_code == 400
    assert "Cochez au moins un film finaliste." in response.text
    assert not Finalist.objects.exists()


def test_a_film_of_another_edition_cannot_be_ticked(organizer_client, selection, festival):
    make_round(selection.edition)
    other = factories.make_film(
        category=factories.make_category(
            factories.make_edition(festival, is_current=False, year=selection.edition.year - 1)
        ),
        status=FilmStatus.SUBMITTED,
    )
    response = organizer_client.post(urls(selection.edition)["ranking"], {"films": [other.pk]})
    assert response.status_code == 400
    assert not Finalist.objects.exists()


# Check your answers, then announce.


def test_announce_now_from_the_check_page(
    organizer_client, selection, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    selection_round = make_round(selection.edition)
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(urls(selection.edition)["check"], {"when": "now"})
    assert response["Location"] == urls(selection.edition)["settings"]
    selection_round.refresh_from_db()
    assert selection_round.state == SelectionState.ANNOUNCED
    assert len(mailoutbox) == 2


def test_scheduling_without_a_date_is_explained(organizer_client, selection, organizer):
    selection_round = make_round(selection.edition)
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    response = organizer_client.post(urls(selection.edition)["check"], {"when": "scheduled"})
    assert response.status_code == 400
    assert "Indiquez la date et l&#x27;heure de l&#x27;annonce" in response.text
    selection_round.refresh_from_db()
    assert selection_round.state == SelectionState.OPEN


def test_cancel_a_scheduled_announcement(
    organizer_client, selection, organizer, django_capture_on_commit_callbacks
):
    selection_round = make_round(selection.edition, announce_at=timezone.now() + timedelta(days=1))
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    with django_capture_on_commit_callbacks(execute=False):
        organizer_client.post(urls(selection.edition)["check"], {"when": "scheduled"})
    organizer_client.post(urls(selection.edition)["cancel"])
    selection_round.refresh_from_db()
    assert selection_round.state == SelectionState.OPEN


# Denials.


@pytest.mark.parametrize("name", ["settings", "ranking", "check"])
def test_strangers_get_a_404(client, selection, other_organizer, teacher, juror, name):
    make_round(selection.edition)
    url = urls(selection.edition)[name]
    assert client.get(url)["Location"].startswith(reverse("festival:login"))
    for user in (other_organizer, teacher, juror):
        login(client, user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"when": "now", "films": []}).status_code == 404
        client.logout()
    assert SelectionRound.objects.get().state == SelectionState.OPEN


def test_cancel_is_post_only_and_denied_to_strangers(client, selection, other_organizer):
    make_round(selection.edition)
    login(client, other_organizer)
    assert client.post(urls(selection.edition)["cancel"]).status_code == 404


# The teacher's film page.


def test_teacher_sees_the_outcome_only_once_announced(
    client, edition, category, organizer, django_capture_on_commit_callbacks
):
    selection = make_selection(edition, category)
    selection_round = make_round(edition)
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a], user=organizer)

    def outcome(film):
        login(client, film.teacher)
        response = client.get(reverse("festival:teacher_film", args=[film.pk]))
        client.logout()
        return response.context["selection_outcome"]

    assert (outcome(a), outcome(b)) == ("", "")
    with django_capture_on_commit_callbacks(execute=True):
        announce_now(selection_round=selection_round, user=organizer)
    assert (outcome(a), outcome(b)) == ("Finaliste", "Non retenu")
