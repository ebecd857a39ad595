"""The finalists' announcement goes through the task queue at its date: queued with
`run_after`, left alone by the worker before, run by it after (issue 13, selection)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from judging.domain.selection import choose_finalists
from judging.enums import SelectionState
from tests.inprocess_worker import run_worker
from tests.judging.factories_selection import make_round, make_selection


@pytest.fixture
def scheduled(edition, category, organizer, organizer_client, django_capture_on_commit_callbacks):
    selection = make_selection(edition, category)
    selection_round = make_round(edition, announce_at=timezone.now() + timedelta(hours=3))
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("judging:selection_check", args=[edition.pk]), {"when": "scheduled"}
        )
    assert response.status_code == 302
    selection_round.refresh_from_db()
    return selection, selection_round


def test_the_announcement_waits_for_its_date_then_the_worker_announces(
    scheduled, mailoutbox, django_capture_on_commit_callbacks
):
    selection, selection_round = scheduled
    assert selection_round.state == SelectionState.SCHEDULED
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.run_after, queued.args_kwargs["args"]) == (
        "judging.tasks.announce_finalists",
        selection_round.announce_at,
        [selection_round.pk],
    )

    assert run_worker() == []  # not before its time
    selection_round.refresh_from_db()
    assert (selection_round.state, mailoutbox) == (SelectionState.SCHEDULED, [])

    with (
        freeze_time(selection_round.announce_at + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_worker() == [("judging.tasks.announce_finalists", "SUCCESSFUL")]
    selection_round.refresh_from_db()
    assert selection_round.state == SelectionState.ANNOUNCED
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        film.teacher.email for film in selection.films[:2]
    )


def test_a_cancelled_announcement_leaves_its_task_nothing_to_do(
    scheduled, organizer_client, mailoutbox
):
    selection, selection_round = scheduled
    organizer_client.post(reverse("judging:selection_cancel", args=[selection.edition.pk]))
    with freeze_time(selection_round.announce_at + timedelta(minutes=1)):
        assert run_worker() == [("judging.tasks.announce_finalists", "SUCCESSFUL")]
    selection_round.refresh_from_db()
    assert (selection_round.state, mailoutbox) == (SelectionState.OPEN, [])
