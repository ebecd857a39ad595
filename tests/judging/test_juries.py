"""Juries, members, conflicts, the scoring form, reopening, and applying the assignment rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from festival.domain import DomainError
from festival.enums import FilmStatus
from judging.domain.assignment import add_assignment, compute_assignments, remove_assignment
from judging.domain.awards import CATEGORY_PRIZES, EDITION_PRIZES
from judging.domain.juries import (
    add_member,
    create_jury,
    declare_conflict,
    ensure_judging_settings,
    remove_member,
    reopen_evaluation,
    save_criteria,
    seed_default_criteria,
    set_affiliations,
    set_trainee,
    update_judging_settings,
    update_jury,
)
from judging.enums import AssignmentEnd, AssignmentMode, AssignmentSource, EvaluationState
from judging.models import (
    Affiliation,
    Assignment,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    JuryMember,
    Score,
    ScoreChange,
)
from judging.rules import get_assignment_for_juror, is_jury_president
from tests import factories


def active_pairs(jury) -> set[tuple[int, int]]:
    return set(Assignment.objects.filter(jury=jury, active=True).values_list("film_id", "juror_id"))


def make_films(category, count, **kw):
    return [
        factories.make_film(category=category, status=FilmStatus.ACCEPTED, **kw)
        for _ in range(count)
    ]


def make_jurors(festival, count):
    return [factories.make_juror(festival) for _ in range(count)]


def score(juror, film, *, state=EvaluationState.DRAFT, value="7"):
    evaluation = Evaluation.objects.create(juror=juror, film=film, state=state)
    criterion = film.edition.criteria.first()
    Score.objects.create(evaluation=evaluation, criterion=criterion, value=Decimal(value))
    return evaluation


@pytest.fixture
def jury(edition, category, organizer):
    return create_jury(edition=edition, name="Jury lycée", categories=[category])


def at_least_k(edition, k, cap=None):
    update_judging_settings(
        judging_settings=ensure_judging_settings(edition=edition),
        assignment_mode=AssignmentMode.AT_LEAST_K,
        jurors_per_film=k,
        max_films_per_juror=cap,
    )


# Settings and the scoring form


def test_settings_come_with_the_default_scoring_form(edition):
    settings = ensure_judging_settings(edition=edition)
    assert settings.assignment_mode == AssignmentMode.EVERYONE
    assert [
        (c.name, c.weight, c.min_score, c.max_score, c.step, c.is_priority)
        for c in edition.criteria.all()
    ] == [
        ("Scénario", Decimal("1"), 0, 10, Decimal("0.5"), False),
        ("Image", Decimal("1"), 0, 10, Decimal("0.5"), False),
        ("Son", Decimal("1"), 0, 10, Decimal("0.5"), False),
        ("Mise en valeur des métiers", Decimal("1.5"), 0, 10, Decimal("0.5"), True),
        ("Créativité", Decimal("1"), 0, 10, Decimal("0.5"), False),
    ]
    assert ensure_judging_settings(edition=edition) == settings
    assert edition.criteria.count() == 5


def test_setting_up_judging_gives_the_edition_its_usual_prizes(edition, category):
    ensure_judging_settings(edition=edition)
    edition_first = F("category").asc(nulls_first=True)
    prizes = edition.prizes.order_by(edition_first, "position").values_list("category", "kind")
    assert list(prizes) == [(None, kind) for kind, _name in EDITION_PRIZES] + [
        (category.pk, kind) for kind, _name in CATEGORY_PRIZES
    ]
    ensure_judging_settings(edition=edition)
    assert edition.prizes.count() == 7


def test_judging_set_up_before_the_categories_waits_for_them_to_give_prizes(edition):
    ensure_judging_settings(edition=edition)
    assert not edition.prizes.exists()


def test_seeding_leaves_an_existing_form_alone(edition):
    Criterion.objects.create(edition=edition, name="Émotion")
    assert seed_default_criteria(edition) == []
    assert list(edition.criteria.values_list("name", flat=True)) == ["Émotion"]


def test_criteria_are_saved_and_the_priority_can_move(edition):
    ensure_judging_settings(edition=edition)
    scenario = edition.criteria.get(name="Scénario")
    scenario.is_priority = True
    trades = edition.criteria.get(name="Mise en valeur des métiers")
    image = edition.criteria.get(name="Image")
    with pytest.raises(DomainError):
        save_criteria(edition=edition, criteria=[scenario])
    trades.is_priority = False
    save_criteria(edition=edition, criteria=[scenario, trades], deleted=[image])
    assert list(edition.criteria.filter(is_priority=True).values_list("name", flat=True)) == [
        "Scénario"
    ]
    assert not edition.criteria.filter(name="Image").exists()


def test_criteria_are_frozen_once_a_score_exists(edition, film, juror):
    ensure_judging_settings(edition=edition)
    score(juror, film)
    with pytest.raises(DomainError) as error:
        save_criteria(edition=edition, criteria=[Criterion(name="Nouveau")])
    assert error.value.messages == [
        "La grille d'évaluation ne peut plus être modifiée : des jurés ont déjà commencé à noter."
    ]


def test_the_scoring_form_keeps_one_criterion(edition):
    ensure_judging_settings(edition=edition)
    with pytest.raises(DomainError):
        save_criteria(edition=edition, criteria=[], deleted=list(edition.criteria.all()))
    assert edition.criteria.count() == 5


def test_a_zero_cap_is_refused(edition):
    with pytest.raises(DomainError):
        update_judging_settings(
            judging_settings=ensure_judging_settings(edition=edition), max_films_per_juror=0
        )


# Juries and members


def test_a_jury_with_its_president(edition, category, juror):
    jury = create_jury(edition=edition, name=" Jury lycée ", categories=[category], president=juror)
    assert (jury.name, jury.president) == ("Jury lycée", juror)
    assert list(jury.categories.all()) == [category]
    assert list(jury.members.values_list("juror_id", "is_trainee", "active")) == [
        (juror.pk, False, True)
    ]
    assert edition.judging_settings.pk is not None


def test_a_category_is_judged_by_one_jury(edition, category, jury):
    with pytest.raises(DomainError) as error:
        create_jury(edition=edition, name="Autre jury", categories=[category])
    assert error.value.messages == [
        "La catégorie « Lycée » est déjà jugée par le jury « Jury lycée »."
    ]


def test_jury_names_are_unique_in_an_edition(edition, jury):
    other = factories.make_category(edition, name="Collège", slug="college")
    with pytest.raises(DomainError):
        create_jury(edition=edition, name="jury LYCÉE", categories=[other])


def test_a_category_of_another_edition_is_refused(edition):
    other = factories.make_category()
    with pytest.raises(DomainError):
        create_jury(edition=edition, name="Jury", categories=[other])


def test_only_the_festivals_jurors_can_join(jury, teacher):
    other_festival_juror = factories.make_juror(factories.make_festival())
    for person in (teacher, other_festival_juror):
        with pytest.raises(DomainError):
            add_member(jury=jury, juror=person)
    assert jury.members.count() == 0


def test_adding_a_member_twice_updates_it(jury, juror):
    add_member(jury=jury, juror=juror)
    member = add_member(jury=jury, juror=juror, is_trainee=True)
    assert list(jury.members.values_list("pk", "is_trainee")) == [(member.pk, True)]


def test_a_trainee_cannot_preside(jury, juror):
    add_member(jury=jury, juror=juror, is_trainee=True)
    with pytest.raises(DomainError):
        update_jury(jury=jury, name=jury.name, categories=[*jury.categories.all()], president=juror)
    update_jury(jury=jury, name=jury.name, categories=[*jury.categories.all()])
    add_member(jury=jury, juror=juror)
    update_jury(jury=jury, name=jury.name, categories=[*jury.categories.all()], president=juror)
    with pytest.raises(DomainError):
        set_trainee(member=JuryMember.objects.get(jury=jury, juror=juror), is_trainee=True)


def test_a_drop_out_ends_assignments_and_keeps_scores(jury, category, festival):
    juror, other = make_jurors(festival, 2)
    films = make_films(category, 2)
    for person in (juror, other):
        add_member(jury=jury, juror=person)
    update_jury(jury=jury, name=jury.name, categories=[category], president=juror)
    compute_assignments(jury=jury)
    evaluation = score(juror, films[0], state=EvaluationState.VALIDATED)
    member = JuryMember.objects.get(jury=jury, juror=juror)

    assert remove_member(member=member) == 2

    member.refresh_from_db()
    jury.refresh_from_db()
    assert (member.active, jury.president) == (False, None)
    assert set(Assignment.objects.filter(juror=juror).values_list("active", "ended_reason")) == {
        (False, AssignmentEnd.DROPPED_OUT)
    }
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.VALIDATED
    assert evaluation.scores.count() == 1
    assert active_pairs(jury) == {(film.pk, other.pk) for film in films}


# Conflicts


def test_affiliations_are_replaced_and_their_films_withdrawn(jury, category, juror):
    add_member(jury=jury, juror=juror)
    film, other_film = make_films(category, 2, complete=True)
    compute_assignments(jury=jury)
    evaluation = score(juror, film)
    old_school = factories.make_school()
    Affiliation.objects.create(juror=juror, school=old_school)

    ended = set_affiliations(juror=juror, schools=[film.school], companies=[other_film.company])

    assert ended == 2
    assert set(Affiliation.objects.filter(juror=juror).values_list("school_id", "company_id")) == {
        (film.school_id, None),
        (None, other_film.company_id),
    }
    assert set(Assignment.objects.filter(juror=juror).values_list("active", "ended_reason")) == {
        (False, AssignmentEnd.CONFLICT)
    }
    assert Evaluation.objects.get(pk=evaluation.pk).scores.count() == 1


def test_declaring_a_conflict_withdraws_the_juror(
    jury, category, juror, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    add_member(jury=jury, juror=juror)
    (film,) = make_films(category, 1)
    compute_assignments(jury=jury)
    with django_capture_on_commit_callbacks(execute=True):
        declaration = declare_conflict(juror=juror, film=film, reason=" Ma nièce joue dedans. ")
        again = declare_conflict(juror=juror, film=film, reason="Double clic")
    assert (again, declaration.reason) == (declaration, "Ma nièce joue dedans.")
    assignment = Assignment.objects.get(juror=juror, film=film)
    assert (assignment.active, assignment.ended_reason) == (False, AssignmentEnd.CONFLICT)
    assert [(m.subject, m.to) for m in mailoutbox] == [
        (f"FILM'IT : conflit d'intérêts déclaré sur « {film.title} »", [organizer.email])
    ]
    compute_assignments(jury=jury)
    assert active_pairs(jury) == set()


def test_a_conflict_needs_a_reason(film, juror):
    with pytest.raises(DomainError):
        declare_conflict(juror=juror, film=film, reason="  ")
    assert ConflictDeclaration.objects.count() == 0


# Assignments by hand


@pytest.fixture
def member(jury, juror):
    return add_member(jury=jury, juror=juror)


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("school", "ce juré est lié à l'établissement du film, {school}"),
        ("company", "ce juré est lié à l'entreprise partenaire du film, {company}"),
        ("declared", "ce juré a déclaré un conflit d'intérêts sur ce film"),
    ],
)
def test_a_conflicted_pair_is_refused_by_hand(jury, category, member, organizer, link, reason):
    juror = member.juror
    (film,) = make_films(category, 1, complete=True)
    if link == "school":
        set_affiliations(juror=juror, schools=[film.school])
    elif link == "company":
        set_affiliations(juror=juror, companies=[film.company])
    else:
        ConflictDeclaration.objects.create(juror=juror, film=film, reason="Voisin")
    with pytest.raises(DomainError) as error:
        add_assignment(jury=jury, juror=juror, film=film, organizer=organizer)
    expected = reason.format(school=film.school, company=film.company)
    assert error.value.messages == [
        f"Impossible d'attribuer « {film.title} » à Marc Petit : {expected}."
    ]
    assert not Assignment.objects.exists()


def test_manual_add_and_remove(jury, category, member, organizer):
    (film,) = make_films(category, 1)
    assignment = add_assignment(jury=jury, juror=member.juror, film=film, organizer=organizer)
    assert (assignment.active, assignment.source, assignment.created_by) == (
        True,
        AssignmentSource.MANUAL,
        organizer,
    )
    evaluation = score(member.juror, film, state=EvaluationState.VALIDATED)
    remove_assignment(assignment=assignment, organizer=organizer)
    assignment.refresh_from_db()
    assert (assignment.active, assignment.ended_reason, assignment.source) == (
        False,
        AssignmentEnd.REMOVED,
        AssignmentSource.MANUAL,
    )
    assert Evaluation.objects.get(pk=evaluation.pk).state == EvaluationState.VALIDATED
    # The computation respects the removal; adding by hand brings it back.
    compute_assignments(jury=jury)
    assert active_pairs(jury) == set()
    add_assignment(jury=jury, juror=member.juror, film=film, organizer=organizer)
    assert active_pairs(jury) == {(film.pk, member.juror_id)}


def test_manual_add_needs_a_member_and_a_film_of_the_jury(jury, edition, category, organizer):
    outsider = factories.make_juror(edition.festival)
    (film,) = make_films(category, 1)
    with pytest.raises(DomainError):
        add_assignment(jury=jury, juror=outsider, film=film, organizer=organizer)
    add_member(jury=jury, juror=outsider)
    draft = factories.make_film(category=category, status=FilmStatus.DRAFT)
    with pytest.raises(DomainError):
        add_assignment(jury=jury, juror=outsider, film=draft, organizer=organizer)
    assert not Assignment.objects.exists()


# Computing the assignments


def test_everyone_mode(jury, category, edition, festival):
    regular, trainee, conflicted = make_jurors(festival, 3)
    add_member(jury=jury, juror=regular)
    add_member(jury=jury, juror=trainee, is_trainee=True)
    add_member(jury=jury, juror=conflicted)
    films = make_films(category, 2)
    factories.make_film(category=category, status=FilmStatus.SUBMITTED)
    for status in (FilmStatus.DRAFT, FilmStatus.WITHDRAWN, FilmStatus.REJECTED):
        factories.make_film(category=category, status=status)
    set_affiliations(juror=conflicted, schools=[films[0].school])

    report = compute_assignments(jury=jury)

    eligible = list(Assignment.objects.filter(jury=jury).values_list("film_id", flat=True))
    assert len(set(eligible)) == 3
    assert (report.added, report.ended, report.shortfalls) == (8, 0, [])
    assert (films[0].pk, conflicted.pk) not in active_pairs(jury)
    assert (films[0].pk, trainee.pk) in active_pairs(jury)


def test_at_least_k_balances_and_trainees_see_everything(jury, category, edition, festival):
    at_least_k(edition, k=2, cap=3)
    jurors = make_jurors(festival, 4)
    for person in jurors:
        add_member(jury=jury, juror=person)
    trainee = factories.make_juror(festival)
    add_member(jury=jury, juror=trainee, is_trainee=True)
    films = make_films(category, 6)

    report = compute_assignments(jury=jury)

    pairs = active_pairs(jury)
    assert report.shortfalls == []
    assert {f for f, j in pairs if j == trainee.pk} == {film.pk for film in films}
    regular = [(f, j) for f, j in pairs if j != trainee.pk]
    assert sorted(sum(1 for _f, j in regular if j == person.pk) for person in jurors) == [3] * 4
    for film in films:
        assert sum(1 for f, _j in regular if f == film.pk) == 2
    assert set(Assignment.objects.filter(jury=jury).values_list("source", flat=True)) == {
        AssignmentSource.AUTOMATIC
    }


def test_computing_twice_changes_nothing(jury, category, edition, festival):
    at_least_k(edition, k=2)
    for person in make_jurors(festival, 3):
        add_member(jury=jury, juror=person)
    make_films(category, 5)
    compute_assignments(jury=jury)
    before = active_pairs(jury)
    report = compute_assignments(jury=jury)
    assert (report.added, report.ended, report.unchanged) == (0, 0, 10)
    assert active_pairs(jury) == before


def test_rebalance_after_a_drop_out_keeps_scored_assignments(
    jury, category, edition, festival, organizer
):
    at_least_k(edition, k=2)
    jurors = make_jurors(festival, 4)
    for person in jurors:
        add_member(jury=jury, juror=person)
    films = make_films(category, 6)
    compute_assignments(jury=jury)
    leaver, scorer = jurors[0], jurors[1]
    scored_films = [f for f, j in active_pairs(jury) if j == scorer.pk]
    evaluations = [
        score(scorer, film, state=EvaluationState.VALIDATED)
        for film in films
        if film.pk in scored_films
    ]
    leaver_evaluation = score(
        leaver, next(f for f in films if (f.pk, leaver.pk) in active_pairs(jury))
    )

    remove_member(member=JuryMember.objects.get(jury=jury, juror=leaver), organizer=organizer)
    report = compute_assignments(jury=jury, organizer=organizer)

    pairs = active_pairs(jury)
    assert report.shortfalls == []
    assert {(f, scorer.pk) for f in scored_films} <= pairs
    assert all(j != leaver.pk for _f, j in pairs)
    for film in films:
        assert sum(1 for f, _j in pairs if f == film.pk) == 2
    loads = sorted(sum(1 for _f, j in pairs if j == person.pk) for person in jurors[1:])
    assert loads == [4, 4, 4]
    for evaluation in [*evaluations, leaver_evaluation]:
        fresh = Evaluation.objects.get(pk=evaluation.pk)
        assert (fresh.state, fresh.scores.count()) == (evaluation.state, 1)


def test_scored_and_manual_assignments_survive_a_smaller_k(
    jury, category, edition, festival, organizer
):
    jurors = make_jurors(festival, 3)
    for person in jurors:
        add_member(jury=jury, juror=person)
    (film,) = make_films(category, 1)
    compute_assignments(jury=jury)
    score(jurors[0], film)
    Assignment.objects.filter(juror=jurors[1]).update(source=AssignmentSource.MANUAL)

    at_least_k(edition, k=1)
    report = compute_assignments(jury=jury)

    assert active_pairs(jury) == {(film.pk, jurors[0].pk), (film.pk, jurors[1].pk)}
    assert report.ended == 1
    ended = Assignment.objects.get(juror=jurors[2])
    assert (ended.ended_reason, ended.source) == (AssignmentEnd.REMOVED, AssignmentSource.AUTOMATIC)
    # An automatic end is not an organizer's removal: a later computation may bring it back.
    at_least_k(edition, k=3)
    compute_assignments(jury=jury)
    assert len(active_pairs(jury)) == 3


def test_a_film_that_leaves_the_competition_leaves_the_assignments(jury, category, juror):
    add_member(jury=jury, juror=juror)
    (film,) = make_films(category, 1)
    compute_assignments(jury=jury)
    film.status = FilmStatus.WITHDRAWN
    film.save(update_fields=["status"])
    report = compute_assignments(jury=jury)
    assert report.ended == 1
    assert active_pairs(jury) == set()


def test_the_report_says_which_films_fall_short_and_why(jury, category, edition, festival):
    at_least_k(edition, k=3)
    jurors = make_jurors(festival, 3)
    for person in jurors:
        add_member(jury=jury, juror=person)
    short, fine = make_films(category, 2)
    set_affiliations(juror=jurors[0], schools=[short.school])

    report = compute_assignments(jury=jury)

    assert [(line.film, line.message) for line in report.shortfalls] == [
        (
            short,
            f"« {short.title} » n'a que 2 jurés sur les 3 demandés : seuls 2 des 3 jurés "
            "titulaires du jury peuvent le noter (1 en conflit d'intérêts). Ajoutez des jurés "
            "au jury ou baissez le nombre de jurés par film.",
        )
    ]
    assert fine.pk not in [line.film.pk for line in report.shortfalls]


# Reopening


def test_reopening_a_validated_evaluation(
    film, juror, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    ensure_judging_settings(edition=film.edition)
    evaluation = score(juror, film, state=EvaluationState.VALIDATED)
    evaluation.validated_at = timezone.now()
    evaluation.save()
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=evaluation, organizer=organizer)
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.validated_at) == (EvaluationState.DRAFT, None)
    assert list(ScoreChange.objects.values_list("field", "before", "after", "changed_by")) == [
        ("state", EvaluationState.VALIDATED, EvaluationState.DRAFT, organizer.pk)
    ]
    assert [(m.subject, m.to) for m in mailoutbox] == [
        (f"FILM'IT : vos notes pour « {film.title} » sont rouvertes", [juror.email])
    ]
    with pytest.raises(DomainError):
        reopen_evaluation(evaluation=evaluation, organizer=organizer)
    assert ScoreChange.objects.count() == 1


# Rules


def test_a_juror_reaches_only_their_active_assignments(jury, category, member, festival):
    (film,) = make_films(category, 1)
    compute_assignments(jury=jury)
    juror = member.juror
    assert get_assignment_for_juror(juror, film.pk).film == film
    stranger = factories.make_juror(festival)
    with pytest.raises(Http404):
        get_assignment_for_juror(stranger, film.pk)
    Assignment.objects.filter(juror=juror).update(active=False)
    with pytest.raises(Http404):
        get_assignment_for_juror(juror, film.pk)


def test_the_president_is_an_active_member(jury, juror):
    update_jury(jury=jury, name=jury.name, categories=[*jury.categories.all()], president=juror)
    assert is_jury_president(juror, jury) is True
    JuryMember.objects.filter(jury=jury, juror=juror).update(active=False)
    assert is_jury_president(juror, jury) is False


def test_deliberation_opens_when_judging_ends(edition):
    assert edition.deliberation_is_open(edition.judging_end_at - timedelta(minutes=1)) is False
    assert edition.deliberation_is_open(edition.judging_end_at) is True
