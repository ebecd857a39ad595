"""An edition's results, computed once per request: one load of the scores, one run of the
ranking, whatever the page (decisions, palmarès preview, results, exports), and a number of
queries that does not grow with the edition's categories."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from festival.enums import FilmStatus
from judging import results as results_module
from judging.domain.awards import CATEGORY_PRIZES, EDITION_PRIZES, decide_award, proposals
from judging.domain.publication import build_snapshot
from judging.enums import EvaluationState, PrizeKind
from judging.models_results import Award, Prize
from judging.ranking import rank
from judging.results import EditionResults
from tests import factories

BASE = ("none", "mean")


def add_category(edition, criterion, index: int):
    """A category with its jury of two, three films ranked Acier > Bronze > Cuivre, one coup
    de cœur for Bronze, and the usual category prizes."""
    category = factories.make_category(
        edition, name=f"Catégorie {index}", slug=f"categorie-{index}", position=index
    )
    president, juror = (factories.make_juror(edition.festival) for _ in range(2))
    jury = factories.make_jury(edition, categories=[category], president=president, members=[juror])
    for title, value in (("Acier", 9), ("Bronze", 7), ("Cuivre", 5)):
        film = factories.make_film(
            category=category, status=FilmStatus.ACCEPTED, title=f"{title} {index}"
        )
        for member in (president, juror):
            factories.make_assignment(jury=jury, juror=member, film=film)
            factories.make_evaluation(
                juror=member,
                film=film,
                scores={criterion: value},
                state=EvaluationState.VALIDATED,
                validated_at=timezone.now(),
                favourite=title == "Bronze",
            )
    for position, (kind, name) in enumerate(CATEGORY_PRIZES, start=1):
        Prize.objects.create(
            edition=edition, category=category, kind=kind, name=str(name), position=position
        )
    return category


@pytest.fixture
def festival_edition(edition):
    """An edition with one scored category; `more(n)` adds n categories alike."""
    criterion = factories.make_criterion(edition, name="Ensemble", is_priority=True)
    for position, (kind, name) in enumerate(EDITION_PRIZES, start=1):
        Prize.objects.create(edition=edition, kind=kind, name=str(name), position=position)
    first = add_category(edition, criterion, 0)
    added = []

    def more(count: int) -> None:
        for _ in range(count):
            added.append(add_category(edition, criterion, 1 + len(added)))

    return SimpleNamespace(edition=edition, category=first, more=more)


def first_prize(category) -> Prize:
    return Prize.objects.get(category=category, kind=PrizeKind.CATEGORY_FIRST)


@pytest.fixture
def engine(monkeypatch):
    """Counts the loads of an edition's scores and the runs of the ranking engine, by options."""
    counted = SimpleNamespace(loads=0, runs=[])
    load = results_module.edition_scores

    def loading(edition, **kwargs):
        counted.loads += 1
        return load(edition, **kwargs)

    def ranking(**kwargs):
        counted.runs.append((kwargs["normalize"], kwargs["aggregate"]))
        return rank(**kwargs)

    monkeypatch.setattr("judging.results.edition_scores", loading)
    monkeypatch.setattr("judging.results.rank", ranking)
    monkeypatch.setattr("judging.agreement.rank", ranking)

    def reset():
        counted.loads, counted.runs = 0, []

    counted.reset = reset
    return counted


# The object.


def test_results_are_computed_on_first_use_and_kept(festival_edition, engine):
    results = EditionResults.load(festival_edition.edition)
    assert (engine.loads, engine.runs) == (0, [])
    ranking = results.ranking
    assert results.ranking is ranking
    assert results.favourite_counts == {
        film.pk: 2 for film in results.films.values() if film.title == "Bronze 0"
    }
    assert results.agreement is results.agreement
    assert engine.loads == 1
    # The agreement reuses the ranking and ranks only under the three other options.
    assert engine.runs == [BASE, ("zscore", "mean"), ("none", "median"), ("none", "trimmed")]


def test_given_options_replace_the_editions(festival_edition, engine):
    results = EditionResults.load(festival_edition.edition, normalize="zscore", min_jurors=3)
    assert results.options == {"normalize": "zscore", "aggregate": "mean", "min_jurors": 3}
    assert [f.status for f in results.category_ranking(festival_edition.category)] == [
        "insufficient"
    ] * 3


