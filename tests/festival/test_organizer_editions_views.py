from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festival.models import Category, Edition, Trade
from tests import factories


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def local(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def edition_data(**overrides) -> dict:
    data = {
        "title": "FILM'IT 2031",
        "year": "2031",
        "theme": "L'usine du futur",
        "submissions_open_at": "2030-10-01T09:00",
        "submissions_close_at": "2031-03-15T18:00",
        "judging_start_at": "2031-03-20T09:00",
        "judging_end_at": "2031-04-20T18:00",
        "deliberation_at": "2031-04-25T14:00",
        "ceremony_at": "2031-05-20T18:00",
        "default_max_duration": "5",
        "rules": "Un film de cinq minutes au plus.",
    }
    return {**data, **overrides}


@pytest.fixture
def trade(film):
    """A trade this festival added, shown by one of its films."""
    trade = factories.make_trade(name="Soudeur", festival=film.edition.festival)
    film.trades.add(trade)
    return trade


@pytest.fixture
def juror_client(client, juror):
    client.force_login(juror)
    return client


@pytest.fixture
def other_organizer_client(client, other_organizer):
    client.force_login(other_organizer)
    return client


@pytest.fixture
def pages(edition, category, trade):
    return {
        "festival": ("get", reverse("festival:organizer_festival"), {}),
        "editions": ("get", reverse("festival:organizer_editions"), {}),
        "edition_create": ("get", reverse("festival:organizer_edition_create"), {}),
        "edition": ("get", reverse("festival:organizer_edition", args=[edition.pk]), {}),
        "edition_edit": (
            "post",
            reverse("festival:organizer_edition_edit", args=[edition.pk]),
            edition_data(),
        ),
        "prepare_next": (
            "post",
            reverse("festival:organizer_edition_prepare_next", args=[edition.pk]),
            {},
        ),
        "category_create": (
            "post",
            reverse("festival:organizer_category_create", args=[edition.pk]),
            {"name": "Apprentis", "position": "3"},
        ),
        "category_edit": (
            "post",
            reverse("festival:organizer_category_edit", args=[category.pk]),
            {"name": "Piraté", "position": "1"},
        ),
        "category_delete": (
            "post",
            reverse("festival:organizer_category_delete", args=[category.pk]),
            {},
        ),
        "trades": ("get", reverse("festival:organizer_trades"), {}),
        "trade_edit": (
            "post",
            reverse("festival:organizer_trade_edit", args=[trade.pk]),
            {"name": "Piraté"},
        ),
        "trade_delete": ("post", reverse("festival:organizer_trade_delete", args=[trade.pk]), {}),
    }


ALL_PAGES = [
    "festival",
    "editions",
    "edition_create",
    "edition",
    "edition_edit",
    "prepare_next",
    "category_create",
    "category_edit",
    "category_delete",
    "trades",
    "trade_edit",
    "trade_delete",
]
OBJECT_PAGES = [
    "edition",
    "edition_edit",
    "prepare_next",
    "category_create",
    "category_edit",
    "category_delete",
    "trade_edit",
    "trade_delete",
]


def request_page(client, pages, name):
    method, url, data = pages[name]
    return getattr(client, method)(url, data)


def assert_nothing_changed(edition, category, trade):
    assert Edition.objects.filter(festival=edition.festival).count() == 1
    edition.refresh_from_db()
    assert (edition.title, edition.year) == ("FILM'IT 2027", edition.year)
    assert list(edition.categories.values_list("name", flat=True)) == ["Lycée"]
    category.refresh_from_db()
    assert category.name == "Lycée"
    trade.refresh_from_db()
    assert trade.name == "Soudeur"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_is_sent_to_login(client, pages, name):
    response = request_page(client, pages, name)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('festival:login')}?next={pages[name][1]}"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_teacher_gets_404(client, teacher, pages, name, edition, category, trade):
    client.force_login(teacher)
    assert request_page(client, pages, name).status_code == 404
    assert_nothing_changed(edition, category, trade)


@pytest.mark.parametrize("name", ALL_PAGES)
def test_juror_gets_404(juror_client, pages, name, edition, category, trade):
    assert request_page(juror_client, pages, name).status_code == 404
    assert_nothing_changed(edition, category, trade)


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_other_festivals_organizer_gets_404(
    other_organizer_client, pages, name, edition, category, trade
):
    assert request_page(other_organizer_client, pages, name).status_code == 404
    assert_nothing_changed(edition, category, trade)


