"""The score sur 20: one formula, the same figure on the juror's pages and in the ranking."""

import html
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from festival.enums import FilmStatus
from judging.domain.deliberation import deliberation_table
from judging.enums import EvaluationState
from judging.marks import on_20
from judging.ranking import on_20 as engine_on_20
from tests import factories

D = Decimal


def test_score_on_20_bounds(edition):
    criterion = factories.make_criterion(edition, min_score=D(1), max_score=D(5), step=D(1))
    assert on_20([(criterion, D(1))]) == D(0)
    assert on_20([(criterion, D(5))]) == D(20)


def test_score_on_20_of_nothing_is_none():
    assert on_20([]) is None


def test_the_juror_pages_and_the_ranking_show_the_same_score(
    client, organizer, edition, category, teacher, juror, monkeypatch
):
    scenario = factories.make_criterion(edition, name="Scénario", weight=D(2), position=0)
    image = factories.make_criterion(edition, name="Image", position=1)
    son = factories.make_criterion(
        edition, name="Son", weight=D("1.5"), min_score=D(1), max_score=D(5), step=D(1), position=2
    )
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)
    jury = factories.make_jury(edition, categories=[category], members=[juror])
    factories.make_assignment(jury=jury, juror=juror, film=film)
    factories.make_evaluation(
        juror=juror,
        film=film,
        scores={scenario: D(5), image: D(10), son: D(2)},
        state=EvaluationState.VALIDATED,
        validated_at=timezone.now(),
    )
    calls = []

    def counted(sheet, criteria):
        calls.append(sheet)
        return engine_on_20(sheet, criteria)

    monkeypatch.setattr("judging.marks.engine_on_20", counted)
    # 20 × (2 × 5/10 + 1 × 10/10 + 1.5 × 1/4) / 4.5 = 95/9 = 10.5555…
    client.force_login(juror)
    watch = client.get(reverse("judging:juror_film", args=[film.pk]))
    dashboard = client.get(reverse("judging:juror_dashboard"))
    [row] = [
        row
        for item in dashboard.context["editions"]
        for group in item["groups"]
        for row in group["rows"]
    ]
    [item] = deliberation_table(jury)
    client.force_login(organizer)
    explanation = client.get(reverse("judging:results_film", args=[edition.pk, film.pk]))
    [ranked] = explanation.context["jurors"]

    assert len(calls) == 3  # the juror's two pages and the deliberation: the engine's formula
    assert float(watch.context["on_20"]) == float(row["on_20"]) == ranked["on_20"] == 95 / 9
    assert item.on_20.cells == [D("10.6")]
    assert "<strong>10,6</strong> sur 20" in html.unescape(watch.content.decode())
    assert "10,556" in explanation.content.decode()