def test_proposals_decisions_and_the_snapshot_share_one_computation(
    festival_edition, organizer, engine
):
    edition, category = festival_edition.edition, festival_edition.category
    results = EditionResults.load(edition)
    proposed = proposals(edition, results=results)
    acier = results.films[proposed[first_prize(category).pk].film_ids[0]]
    decide_award(prize=first_prize(category), films=[acier], user=organizer, results=results)
    snapshot = build_snapshot(edition, published_at=timezone.now(), results=results)
    assert [a["film_title"] for a in snapshot["awards"]] == ["Acier 0"]
    assert (engine.loads, engine.runs) == (1, [BASE])


# Once per request, on every page that reads the results.


def _pages(edition, category):
    prize = first_prize(category)
    acier = edition.films.get(title="Acier 0")
    cuivre = edition.films.get(title="Cuivre 0")
    decide = reverse("judging:awards_decide", args=[prize.pk])
    return {
        # name: (method, url, data, runs of the ranking with the edition's options)
        "home": ("get", reverse("judging:awards_home", args=[edition.pk]), {}, 0),
        "category_awards": (
            "get",
            reverse("judging:awards_category", args=[category.pk]),
            {},
            1,
        ),
        "edition_awards": ("get", reverse("judging:awards_edition", args=[edition.pk]), {}, 0),
        "decide": ("post", decide, {f"prize-{prize.pk}-films": [acier.pk]}, 1),
        "decide_refused": ("post", decide, {f"prize-{prize.pk}-films": [cuivre.pk]}, 1),
        "preview": ("get", reverse("judging:awards_preview", args=[edition.pk]), {}, 1),
        "ranking": ("get", reverse("judging:results", args=[edition.pk]), {}, 1),
        "explanation": (
            "get",
            reverse("judging:results_film", args=[edition.pk, acier.pk]),
            {},
            1,
        ),
        **{
            f"download {name}": (
                "get",
                reverse("judging:results_download", args=[edition.pk, name]),
                {},
                runs,
            )
            for name, runs in [
                ("classement.csv", 1),
                ("classement.xlsx", 1),
                ("notes.csv", 0),
                ("notes.xlsx", 0),
                ("scores.csv", 0),
                ("criteria.csv", 0),
                ("favourites.csv", 0),
            ]
        },
    }


PAGES = [
    "home",
    "category_awards",
    "edition_awards",
    "decide",
    "decide_refused",
    "preview",
    "ranking",
    "explanation",
    "download classement.csv",
    "download classement.xlsx",
    "download notes.csv",
    "download notes.xlsx",
    "download scores.csv",
    "download criteria.csv",
    "download favourites.csv",
]


def request_page(client, pages, name):
    method, url, data, _runs = pages[name]
    response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302, 400), name
    return response


@pytest.mark.parametrize("name", PAGES)
def test_the_ranking_runs_once_per_request(organizer_client, festival_edition, engine, name):
    pages = _pages(festival_edition.edition, festival_edition.category)
    engine.reset()
    request_page(organizer_client, pages, name)
    assert engine.runs.count(BASE) == pages[name][3]
    assert engine.loads <= 1


def test_a_refused_decision_shows_the_page_from_the_same_results(
    organizer_client, festival_edition, engine
):
    pages = _pages(festival_edition.edition, festival_edition.category)
    engine.reset()
    response = request_page(organizer_client, pages, "decide_refused")
    assert response.status_code == 400
    assert (engine.loads, engine.runs) == (1, [BASE])


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_the_categories(
    organizer_client, festival_edition, name, django_assert_num_queries
):
    pages = _pages(festival_edition.edition, festival_edition.category)
    request_page(organizer_client, pages, name)  # the session, warmed up
    Award.objects.all().delete()
    with django_assert_num_queries(QUERIES[name]):
        request_page(organizer_client, pages, name)
    festival_edition.more(3)
    Award.objects.all().delete()
    with django_assert_num_queries(QUERIES[name]):
        request_page(organizer_client, pages, name)


# Queries of each page, for one category or four (before one object computed the results: the
# decision page 28, a refused decision 41, the preview 19).
# Each counts the organizer's festivals (their memberships), read once per request.
QUERIES = {
    "home": 10,  # the publications history has its own page
    "category_awards": 20,
    "edition_awards": 9,
    "decide": 23,
    "decide_refused": 23,
    "preview": 17,  # the edition comes with its festival
    "ranking": 15,
    "explanation": 16,
    "download classement.csv": 14,
    "download classement.xlsx": 14,
    "download notes.csv": 13,
    "download notes.xlsx": 13,
    "download scores.csv": 13,
    "download criteria.csv": 5,
    "download favourites.csv": 13,
}
