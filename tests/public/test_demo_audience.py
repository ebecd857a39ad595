"""The demo's audience figures: the impact report has charts to show."""

from public import demo
from public.impact import impact_report
from public.models import EditionDay, FilmDay


def test_the_demo_has_audience_figures_for_its_editions(db):
    created = demo.load(with_videos=False)

    report = impact_report(festival=created["festival"])

    assert len(report.rows) == 2
    assert all(row.views > row.plays > 0 for row in report.rows)
    assert all(row.visitors > 0 for row in report.rows)
    assert FilmDay.objects.filter(film__edition=created["edition"]).count() > 0
    assert EditionDay.objects.filter(edition=created["edition"]).count() == 28


def test_the_demos_platform_report_shows_several_festivals(db):
    demo.load(with_videos=False)

    report = impact_report()

    with_figures = [
        impact.festival.name
        for impact in report.festivals
        if any(row.entries and row.views for row in impact.rows)
    ]
    assert len(with_figures) >= 2
    assert "FILM'IT — Finale nationale" in with_figures