def test_staff_flag_is_not_needed(organizer_client, organizer, pages):
    assert (organizer.is_staff, organizer.is_superuser) == (False, False)
    for name in ("festival", "editions", "edition_create", "edition", "trades"):
        assert request_page(organizer_client, pages, name).status_code == 200


# The festival


def test_organizer_edits_their_festival_only(client, other_organizer, festival):
    client.force_login(other_organizer)
    response = client.post(
        reverse("festival:organizer_festival"),
        {"name": "FILM'IT Bourgogne", "description": "Le festival des jeunes."},
    )
    assert response.status_code == 302
    other_organizer.festival.refresh_from_db()
    festival.refresh_from_db()
    assert other_organizer.festival.name == "FILM'IT Bourgogne"
    assert other_organizer.festival.description == "Le festival des jeunes."
    assert festival.name == "FILM'IT Franche-Comté"


def test_festival_form_errors(organizer_client, festival):
    response = organizer_client.post(reverse("festival:organizer_festival"), {"name": ""})
    assert response.status_code == 200
    assert "La présentation n'est pas enregistrée" in response.content.decode()
    festival.refresh_from_db()
    assert festival.name == "FILM'IT Franche-Comté"


# Editions


def test_edition_list_queries_do_not_grow(organizer_client, festival, edition):
    url = reverse("festival:organizer_editions")
    one = count_queries(organizer_client, url)
    for year in range(2040, 2050):
        factories.make_category(factories.make_edition(festival, year=year, is_current=False))
    assert count_queries(organizer_client, url) == one
    response = organizer_client.get(url)
    years = [e.year for e in response.context["editions"]]
    assert years == sorted([*range(2040, 2050), edition.year], reverse=True)


def test_edition_list_shows_only_own_festival(organizer_client, edition):
    factories.make_edition(factories.make_festival(), year=2050)
    response = organizer_client.get(reverse("festival:organizer_editions"))
    assert [e.pk for e in response.context["editions"]] == [edition.pk]


def test_create_edition(organizer_client, festival, edition):
    response = organizer_client.post(
        reverse("festival:organizer_edition_create"), edition_data(is_current="on")
    )
    created = Edition.objects.get(festival=festival, year=2031)
    assert response["Location"] == reverse("festival:organizer_edition", args=[created.pk])
    assert (created.title, created.theme, created.is_current) == (
        "FILM'IT 2031",
        "L'usine du futur",
        True,
    )
    assert created.default_max_duration == timedelta(minutes=5)
    edition.refresh_from_db()
    assert edition.is_current is False
    assert messages_of(response) == [
        "L'édition « FILM'IT 2031 » est créée. Ajoutez maintenant ses catégories, "
        "puis sa grille d'évaluation et ses prix."
    ]


def test_new_edition_form_starts_with_the_usual_length(organizer_client):
    response = organizer_client.get(reverse("festival:organizer_edition_create"))
    assert 'name="default_max_duration" value="5"' in response.content.decode()


