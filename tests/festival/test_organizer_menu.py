"""The organizers' one menu: shown to organizers only, the page's section marked."""

import re

import pytest
from django.urls import reverse

from festival.navigation import menu_section
from tests import factories
from tests.conftest import login

MENU = '<details class="org-menu'
CURRENT = re.compile(r'<a href="([^"]*)" aria-current="true" class="current">([^<]*)</a>')


def current_entries(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    menu = html[html.index(MENU) : html.index("</details>", html.index(MENU))]
    return CURRENT.findall(menu)


@pytest.fixture
def jury(edition, category):
    return factories.make_jury(edition, categories=[category])


@pytest.mark.parametrize(
    ("name", "args", "section"),
    [
        ("festival:organizer_dashboard", [], "Tableau de bord"),
        ("festival:organizer_films", [], "Films"),
        ("festival:organizer_teachers", [], "Enseignants"),
        ("festival:organizer_companies", [], "Entreprises"),
        ("festival:organizer_volunteer_create", [], "Entreprises"),
        ("festival:organizer_invite", [], "Invitations"),
        ("festival:organizer_editions", [], "Éditions"),
        ("festival:organizer_edition", ["edition"], "Éditions"),
        ("festival:organizer_trades", [], "Éditions"),
        ("judging:organizer_juries", ["edition"], "Jurys"),
        ("judging:organizer_settings", ["edition"], "Jurys"),
        ("judging:organizer_jury", ["jury"], "Jurys"),
        ("judging:results", ["edition"], "Classement"),
        ("judging:results_agreement", ["edition"], "Classement"),
        ("judging:results_films", ["edition"], "Classement"),
        ("judging:awards_home", ["edition"], "Palmarès"),
        ("judging:awards_prizes", ["edition"], "Palmarès"),
        ("judging:awards_publications", ["edition"], "Palmarès"),
        ("public:impact", [], "Bilan"),
    ],
)
def test_the_menu_marks_the_pages_section(client, organizer, edition, jury, name, args, section):
    objects = {"edition": edition.pk, "jury": jury.pk}
    login(client, organizer)
    response = client.get(reverse(name, args=[objects[arg] for arg in args]))
    assert response.status_code == 200
    assert [label for _url, label in current_entries(response)] == [section]


def test_the_menu_lists_every_section(client, organizer, edition):
    login(client, organizer)
    html = client.get(reverse("festival:organizer_dashboard")).content.decode()
    menu = html[html.index(MENU) : html.index("</details>", html.index(MENU))]
    labels = re.findall(r"<li><a [^>]*>([^<]*)</a></li>", menu)
    assert labels == [
        "Tableau de bord",
        "Films",
        "Enseignants",
        "Entreprises",
        "Éditions",
        "Jurys",
        "Classement",
        "Palmarès",
        "Finales",
        "Remise des prix",
        "Bilan",
        "Appel à films",
        "Invitations",
    ]
    # The judging sections open the edition the page shows.
    assert f'href="{reverse("judging:results", args=[edition.pk])}"' in menu
    assert f'href="{reverse("judging:awards_home", args=[edition.pk])}"' in menu
    # The old header links and tab bars are gone: the menu is the only way.
    assert html.count(f'href="{reverse("festival:organizer_films")}"') == 1


def test_on_a_public_page_the_menu_marks_nothing(client, organizer, edition):
    login(client, organizer)
    response = client.get(reverse("public:home"))
    assert current_entries(response) == []
    assert f'href="{reverse("judging:results", args=[edition.pk])}"' in response.content.decode()


def test_another_festivals_edition_is_never_linked(client, other_organizer, edition):
    # The public home shows our current edition; the other festival's organizer's menu
    # opens their own current edition instead.
    login(client, other_organizer)
    html = client.get(reverse("public:home")).content.decode()
    assert f'href="{reverse("judging:results_current")}"' in html
    assert f'href="{reverse("judging:results", args=[edition.pk])}"' not in html


@pytest.mark.parametrize("who", ["anonymous", "teacher", "juror"])
def test_the_menu_is_for_organizers_only(client, edition, teacher, juror, who):
    if who != "anonymous":
        login(client, {"teacher": teacher, "juror": juror}[who])
    for url in (reverse("public:home"), reverse("public:archive")):
        assert MENU not in client.get(url).content.decode()
    if who == "teacher":
        assert MENU not in client.get(reverse("festival:teacher_dashboard")).content.decode()
    if who == "juror":
        assert MENU not in client.get(reverse("judging:juror_dashboard")).content.decode()


@pytest.mark.parametrize(
    ("view_name", "section"),
    [
        ("festival:organizer_film", "films"),
        ("festival:organizer_calls", "calls"),
        ("festival:organizer_call_preview", "calls"),
        ("judging:organizer_progress", "juries"),
        ("judging:results_film", "ranking"),
        ("judging:awards_category", "awards"),
        ("judging:juror_dashboard", ""),
        ("public:impact_csv", "impact"),
        ("public:platform_impact", ""),
        ("public:home", ""),
        (None, ""),
    ],
)
def test_menu_section(view_name, section):
    assert menu_section(view_name) == section
