"""The scoring rules: drafts, the audit trail, races, watched passages, validation, sur 20."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from festival.domain import DomainError
from festival.enums import FilmStatus
from judging.domain import scoring
from judging.domain.scoring import (
    merge_ranges,
    record_watch_progress,
    save_draft,
    score_on_20,
    validate_evaluation,
)
from judging.enums import AssignmentEnd, EvaluationState
from judging.models import Evaluation, Score, ScoreChange
from media_pipeline.models import VideoStatus, VideoVersion
from tests import factories
from tests.media_pipeline.versions import make_version

D = Decimal


@pytest.fixture
def criteria(edition):
    return [
        factories.make_criterion(edition, name="Scénario", weight=D(2)),
        factories.make_criterion(edition, name="Image"),
        factories.make_criterion(
            edition, name="Son", min_score=D(1), max_score=D(5), step=D(1), required=False
        ),
    ]


@pytest.fixture
def film(teacher, category):
    return factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)


@pytest.fixture
def jury(edition, category):
    return factories.make_jury(edition, categories=[category])


@pytest.fixture
def assignment(jury, juror, film):
    return factories.make_assignment(jury=jury, juror=juror, film=film)


def progress(juror, film, **kwargs):
    """A passage reported during a viewing session opened long enough ago to allow it, of a
    film with a playable video (one of the reported duration if it has none yet)."""
    if VideoVersion.objects.playable_for(film) is None:
        make_version(film, status=VideoStatus.READY, probe={"duration": kwargs["duration"]})
    kwargs.setdefault("opened_at", timezone.now() - timedelta(hours=1))
    return record_watch_progress(juror=juror, film=film, **kwargs)


def draft(juror, film, values=None, **kwargs):
    return save_draft(juror=juror, film=film, values=values or {}, **kwargs)


def changes(evaluation=None):
    rows = ScoreChange.objects.all() if evaluation is None else evaluation.changes.all()
    return [(c.field, c.before, c.after, c.changed_by_id) for c in rows]


def scores_of(evaluation):
    return {s.criterion.name: s.value for s in evaluation.scores.select_related("criterion")}


def watch_all(juror, film, seconds=60.0):
    for start in range(0, int(seconds), 10):
        progress(juror, film, start=float(start), end=float(start + 10), duration=seconds)


# Drafts and their audit trail.


def test_a_first_draft_saves_each_score_with_its_change(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    evaluation = draft(
        juror, film, {scenario.pk: D("7.5"), image.pk: D("8")}, comment="Beau film", favourite=True
    )

    assert evaluation.state == EvaluationState.DRAFT
    assert scores_of(evaluation) == {"Scénario": D("7.5"), "Image": D("8")}
    assert (evaluation.comment, evaluation.favourite) == ("Beau film", True)
    assert changes(evaluation) == [
        ("score:Scénario", "", "7.5", juror.pk),
        ("score:Image", "", "8", juror.pk),
        ("comment", "", "Beau film", juror.pk),
        ("favourite", "false", "true", juror.pk),
        ("state", "to_watch", "draft", juror.pk),
    ]


def test_saving_the_same_values_again_writes_nothing(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    values = {scenario.pk: D("7.5"), image.pk: D("8")}
    first = draft(juror, film, values, comment="Beau film", favourite=False)
    saved_at = Evaluation.objects.get().updated_at

    again = draft(juror, film, {scenario.pk: D("7.50"), image.pk: D("8.0")}, comment="Beau film")

    assert again.pk == first.pk
    assert Evaluation.objects.get().updated_at == saved_at
    assert Score.objects.count() == 2
    assert ScoreChange.objects.count() == 4


def test_only_what_changed_is_saved_and_audited(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    draft(juror, film, {scenario.pk: D("7.5"), image.pk: D("8")}, comment="Beau film")
    ScoreChange.objects.all().delete()

    evaluation = draft(
        juror, film, {scenario.pk: D("7.5"), image.pk: D("6.5")}, comment="Beau film"
    )

    assert scores_of(evaluation) == {"Scénario": D("7.5"), "Image": D("6.5")}
    assert changes() == [("score:Image", "8", "6.5", juror.pk)]


def test_a_cleared_score_is_deleted_and_audited(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    draft(juror, film, {scenario.pk: D("7.5"), image.pk: D("8")})
    ScoreChange.objects.all().delete()

    evaluation = draft(juror, film, {scenario.pk: None})

    assert scores_of(evaluation) == {"Image": D("8")}
    assert changes() == [("score:Scénario", "7.5", "", juror.pk)]


def test_comment_and_favourite_left_out_are_kept(juror, film, criteria, assignment):
    scenario = criteria[0]
    draft(juror, film, comment="Très juste", favourite=True)

    evaluation = draft(juror, film, {scenario.pk: D("9")})

    assert (evaluation.comment, evaluation.favourite) == ("Très juste", True)


def test_scores_of_a_trainee_are_recorded_like_any_other(juror, film, criteria, jury):
    factories.make_jury_member(jury, juror, is_trainee=True)
    factories.make_assignment(jury=jury, juror=juror, film=film)

    evaluation = draft(juror, film, {criteria[0].pk: D("6")})

    assert scores_of(evaluation) == {"Scénario": D("6")}


# Bad input: refused with a French message, nothing already saved lost.


def saved_state(film):
    return (
        sorted(Score.objects.filter(evaluation__film=film).values_list("criterion_id", "value")),
        list(Evaluation.objects.filter(film=film).values_list("comment", "favourite", "state")),
        ScoreChange.objects.count(),
    )


@pytest.mark.parametrize(
    ("index", "value", "code", "message"),
    [
        (0, D("10.5"), "out_of_scale", "« Scénario » : la note doit être comprise entre 0 et 10."),
        (0, D("-1"), "out_of_scale", "« Scénario » : la note doit être comprise entre 0 et 10."),
        (2, D("0"), "out_of_scale", "« Son » : la note doit être comprise entre 1 et 5."),
        (0, D("7.3"), "off_step", "« Scénario » : la note va de 0,5 en 0,5, par exemple 7 ou 7,5."),
        (
            0,
            D("9.9"),
            "off_step",
            "« Scénario » : la note va de 0,5 en 0,5, par exemple 9,5 ou 10.",
        ),
        (
            0,
            D("7.25"),
            "off_step",
            "« Scénario » : la note va de 0,5 en 0,5, par exemple 7 ou 7,5.",
        ),
        (0, D("7.125"), "off_step", "« Scénario » : la note a deux décimales au plus."),
        (2, D("2.5"), "off_step", "« Son » : la note va de 1 en 1, par exemple 2 ou 3."),
    ],
)
def test_a_score_off_the_scale_is_refused(
    juror, film, criteria, assignment, index, value, code, message
):
    draft(juror, film, {criteria[0].pk: D("7")}, comment="Gardé")
    before = saved_state(film)

    with pytest.raises(DomainError) as error:
        draft(juror, film, {criteria[1].pk: D("5"), criteria[index].pk: value}, comment="Perdu")

    assert (error.value.code, error.value.messages) == (code, [message])
    assert saved_state(film) == before


def test_scores_on_the_scale_bounds_are_accepted(juror, film, criteria, assignment):
    scenario, image, son = criteria
    evaluation = draft(juror, film, {scenario.pk: D("0"), image.pk: D("10"), son.pk: D("5")})
    assert scores_of(evaluation) == {"Scénario": D("0"), "Image": D("10"), "Son": D("5")}


def test_a_criterion_of_another_edition_is_refused(juror, film, criteria, assignment):
    foreign = factories.make_criterion(factories.make_edition(is_current=False))

    with pytest.raises(DomainError) as error:
        draft(juror, film, {criteria[0].pk: D("5"), foreign.pk: D("5")})

    assert error.value.messages == [
        "Ce critère ne fait pas partie de la grille d'évaluation de cette édition."
    ]
    assert Score.objects.count() == 0


def test_a_film_not_assigned_is_refused(juror, film, criteria):
    with pytest.raises(DomainError) as error:
        draft(juror, film, {criteria[0].pk: D("5")})
    assert error.value.messages == ["Ce film ne vous est pas attribué."]
    assert Evaluation.objects.count() == 0


def test_a_film_withdrawn_for_a_conflict_is_refused(juror, film, criteria, assignment):
    draft(juror, film, {criteria[0].pk: D("5")})
    assignment.active = False
    assignment.ended_reason = AssignmentEnd.CONFLICT
    assignment.save()

    with pytest.raises(DomainError) as error:
        draft(juror, film, {criteria[0].pk: D("9")})

    assert error.value.code == "not_assigned"
    assert scores_of(Evaluation.objects.get()) == {"Scénario": D("5")}


def test_scores_are_refused_after_validation(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    draft(juror, film, {scenario.pk: D("7"), image.pk: D("8")}, comment="Final")
    watch_all(juror, film)
    validate_evaluation(juror=juror, film=film)
    before = saved_state(film)

    with pytest.raises(DomainError) as error:
        draft(juror, film, {scenario.pk: D("2")}, comment="Changé")

    assert error.value.messages == [
        "Vous avez déjà validé vos notes pour ce film : elles ne peuvent plus être modifiées. "
        "Demandez à l'organisation de les rouvrir si nécessaire."
    ]
    assert saved_state(film) == before


def test_scores_are_refused_after_the_deadline(juror, film, criteria, assignment, edition):
    draft(juror, film, {criteria[0].pk: D("7")})
    before = saved_state(film)
    edition.judging_end_at = timezone.make_aware(timezone.datetime(2027, 3, 15, 18, 0))
    edition.save()
    film.edition = edition

    with pytest.raises(DomainError) as error:
        draft(juror, film, {criteria[0].pk: D("2")}, now=edition.judging_end_at)

    assert error.value.messages == [
        "L'évaluation s'est terminée le 15 mars 2027 18:00 : les notes ne peuvent plus être "
        "modifiées."
    ]
    assert saved_state(film) == before


def test_scores_are_accepted_until_the_deadline(juror, film, criteria, assignment, edition):
    just_before = edition.judging_end_at - timedelta(seconds=1)
    evaluation = draft(juror, film, {criteria[0].pk: D("7")}, now=just_before)
    assert scores_of(evaluation) == {"Scénario": D("7")}


# Two tabs, a double click: never a duplicate, never a lost change.


def test_two_tabs_saving_in_turn_keep_one_score_and_both_changes(juror, film, criteria, assignment):
    scenario = criteria[0]
    draft(juror, film, {scenario.pk: D("6")})
    draft(juror, film, {scenario.pk: D("8")})

    assert Score.objects.get().value == D("8")
    assert Evaluation.objects.count() == 1
    assert [c[:3] for c in changes()] == [
        ("score:Scénario", "", "6"),
        ("state", "to_watch", "draft"),
        ("score:Scénario", "6", "8"),
    ]


def test_a_save_that_lost_a_race_is_replayed_on_the_other_tab_s_row(
    juror, film, criteria, assignment, monkeypatch
):
    """Tab A and tab B read the scores at the same time; A writes first. B's insert hits the
    unique constraint, and B is replayed: it updates A's row, audited from A's value."""
    scenario = criteria[0]
    read = scoring._current_scores
    stale = {"left": 1}

    def snapshot_taken_before_tab_a_wrote(evaluation):
        if stale["left"]:
            stale["left"] -= 1
            return {}
        return read(evaluation)

    draft(juror, film, {scenario.pk: D("6")})  # tab A
    monkeypatch.setattr(scoring, "_current_scores", snapshot_taken_before_tab_a_wrote)

    evaluation = draft(juror, film, {scenario.pk: D("8")})  # tab B

    assert stale["left"] == 0
    assert scores_of(evaluation) == {"Scénario": D("8")}
    assert [c[:3] for c in changes()] == [
        ("score:Scénario", "", "6"),
        ("state", "to_watch", "draft"),
        ("score:Scénario", "6", "8"),
    ]


def test_a_save_losing_every_race_gives_up_without_a_trace(
    juror, film, criteria, assignment, monkeypatch
):
    scenario, image, _son = criteria
    draft(juror, film, {scenario.pk: D("6")})
    before = saved_state(film)
    monkeypatch.setattr(scoring, "_current_scores", lambda evaluation: {})

    with pytest.raises(IntegrityError):
        draft(juror, film, {image.pk: D("5"), scenario.pk: D("8")})

    assert saved_state(film) == before


def test_a_double_click_creates_one_evaluation(juror, film, assignment):
    first = scoring.get_or_create_evaluation(juror=juror, film=film)
    second = scoring.get_or_create_evaluation(juror=juror, film=film)
    assert first.pk == second.pk
    assert Evaluation.objects.count() == 1


# Watched passages.


def test_passages_are_merged(juror, film, assignment):
    for start, end in [(0, 10), (10, 20), (30, 40), (20.3, 25)]:
        progress(juror, film, start=start, end=end, duration=60)

    evaluation = Evaluation.objects.get()
    assert evaluation.watched_ranges == [[0.0, 25.0], [30.0, 40.0]]
    assert (evaluation.watched_seconds, evaluation.film_duration) == (35.0, 60.0)
    assert evaluation.state == EvaluationState.TO_WATCH
    assert ScoreChange.objects.count() == 0


def test_watching_the_same_passage_twice_counts_once(juror, film, assignment):
    for _ in range(3):
        progress(juror, film, start=0, end=10, duration=60)
    assert Evaluation.objects.get().watched_seconds == 10.0


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (-5, 5, [[0.0, 5.0]]),  # clamped to the film's start
        (55, 75, [[55.0, 60.0]]),  # and to its end
        (70, 80, []),  # wholly past the end
        (10, 5, []),  # backwards
        (0, 45, []),  # longer than a report can be: a seek taken for playback
        (float("nan"), 5, []),
        (0, float("inf"), []),
    ],
)
def test_absurd_passages_are_clamped_or_ignored(juror, film, assignment, start, end, expected):
    progress(juror, film, start=start, end=end, duration=60)
    assert Evaluation.objects.get().watched_ranges == expected


def test_the_measured_duration_wins_over_the_player_s(juror, film, assignment):
    make_version(film, status=VideoStatus.READY, probe={"duration": 40.0})

    progress(juror, film, start=30, end=50, duration=1000)

    evaluation = Evaluation.objects.get()
    assert (evaluation.watched_ranges, evaluation.film_duration) == ([[30.0, 40.0]], 40.0)


def test_watching_after_validation_changes_nothing(juror, film, criteria, assignment):
    draft(juror, film, {criteria[0].pk: D("7"), criteria[1].pk: D("7")})
    watch_all(juror, film)
    validate_evaluation(juror=juror, film=film)

    progress(juror, film, start=0, end=10, duration=90)

    evaluation = Evaluation.objects.get()
    assert (evaluation.watched_seconds, evaluation.film_duration) == (60.0, 60.0)


def test_watch_reports_of_a_film_not_assigned_are_refused(juror, film):
    with pytest.raises(DomainError):
        progress(juror, film, start=0, end=10, duration=60)
    assert Evaluation.objects.count() == 0


def test_merge_ranges_joins_passages_closer_than_half_a_second():
    assert merge_ranges([[5, 6], [0, 2], [2.4, 3], [3.6, 4], [1, 1.5]]) == [
        [0.0, 3.0],
        [3.6, 4.0],
        [5.0, 6.0],
    ]


# Validation and the watched-percentage gate.


def test_validation_locks_the_notes(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    draft(juror, film, {scenario.pk: D("7"), image.pk: D("8")})
    watch_all(juror, film)
    ScoreChange.objects.all().delete()
    now = timezone.now()

    evaluation = validate_evaluation(juror=juror, film=film, now=now)

    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.validated_at) == (EvaluationState.VALIDATED, now)
    assert changes() == [("state", "draft", "validated", juror.pk)]


def test_validation_saves_the_notes_on_screen_first(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    draft(juror, film, {scenario.pk: D("5")}, favourite=False)
    watch_all(juror, film)
    ScoreChange.objects.all().delete()

    evaluation = validate_evaluation(
        juror=juror,
        film=film,
        values={scenario.pk: D("7"), image.pk: D("8")},
        comment="Validé",
        favourite=True,
    )

    assert evaluation.state == EvaluationState.VALIDATED
    assert scores_of(evaluation) == {"Scénario": D("7"), "Image": D("8")}
    assert changes() == [
        ("score:Scénario", "5", "7", juror.pk),
        ("score:Image", "", "8", juror.pk),
        ("comment", "", "Validé", juror.pk),
        ("favourite", "false", "true", juror.pk),
        ("state", "draft", "validated", juror.pk),
    ]


def test_a_refused_validation_keeps_the_notes_on_screen(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    watch_all(juror, film)

    with pytest.raises(DomainError) as error:
        validate_evaluation(
            juror=juror, film=film, values={scenario.pk: D("7"), image.pk: None}, comment="À finir"
        )

    assert error.value.messages == ["Il manque encore la note de : Image."]
    evaluation = Evaluation.objects.get()
    assert (evaluation.state, evaluation.comment) == (EvaluationState.DRAFT, "À finir")
    assert scores_of(evaluation) == {"Scénario": D("7")}


def test_a_validation_with_a_bad_score_saves_nothing(juror, film, criteria, assignment):
    watch_all(juror, film)
    with pytest.raises(DomainError):
        validate_evaluation(
            juror=juror, film=film, values={criteria[0].pk: D("7"), criteria[1].pk: D("11")}
        )
    assert Score.objects.count() == 0
    assert Evaluation.objects.get().state == EvaluationState.TO_WATCH


def test_validation_requires_every_required_criterion(juror, film, criteria, assignment):
    draft(juror, film, {criteria[2].pk: D("3")})
    watch_all(juror, film)

    with pytest.raises(DomainError) as error:
        validate_evaluation(juror=juror, film=film)

    assert error.value.messages == ["Il manque encore la note de : Scénario, Image."]
    evaluation = Evaluation.objects.get()
    assert (evaluation.state, scores_of(evaluation)) == (EvaluationState.DRAFT, {"Son": D("3")})


def test_an_optional_criterion_may_stay_empty(juror, film, criteria, assignment):
    draft(juror, film, {criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    watch_all(juror, film)
    assert validate_evaluation(juror=juror, film=film).state == EvaluationState.VALIDATED


def test_validation_requires_ninety_percent_watched_by_default(juror, film, criteria, assignment):
    draft(juror, film, {criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    for start in range(0, 50, 10):  # 50 s of a 60 s film: 83 %
        progress(juror, film, start=start, end=start + 10, duration=60)

    with pytest.raises(DomainError) as error:
        validate_evaluation(juror=juror, film=film)

    assert error.value.messages == [
        "Vous avez regardé 83 % du film : il faut en avoir vu au moins 90 % pour valider vos "
        "notes. Regardez la suite du film, puis validez à nouveau."
    ]
    assert Evaluation.objects.get().state == EvaluationState.DRAFT

    progress(juror, film, start=50, end=54, duration=60)  # exactly 90 %
    assert validate_evaluation(juror=juror, film=film).state == EvaluationState.VALIDATED


def test_a_film_never_played_cannot_be_validated(juror, film, criteria, assignment):
    draft(juror, film, {criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    with pytest.raises(DomainError) as error:
        validate_evaluation(juror=juror, film=film)
    assert error.value.code == "not_watched"
    assert error.value.messages[0].startswith("Vous avez regardé 0 % du film")


def test_the_watched_share_is_set_per_edition(juror, film, criteria, assignment, edition):
    factories.make_judging_settings(edition, min_watched_ratio=D("0.50"))
    draft(juror, film, {criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    progress(juror, film, start=0, end=20, duration=60)

    with pytest.raises(DomainError) as error:
        validate_evaluation(juror=juror, film=film)
    assert "il faut en avoir vu au moins 50 %" in error.value.messages[0]

    progress(juror, film, start=20, end=30, duration=60)
    assert validate_evaluation(juror=juror, film=film).state == EvaluationState.VALIDATED


def test_validating_twice_is_refused(juror, film, criteria, assignment):
    draft(juror, film, {criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    watch_all(juror, film)
    validate_evaluation(juror=juror, film=film)

    with pytest.raises(DomainError) as error:
        validate_evaluation(juror=juror, film=film)

    assert error.value.code == "validated"
    assert ScoreChange.objects.filter(field="state", after="validated").count() == 1


def test_validation_is_refused_after_the_deadline(juror, film, criteria, assignment, edition):
    draft(juror, film, {criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    watch_all(juror, film)

    with pytest.raises(DomainError) as error:
        validate_evaluation(juror=juror, film=film, now=edition.judging_end_at)

    assert error.value.code == "deadline"
    assert Evaluation.objects.get().state == EvaluationState.DRAFT


# The score sur 20.


def test_score_on_20_weighs_each_criterion_on_its_own_scale(juror, film, criteria, assignment):
    scenario, image, son = criteria  # weights 2, 1, 1; son is scored from 1 to 5
    evaluation = draft(juror, film, {scenario.pk: D("7.5"), image.pk: D("5"), son.pk: D("5")})

    # 20 × (2 × 0.75 + 1 × 0.5 + 1 × 1) / 4 = 15
    assert score_on_20(Evaluation.objects.get(pk=evaluation.pk)) == D("15")


def test_score_on_20_counts_only_the_scored_criteria(juror, film, criteria, assignment):
    scenario, image, _son = criteria
    evaluation = draft(juror, film, {scenario.pk: D("5"), image.pk: D("10")})

    # 20 × (2 × 0.5 + 1 × 1) / 3 = 13.33…
    assert score_on_20(evaluation).quantize(D("0.01")) == D("13.33")


def test_score_on_20_of_nothing_is_none(juror, film, assignment):
    assert score_on_20(scoring.get_or_create_evaluation(juror=juror, film=film)) is None


def test_a_film_without_a_playable_video_cannot_be_watched(juror, film, assignment):
    opened_at = timezone.now() - timedelta(hours=1)
    with pytest.raises(DomainError) as error:
        record_watch_progress(
            juror=juror, film=film, start=0, end=10, duration=60, opened_at=opened_at
        )
    assert error.value.code == "no_video"
    assert Evaluation.objects.count() == 0


def test_each_report_credits_at_most_twice_the_time_since_the_previous_one(
    juror, film, assignment
):
    opened_at = now = timezone.now()
    for start, seconds in ((0, 10), (10, 0), (20, 3)):  # real seconds before each report
        now += timedelta(seconds=seconds)
        progress(
            juror, film, start=start, end=start + 10, duration=60, opened_at=opened_at, now=now
        )
    evaluation = Evaluation.objects.get()
    # 10 s (20 allowed), then nothing (no time passed), then 6 s (3 s at 2×).
    assert evaluation.watched_ranges == [[0.0, 10.0], [20.0, 26.0]]
