"""Prizes and awards: seeding, proposals from the ranking, the jury's decision and overrides."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from festival.enums import FilmStatus
from festival.models import Category, Edition, Film, User
from judging.domain import DomainError
from judging.domain.awards import (
    decide_award,
    proposals,
    save_prizes,
    seed_prizes,
)
from judging.enums import EvaluationState, PrizeKind
from judging.models import Jury
from judging.models_results import Award, Prize, PublicVote
from judging.results import EditionResults
from tests import factories


@dataclass
class Scored:
    """A category with three accepted films ranked Acier > Bronze > Cuivre by two jurors."""

    edition: Edition
    category: Category
    jury: Jury
    president: User
    juror: User
    films: list[Film]

    def prize(self, kind) -> Prize:
        return Prize.objects.get(category=self.category, kind=kind)


def make_scored_category(edition, category, *, favourites=("Bronze",)) -> Scored:
    president = factories.make_juror(edition.festival, first_name="Hélène")
    juror = factories.make_juror(edition.festival, first_name="Karim")
    jury = factories.make_jury(edition, categories=[category], president=president, members=[juror])
    criterion = factories.make_criterion(edition, name="Ensemble", is_priority=True)
    films = []
    for title, value in (("Acier", "9"), ("Bronze", "7"), ("Cuivre", "5")):
        film = factories.make_film(
            category=category, status=FilmStatus.ACCEPTED, title=title, complete=False
        )
        films.append(film)
        for member in (president, juror):
            factories.make_assignment(jury=jury, juror=member, film=film)
            factories.make_evaluation(
                juror=member,
                film=film,
                scores={criterion: Decimal(value)},
                state=EvaluationState.VALIDATED,
                validated_at=timezone.now(),
                favourite=title in favourites,
            )
    seed_prizes(edition=edition)
    return Scored(edition, category, jury, president, juror, films)


@pytest.fixture
def scored(edition, category):
    return make_scored_category(edition, category)


# Prizes


def test_seed_gives_each_category_its_prizes_and_the_edition_its_special_ones(edition, category):
    other = factories.make_category(edition, name="Collège", slug="college")
    created = seed_prizes(edition=edition)
    per_category = [
        PrizeKind.CATEGORY_FIRST,
        PrizeKind.CATEGORY_SECOND,
        PrizeKind.CATEGORY_THIRD,
        PrizeKind.FAVOURITE,
        PrizeKind.PUBLIC,
    ]
    assert [p.kind for p in created if p.category == category] == per_category
    assert [p.kind for p in created if p.category == other] == per_category
    assert [p.name for p in created if p.category is None] == [
        "Prix du jury",
        "Prix spécial métier",
    ]
    assert seed_prizes(edition=edition) == []


def test_a_category_prize_needs_a_category(edition, category):
    prize = Prize(kind=PrizeKind.CATEGORY_FIRST, name="1er prix")
    with pytest.raises(DomainError) as error:
        save_prizes(edition=edition, prizes=[prize])
    assert error.value.code == "category_required"


def test_a_prize_cannot_use_another_editions_category(edition):
    foreign = factories.make_category(factories.make_edition())
    prize = Prize(kind=PrizeKind.SPECIAL, name="Prix spécial", category=foreign)
    with pytest.raises(DomainError) as error:
        save_prizes(edition=edition, prizes=[prize])
    assert error.value.code == "wrong_category"


# Proposals


def test_ranking_proposes_the_podium_favourites_and_public_votes(scored):
    acier, bronze, cuivre = scored.films
    PublicVote.objects.create(
        edition=scored.edition,
        category=scored.category,
        film=cuivre,
        email="a@example.org",
        email_key="a@example.org",
        token="t1",
        confirmed_at=timezone.now(),
    )
    PublicVote.objects.create(  # unconfirmed: does not count
        edition=scored.edition,
        category=scored.category,
        film=acier,
        email="b@example.org",
        email_key="b@example.org",
        token="t2",
    )
    proposed = proposals(scored.edition)
    assert proposed[scored.prize(PrizeKind.CATEGORY_FIRST).pk].film_ids == [acier.pk]
    assert proposed[scored.prize(PrizeKind.CATEGORY_SECOND).pk].film_ids == [bronze.pk]
    assert proposed[scored.prize(PrizeKind.CATEGORY_THIRD).pk].film_ids == [cuivre.pk]
    assert proposed[scored.prize(PrizeKind.FAVOURITE).pk].film_ids == [bronze.pk]
    assert proposed[scored.prize(PrizeKind.PUBLIC).pk].film_ids == [cuivre.pk]
    jury_prize = Prize.objects.get(edition=scored.edition, kind=PrizeKind.JURY)
    assert proposed[jury_prize.pk].film_ids == []


def test_trainee_favourites_do_not_count(edition, category):
    scored = make_scored_category(edition, category, favourites=())
    trainee = factories.make_juror(edition.festival)
    factories.make_jury_member(scored.jury, trainee, is_trainee=True)
    film = scored.films[2]
    factories.make_assignment(jury=scored.jury, juror=trainee, film=film)
    factories.make_evaluation(
        juror=trainee,
        film=film,
        state=EvaluationState.VALIDATED,
        validated_at=timezone.now(),
        favourite=True,
    )
    assert EditionResults.load(edition).favourite_counts == {}


def test_a_withdrawn_film_is_never_proposed(scored):
    acier, bronze, _cuivre = scored.films
    Film.objects.filter(pk=acier.pk).update(status=FilmStatus.WITHDRAWN)
    proposed = proposals(scored.edition)
    # The ranking only reads films in competition: Bronze moves up.
    assert proposed[scored.prize(PrizeKind.CATEGORY_FIRST).pk].film_ids == [bronze.pk]


# Decisions


def test_confirming_the_proposal_needs_no_reason(scored, organizer):
    acier = scored.films[0]
    awards = decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[acier], user=organizer
    )
    assert [(a.film, a.proposed_by_ranking, a.override_reason, a.decided_by) for a in awards] == [
        (acier, True, "", organizer)
    ]


def test_override_without_reason_is_refused(scored, organizer):
    bronze = scored.films[1]
    with pytest.raises(DomainError) as error:
        decide_award(
            prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[bronze], user=organizer, reason=" "
        )
    assert error.value.code == "reason_required"
    assert "motif" in error.value.messages[0]
    assert Award.objects.count() == 0


def test_override_with_reason_is_recorded(scored, organizer):
    acier, bronze, _ = scored.films
    prize = scored.prize(PrizeKind.CATEGORY_FIRST)
    decide_award(
        prize=prize, films=[acier, bronze], user=organizer, reason="Ex aequo décidé par le jury."
    )
    rows = list(
        Award.objects.filter(prize=prize)
        .order_by("film__title")
        .values_list("film__title", "proposed_by_ranking", "override_reason", "decided_by")
    )
    assert rows == [
        ("Acier", True, "Ex aequo décidé par le jury.", organizer.pk),
        ("Bronze", False, "Ex aequo décidé par le jury.", organizer.pk),
    ]


def test_not_awarding_a_proposed_prize_needs_a_reason(scored, organizer):
    prize = scored.prize(PrizeKind.CATEGORY_FIRST)
    decide_award(prize=prize, films=[scored.films[0]], user=organizer)
    with pytest.raises(DomainError):
        decide_award(prize=prize, films=[], user=organizer)
    decide_award(prize=prize, films=[], user=organizer, reason="Niveau insuffisant.")
    assert Award.objects.filter(prize=prize).count() == 0


def test_a_new_decision_replaces_the_previous_one(scored, organizer):
    acier, bronze, _ = scored.films
    prize = scored.prize(PrizeKind.CATEGORY_FIRST)
    decide_award(prize=prize, films=[bronze], user=organizer, reason="Choix du jury.")
    decide_award(prize=prize, films=[acier], user=organizer)
    assert list(Award.objects.filter(prize=prize).values_list("film", "override_reason")) == [
        (acier.pk, "")
    ]


def test_a_prize_without_proposal_is_free(scored, organizer):
    prize = Prize.objects.get(edition=scored.edition, kind=PrizeKind.JURY)
    [award] = decide_award(prize=prize, films=[scored.films[2]], user=organizer)
    assert (award.proposed_by_ranking, award.override_reason) == (False, "")


@pytest.mark.parametrize("status", [FilmStatus.WITHDRAWN, FilmStatus.REJECTED, FilmStatus.DRAFT])
def test_only_films_in_competition_can_be_awarded(scored, organizer, status):
    film = factories.make_film(category=scored.category, status=status)
    prize = Prize.objects.get(edition=scored.edition, kind=PrizeKind.JURY)
    with pytest.raises(DomainError) as error:
        decide_award(prize=prize, films=[film], user=organizer, reason="Coup de foudre.")
    assert error.value.code == "not_eligible"


def test_a_category_prize_goes_to_a_film_of_its_category(scored, organizer):
    other = factories.make_category(scored.edition, name="Collège", slug="college")
    film = factories.make_film(category=other, status=FilmStatus.ACCEPTED)
    with pytest.raises(DomainError) as error:
        decide_award(
            prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[film], user=organizer, reason="x"
        )
    assert error.value.code == "not_eligible"


def test_the_jury_president_decides_the_prizes_of_their_category(scored):
    awards = decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=scored.president
    )
    assert [a.decided_by for a in awards] == [scored.president]


def test_others_cannot_decide(scored, other_organizer):
    prize = scored.prize(PrizeKind.CATEGORY_FIRST)
    special = Prize.objects.get(edition=scored.edition, kind=PrizeKind.JURY)
    for user, target in (
        (scored.juror, prize),  # a member, not the president
        (other_organizer, prize),  # another festival's organizer
        (scored.president, special),  # an edition-wide prize: organizers only
    ):
        with pytest.raises(DomainError) as error:
            decide_award(prize=target, films=[scored.films[0]], user=user)
        assert error.value.code == "forbidden"
