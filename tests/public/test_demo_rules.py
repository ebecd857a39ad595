"""The demo's rules: the current edition has them, every submitted film accepted them and
declared its rights."""

from festival.domain.films import missing_for_submission
from festival.domain.rules_acceptance import rules_acceptance_needed, rules_version
from festival.enums import FilmStatus
from festival.models import Film, RulesAcceptance
from public import demo


def test_demo_films_accepted_the_rules_and_declared_their_rights(db):
    created = demo.load(with_videos=False)

    edition = created["edition"]
    assert edition.rules.startswith("Article 1 — Qui participe")
    submitted = Film.objects.filter(edition=edition).exclude(status=FilmStatus.DRAFT)
    assert submitted.count() >= 5
    for film in submitted:
        assert film.rights_declared_at is not None
        assert "la déclaration des droits (musique et contenus de tiers)" not in (
            missing_for_submission(film)
        )
        assert rules_acceptance_needed(film) is False
    assert set(
        RulesAcceptance.objects.filter(film__edition=edition).values_list("film", flat=True)
    ) == set(submitted.values_list("pk", flat=True))
    assert set(RulesAcceptance.objects.values_list("rules_sha256", flat=True)) == {
        rules_version(edition.rules)
    }
    drafts = Film.objects.filter(edition=edition, status=FilmStatus.DRAFT)
    assert not RulesAcceptance.objects.filter(film__in=drafts).exists()
