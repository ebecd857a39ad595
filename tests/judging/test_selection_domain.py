"""The pre-selection round: finalists, the final's scores, announcement, thanks (issue 13)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from festival.domain import DomainError
from festival.enums import FilmStatus
from judging.domain.awards import decide_award, seed_prizes
from judging.domain.juries import create_jury
from judging.domain.publication import publish_palmares
from judging.domain.selection import (
    announce_due_rounds,
    announce_now,
    cancel_announcement,
    choose_finalists,
    save_round_settings,
    schedule_announcement,
)
from judging.enums import JuryStage, PrizeKind, SelectionNoticeKind, SelectionState
from judging.models import Assignment
from judging.models_results import Prize
from judging.models_selection import SelectionNotice
from judging.results import EditionResults
from judging.selectors_selection import finalist_films
from tests import factories
from tests.judging.factories_selection import make_round, make_selection, validated


@pytest.fixture
def selection(edition, category):
    return make_selection(edition, category)


@pytest.fixture
def selection_round(selection):
    return make_round(selection.edition)


def active_pairs(jury) -> set[tuple[str, int]]:
    return {
        (a.film.title, a.juror_id)
        for a in Assignment.objects.filter(jury=jury, active=True).select_related("film")
    }


def titles(films) -> list[str]:
    return sorted(film.title for film in films)


# Which films are in the final.


def test_without_a_round_every_eligible_film_is_a_finalist(selection):
    assert titles(finalist_films(selection.edition)) == titles(selection.films)


def test_a_disabled_round_keeps_every_film(selection):
    make_round(selection.edition, enabled=False)
    assert titles(finalist_films(selection.edition)) == titles(selection.films)


def test_an_enabled_round_keeps_its_finalists_only(selection, selection_round, organizer):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, c], user=organizer)
    assert titles(finalist_films(selection.edition)) == [a.title, c.title]
    c.status = FilmStatus.WITHDRAWN
    c.save(update_fields=["status"])
    assert titles(finalist_films(selection.edition)) == [a.title]


def test_final_juries_get_the_finalists_only(selection, selection_round, organizer):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    assert active_pairs(selection.final) == {
        (film.title, juror.pk) for film in (a, b) for juror in selection.final_jurors
    }
    # The pre-selection jury keeps its work on every film.
    assert len(active_pairs(selection.preselection)) == 8

    choose_finalists(selection_round=selection_round, films=[b, c], user=organizer)
    assert active_pairs(selection.final) == {
        (film.title, juror.pk) for film in (b, c) for juror in selection.final_jurors
    }


def test_turning_the_round_on_takes_non_finalists_from_the_final_juries(selection, organizer):
    from judging.domain.assignment import compute_assignments

    compute_assignments(jury=selection.final, organizer=organizer)
    assert len(active_pairs(selection.final)) == 8
    save_round_settings(
        edition=selection.edition,
        enabled=True,
        finalists_per_category=2,
        announce_at=None,
        user=organizer,
    )
    assert active_pairs(selection.final) == set()


def test_one_jury_per_category_and_stage(edition, category, organizer):
    create_jury(edition=edition, name="Finale", categories=[category])
    create_jury(
        edition=edition, name="Présélection", categories=[category], stage=JuryStage.PRESELECTION
    )
    with pytest.raises(DomainError) as error:
        create_jury(
            edition=edition, name="Autre", categories=[category], stage=JuryStage.PRESELECTION
        )
    assert error.value.code == "category_taken"


# The final's ranking counts the final's scores only.


def test_the_final_ranking_counts_only_the_final_juries(selection, selection_round, organizer):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    # The final jury sees it the other way round.
    for juror in selection.final_jurors:
        validated(juror=juror, film=a, criterion=selection.criterion, value=4)
        validated(juror=juror, film=b, criterion=selection.criterion, value=8)

    final = EditionResults.load(selection.edition)
    ranking = final.category_ranking(selection.category)
    assert [(int(line.film), line.rank, line.jurors) for line in ranking] == [
        (b.pk, 1, 2),
        (a.pk, 2, 2),
    ]
    assert sorted(final.films) == sorted([a.pk, b.pk])

    pre = EditionResults.load(selection.edition, stage=JuryStage.PRESELECTION)
    assert [int(line.film) for line in pre.category_ranking(selection.category)] == [
        a.pk,
        b.pk,
        c.pk,
        d.pk,
    ]


def test_without_a_round_the_preselection_scores_still_do_not_count(selection):
    ranking = EditionResults.load(selection.edition).category_ranking(selection.category)
    assert ranking == []


def test_only_finalists_can_be_awarded(selection, selection_round, organizer):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    seed_prizes(edition=selection.edition)
    prize = Prize.objects.get(category=selection.category, kind=PrizeKind.CATEGORY_FIRST)
    with pytest.raises(DomainError):
        decide_award(prize=prize, films=[c], user=organizer, reason="Coup de foudre")
    awards = decide_award(prize=prize, films=[a], user=organizer, reason="Le jury préfère")
    assert [award.film for award in awards] == [a]


# The workflow.


def test_finalists_must_be_in_competition(selection, selection_round, organizer, edition):
    other = factories.make_film(
        category=factories.make_category(
            factories.make_edition(edition.festival, is_current=False, year=edition.year - 1)
        ),
        status=FilmStatus.SUBMITTED,
    )
    with pytest.raises(DomainError) as error:
        choose_finalists(selection_round=selection_round, films=[other], user=organizer)
    assert error.value.code == "not_eligible"


def test_scheduling_needs_a_date_and_finalists(selection, selection_round, organizer):
    with pytest.raises(DomainError) as error:
        schedule_announcement(selection_round=selection_round, user=organizer)
    assert error.value.code == "no_finalists"
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    with pytest.raises(DomainError) as error:
        schedule_announcement(selection_round=selection_round, user=organizer)
    assert error.value.code == "date_required"


def test_scheduled_finalists_are_fixed_until_cancelled(
    selection, selection_round, organizer, django_capture_on_commit_callbacks
):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    selection_round.announce_at = timezone.now() + timedelta(days=1)
    selection_round.save()
    with django_capture_on_commit_callbacks(execute=False):
        schedule_announcement(selection_round=selection_round, user=organizer)
    with pytest.raises(DomainError) as error:
        choose_finalists(selection_round=selection_round, films=[c], user=organizer)
    assert error.value.code == "scheduled"
    cancel_announcement(selection_round=selection_round, user=organizer)
    choose_finalists(selection_round=selection_round, films=[c], user=organizer)
    assert titles(finalist_films(selection.edition)) == [c.title]


def test_an_announced_round_changes_no_more(selection, selection_round, organizer, mailoutbox):
    choose_finalists(selection_round=selection_round, films=selection.films[:1], user=organizer)
    announce_now(selection_round=selection_round, user=organizer)
    for attempt in (
        lambda: choose_finalists(
            selection_round=selection_round, films=selection.films, user=organizer
        ),
        lambda: cancel_announcement(selection_round=selection_round, user=organizer),
        lambda: save_round_settings(
            edition=selection.edition,
            enabled=False,
            finalists_per_category=2,
            announce_at=None,
            user=organizer,
        ),
    ):
        with pytest.raises(DomainError):
            attempt()
    selection_round.refresh_from_db()
    assert (selection_round.state, selection_round.enabled) == (SelectionState.ANNOUNCED, True)


# Emails.


@pytest.fixture
def teachers(school, festival):
    return [
        factories.make_teacher(school, language="fr"),
        factories.make_teacher(school, language="en"),
        factories.make_teacher(school, language="fr"),
        factories.make_teacher(school, language="en"),
    ]


def test_each_finalist_teacher_is_told_once_in_their_language(
    edition, category, teachers, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    selection = make_selection(edition, category, teachers=teachers)
    selection_round = make_round(edition)
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        announce_now(selection_round=selection_round, user=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_due_rounds() == []
    assert [(m.to, m.subject) for m in sorted(mailoutbox, key=lambda m: m.to)] == sorted(
        [
            ([teachers[0].email], f"FILM'IT : « {a.title} » est finaliste !"),
            ([teachers[1].email], f"FILM'IT: “{b.title}” is a finalist!"),
        ]
    )
    french = next(m for m in mailoutbox if m.to == [teachers[0].email])
    english = next(m for m in mailoutbox if m.to == [teachers[1].email])
    assert "L'équipe FILM'IT" in french.body
    assert "The FILM'IT team" in english.body
    assert f"/festivals/{edition.festival.slug}/{edition.year}/finalistes/" in french.body
    assert SelectionNotice.objects.filter(kind=SelectionNoticeKind.FINALIST).count() == 2


def test_the_chore_announces_what_is_due_once(
    selection, selection_round, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    selection_round.announce_at = timezone.now() + timedelta(hours=2)
    selection_round.save()
    with django_capture_on_commit_callbacks(execute=False):
        schedule_announcement(selection_round=selection_round, user=organizer)

    call_command("announce_finalists")  # not due yet
    selection_round.refresh_from_db()
    assert (selection_round.state, mailoutbox) == (SelectionState.SCHEDULED, [])

    selection_round.announce_at = timezone.now() - timedelta(minutes=5)
    selection_round.save(update_fields=["announce_at"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_finalists")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_finalists")
    selection_round.refresh_from_db()
    assert selection_round.state == SelectionState.ANNOUNCED
    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.teacher.email, b.teacher.email])


def test_the_chore_sends_a_missing_finalist_email(
    selection, selection_round, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        announce_now(selection_round=selection_round, user=organizer)
    # A notice lost (say the worker died before its commit): the chore sends it, once.
    SelectionNotice.objects.filter(film=b).delete()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_finalists")
    assert [m.to for m in mailoutbox] == [[b.teacher.email]]


def test_non_finalists_are_thanked_once_after_the_palmares(
    selection, selection_round, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c, d = selection.films
    choose_finalists(selection_round=selection_round, films=[a, b], user=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        announce_now(selection_round=selection_round, user=organizer)
    seed_prizes(edition=selection.edition)
    prize = Prize.objects.get(category=selection.category, kind=PrizeKind.CATEGORY_FIRST)
    decide_award(prize=prize, films=[a], user=organizer, reason="Le jury préfère")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publication = publish_palmares(edition=selection.edition, user=organizer)
    thanks = sorted(
        (m.to[0], m.subject) for m in mailoutbox if m.subject.startswith("FILM'IT : merci")
    )
    assert thanks == sorted(
        [
            (c.teacher.email, f"FILM'IT : merci pour « {c.title} »"),
            (d.teacher.email, f"FILM'IT : merci pour « {d.title} »"),
        ]
    )
    mail = next(m for m in mailoutbox if m.to == [c.teacher.email] and "merci" in m.subject)
    assert f"/jury/resultats/films/{c.pk}/fiche-retour.pdf" in mail.body

    # Published again after a withdrawal: nobody is thanked twice.
    from judging.domain.publication import unpublish_palmares

    unpublish_palmares(publication=publication, user=organizer, reason="Coquille")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_palmares(edition=selection.edition, user=organizer)
    assert [m for m in mailoutbox if "merci" in m.subject] == []


def test_without_a_round_nobody_is_thanked(
    selection, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    a = selection.films[0]
    seed_prizes(edition=selection.edition)
    prize = Prize.objects.get(category=selection.category, kind=PrizeKind.CATEGORY_FIRST)
    decide_award(prize=prize, films=[a], user=organizer, reason="Le jury préfère")
    with django_capture_on_commit_callbacks(execute=True):
        publish_palmares(edition=selection.edition, user=organizer)
    assert [m for m in mailoutbox if "merci" in m.subject] == []
    assert not SelectionNotice.objects.exists()


def test_non_finalists_lack_no_final_juror(selection, selection_round, organizer):
    from festival.models import Film
    from judging.unassigned import film_gaps

    Film.objects.filter(pk__in=[f.pk for f in selection.films]).update(status=FilmStatus.ACCEPTED)
    choose_finalists(selection_round=selection_round, films=selection.films[:1], user=organizer)
    assert film_gaps(edition=selection.edition) == []


def test_next_years_edition_keeps_each_jurys_stage(selection, organizer):
    from festival.domain.editions import prepare_next_edition
    from judging.models import Jury

    target = prepare_next_edition(source=selection.edition, organizer=organizer)
    assert sorted(Jury.objects.filter(edition=target).values_list("stage", flat=True)) == [
        JuryStage.FINAL,
        JuryStage.PRESELECTION,
    ]


def test_next_years_edition_keeps_the_round_a_year_later_without_finalists(
    selection, selection_round, organizer
):
    from datetime import datetime

    from festival.domain.editions import prepare_next_edition
    from judging.models import SelectionRound

    selection_round.finalists_per_category = 5
    selection_round.announce_at = timezone.make_aware(datetime(2027, 3, 15, 18, 0))
    selection_round.save()
    choose_finalists(selection_round=selection_round, films=selection.films[:1], user=organizer)

    target = prepare_next_edition(source=selection.edition, organizer=organizer)
    copy = SelectionRound.objects.get(edition=target)
    assert (copy.enabled, copy.finalists_per_category, copy.state) == (
        True,
        5,
        SelectionState.OPEN,
    )
    assert copy.announce_at == timezone.make_aware(datetime(2028, 3, 15, 18, 0))
    assert copy.finalists.count() == 0


def test_a_disabled_round_is_not_carried_over(selection, selection_round, organizer):
    from festival.domain.editions import prepare_next_edition
    from judging.models import SelectionRound

    selection_round.enabled = False
    selection_round.save()
    target = prepare_next_edition(source=selection.edition, organizer=organizer)
    assert not SelectionRound.objects.filter(edition=target).exists()