def test_calendar_out_of_order_errors_beside_fields(organizer_client, festival):
    response = organizer_client.post(
        reverse("festival:organizer_edition_create"),
        edition_data(
            submissions_close_at="2030-09-01T09:00",
            judging_end_at="2031-03-20T09:00",
            ceremony_at="2031-04-01T09:00",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["submissions_close_at"] == [
        "Cette date doit être après la date « ouverture des dépôts »."
    ]
    assert errors["judging_end_at"] == [
        "Cette date doit être après la date « début de l'évaluation »."
    ]
    assert errors["ceremony_at"] == [
        "Cette date doit être le même jour ou après la date « délibération »."
    ]
    assert set(errors) == {"submissions_close_at", "judging_end_at", "ceremony_at"}
    assert not Edition.objects.filter(festival=festival, year=2031).exists()
    content = response.content.decode()
    assert 'href="#id_submissions_close_at"' in content


def test_same_dates_allowed_where_the_calendar_says_so(organizer_client, festival):
    response = organizer_client.post(
        reverse("festival:organizer_edition_create"),
        edition_data(
            judging_start_at="2031-03-15T18:00",
            deliberation_at="2031-04-20T18:00",
            ceremony_at="2031-04-20T18:00",
        ),
    )
    assert response.status_code == 302


def test_year_taken_is_an_error_beside_year(organizer_client, edition):
    response = organizer_client.post(
        reverse("festival:organizer_edition_create"), edition_data(year=str(edition.year))
    )
    assert response.context["form"].errors["year"] == [
        "Le festival a déjà une édition cette année-là."
    ]


def test_year_must_be_a_real_year(organizer_client, festival):
    response = organizer_client.post(
        reverse("festival:organizer_edition_create"), edition_data(year="31")
    )
    assert list(response.context["form"].errors) == ["year"]
    assert not Edition.objects.filter(festival=festival).exists()


def test_same_year_as_another_festival_is_fine(organizer_client, festival):
    factories.make_edition(factories.make_festival(), year=2031)
    response = organizer_client.post(reverse("festival:organizer_edition_create"), edition_data())
    assert response.status_code == 302


def test_edit_edition_and_make_it_current(organizer_client, festival, edition):
    old = factories.make_edition(festival, year=2019, is_current=False)
    edition_url = reverse("festival:organizer_edition_edit", args=[old.pk])
    response = organizer_client.post(
        edition_url, edition_data(title="FILM'IT 2019", year="2019", is_current="on")
    )
    assert response.status_code == 302
    old.refresh_from_db()
    edition.refresh_from_db()
    assert (old.title, old.is_current, edition.is_current) == ("FILM'IT 2019", True, False)


def test_edition_edit_get_never_writes(organizer_client, edition):
    with CaptureQueriesContext(connection) as queries:
        organizer_client.get(reverse("festival:organizer_edition_edit", args=[edition.pk]))
    assert [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")] == []


def test_edition_page_checklist(organizer_client, edition, category):
    response = organizer_client.get(reverse("festival:organizer_edition", args=[edition.pk]))
    steps = response.context["steps"]
    assert [str(step.label) for step in steps] == [
        "Calendrier",
        "Catégories",
        "Grille d'évaluation",
        "Prix",
        "Jurys",
        "Prix du public",
    ]
    assert [step.done for step in steps] == [True, True, False, False, False, False]
    assert steps[2].url == reverse("judging:organizer_criteria", args=[edition.pk])
    assert steps[3].url == reverse("judging:awards_prizes", args=[edition.pk])
    assert steps[5].url == reverse("judging:awards_votes", args=[edition.pk])


def test_edition_page_queries_do_not_grow(organizer_client, edition, teacher):
    url = reverse("festival:organizer_edition", args=[edition.pk])
    factories.make_category(edition)
    one = count_queries(organizer_client, url)
    for _ in range(10):
        category = factories.make_category(edition)
        factories.make_film(teacher=teacher, category=category)
    assert count_queries(organizer_client, url) == one


def test_edition_page_get_never_writes(organizer_client, edition):
    with CaptureQueriesContext(connection) as queries:
        organizer_client.get(reverse("festival:organizer_edition", args=[edition.pk]))
    assert [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")] == []


# Next edition


def test_prepare_next_confirmation_page(organizer_client, edition, category):
    url = reverse("festival:organizer_edition_prepare_next", args=[edition.pk])
    response = organizer_client.get(url)
    assert response.status_code == 200
    assert response.context["next_year"] == edition.year + 1
    assert Edition.objects.count() == 1


def test_prepare_next_creates_it(organizer_client, festival, edition, category):
    url = reverse("festival:organizer_edition_prepare_next", args=[edition.pk])
    response = organizer_client.post(url)
    target = Edition.objects.get(festival=festival, year=edition.year + 1)
    assert response["Location"] == reverse("festival:organizer_edition", args=[target.pk])
    assert list(target.categories.values_list("name", "slug")) == [("Lycée", "lycee")]
    assert target.is_current is False
    response = organizer_client.post(url)
    assert messages_of(response)[-1] == (
        f"L'édition {edition.year + 1} existe déjà : ouvrez-la pour la préparer."
    )
    assert Edition.objects.filter(festival=festival).count() == 2


# Categories


def test_create_category(organizer_client, edition):
    response = organizer_client.post(
        reverse("festival:organizer_category_create", args=[edition.pk]),
        {
            "name": "Jeunes en insertion",
            "description": "Missions locales",
            "max_duration": "4",
            "position": "5",
        },
    )
    assert response["Location"] == reverse("festival:organizer_edition", args=[edition.pk])
    category = edition.categories.get()
    assert (category.slug, category.max_duration, category.position) == (
        "jeunes-en-insertion",
        timedelta(minutes=4),
        5,
    )


def test_category_name_taken(organizer_client, edition, category):
    response = organizer_client.post(
        reverse("festival:organizer_category_create", args=[edition.pk]),
        {"name": "lycée", "position": "2"},
    )
    assert response.context["form"].errors["name"] == ["L'édition a déjà une catégorie de ce nom."]


def test_edit_category(organizer_client, edition, category):
    response = organizer_client.post(
        reverse("festival:organizer_category_edit", args=[category.pk]),
        {"name": "Lycée professionnel", "position": "2", "max_duration": ""},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.slug, category.position) == (
        "Lycée professionnel",
        "lycee-professionnel",
        2,
    )


def test_delete_unused_category_after_confirmation(organizer_client, edition, category):
    url = reverse("festival:organizer_category_delete", args=[category.pk])
    response = organizer_client.get(url)
    assert response.context["in_use"] is False
    assert Category.objects.filter(pk=category.pk).exists()
    response = organizer_client.post(url)
    assert not Category.objects.filter(pk=category.pk).exists()
    assert messages_of(response) == ["La catégorie « Lycée » est supprimée, avec ses prix."]


def test_used_category_is_not_deleted(organizer_client, film, category):
    url = reverse("festival:organizer_category_delete", args=[category.pk])
    assert organizer_client.get(url).context["in_use"] is True
    response = organizer_client.post(url)
    assert Category.objects.filter(pk=category.pk).exists()
    assert messages_of(response) == [
        "Des films sont inscrits dans cette catégorie : elle ne peut pas être supprimée."
    ]


# Trades


def test_trade_list_queries_do_not_grow(organizer_client, trade, film):
    url = reverse("festival:organizer_trades")
    one = count_queries(organizer_client, url)
    for n in range(10):
        film.trades.add(factories.make_trade(name=f"Métier {n}"))
    assert count_queries(organizer_client, url) == one


def test_add_trade(organizer_client):
    response = organizer_client.post(reverse("festival:organizer_trades"), {"name": " Usineur "})
    assert response["Location"] == reverse("festival:organizer_trades")
    assert list(Trade.objects.values_list("name", flat=True)) == ["Usineur"]


def test_add_trade_twice_is_an_error(organizer_client, trade):
    response = organizer_client.post(reverse("festival:organizer_trades"), {"name": "soudeur"})
    assert response.context["form"].errors["name"] == ["Ce métier est déjà dans la liste."]
    assert Trade.objects.count() == 1


def test_rename_trade(organizer_client, trade):
    response = organizer_client.post(
        reverse("festival:organizer_trade_edit", args=[trade.pk]), {"name": "Soudeuse, soudeur"}
    )
    assert response.status_code == 302
    trade.refresh_from_db()
    assert trade.name == "Soudeuse, soudeur"


def test_used_trade_is_not_deleted(organizer_client, trade):
    response = organizer_client.post(reverse("festival:organizer_trade_delete", args=[trade.pk]))
    assert Trade.objects.filter(pk=trade.pk).exists()
    assert messages_of(response) == [
        "Des films présentent ce métier : il ne peut pas être supprimé."
    ]


def test_unused_trade_deleted_after_confirmation(organizer_client, festival):
    trade = factories.make_trade(name="Chaudronnier", festival=festival)
    url = reverse("festival:organizer_trade_delete", args=[trade.pk])
    assert organizer_client.get(url).context["in_use"] is False
    organizer_client.post(url)
    assert not Trade.objects.filter(pk=trade.pk).exists()


def test_a_trade_added_by_a_festival_is_only_its_organizers(organizer, other_organizer, festival):
    organizer_client, other_organizer_client = Client(), Client()
    organizer_client.force_login(organizer)
    other_organizer_client.force_login(other_organizer)
    trade = factories.make_trade(name="Chaudronnier")
    organizer_client.post(reverse("festival:organizer_trades"), {"name": "Usineur"})
    added = Trade.objects.get(name="Usineur")
    assert added.festival == festival
    for url in (
        reverse("festival:organizer_trade_edit", args=[added.pk]),
        reverse("festival:organizer_trade_delete", args=[added.pk]),
    ):
        assert other_organizer_client.get(url).status_code == 404
        assert other_organizer_client.post(url, {"name": "Zzz"}).status_code == 404
    assert Trade.objects.get(pk=added.pk).name == "Usineur"
    # The common list (no festival) is the platform operators': no organizer changes it.
    for client in (organizer_client, other_organizer_client):
        url = reverse("festival:organizer_trade_edit", args=[trade.pk])
        assert client.post(url, {"name": "Zzz"}).status_code == 404
    assert Trade.objects.get(pk=trade.pk).name == "Chaudronnier"
