"""The palmarès scheduled for the ceremony: it leaves by itself at its time through a real
worker (not before), with its emails; changed or cancelled before; a stale task does nothing;
the hourly chore catches up; a failure is emailed to the organizers; strangers get a 404."""

import email
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from festival.domain import DomainError
from judging.domain.awards import decide_award
from judging.domain.publication import publish_palmares
from judging.domain.scheduled_publication import (
    cancel_schedule,
    publish_scheduled,
    schedule_publication,
    time_stamp,
)
from judging.enums import PrizeKind
from judging.models_ceremony import ScheduledPublication, ScheduleState
from judging.models_results import Publication
from tests.conftest import login
from tests.judging.test_awards import make_scored_category
from tests.media_pipeline.workers import (
    kill,
    start,
    start_db_worker,
    task_backend,
    wait_for,
    worker_env,
)


@pytest.fixture
def decided(edition, category, organizer):
    scored = make_scored_category(edition, category)
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=organizer
    )
    return scored


def local_input(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_scheduling_queues_the_task_for_that_time(
    decided, edition, organizer_client, django_capture_on_commit_callbacks
):
    when = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    url = reverse("judging:awards_schedule", args=[edition.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url, {"publish_at": local_input(when)})
    assert response.status_code == 302
    scheduled = ScheduledPublication.objects.get()
    assert (scheduled.publish_at, scheduled.state) == (when, ScheduleState.SCHEDULED)
    [task] = DBTaskResult.objects.all()
    assert (task.task_path, task.run_after, task.args_kwargs["args"]) == (
        "judging.tasks.publish_scheduled_palmares",
        when,
        [scheduled.pk, time_stamp(when)],
    )
    assert not DBTaskResult.objects.ready().exists()  # not before its time
    assert "Publication programmée le" in organizer_client.get(url).text


def test_a_time_in_the_past_is_refused_beside_the_field(decided, edition, organizer_client):
    url = reverse("judging:awards_schedule", args=[edition.pk])
    response = organizer_client.post(
        url, {"publish_at": local_input(timezone.now() - timedelta(hours=1))}
    )
    assert response.status_code == 200
    assert "Choisissez une date et une heure à venir." in response.text
    assert not ScheduledPublication.objects.exists()


def test_a_changed_time_makes_the_first_task_stale(
    decided, edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    first = schedule_publication(
        edition=edition, user=organizer, publish_at=now + timedelta(hours=1)
    )
    old_stamp = time_stamp(first.publish_at)
    moved = schedule_publication(
        edition=edition, user=organizer, publish_at=now + timedelta(hours=3)
    )
    assert moved.pk == first.pk
    # The first task wakes up at its old time: it does nothing.
    publish_scheduled(scheduled_id=first.pk, expected_at=old_stamp, now=now + timedelta(hours=1))
    assert not Publication.objects.exists()
    # The second one publishes.
    later = now + timedelta(hours=3, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = publish_scheduled(
            scheduled_id=first.pk, expected_at=time_stamp(moved.publish_at), now=later
        )
    assert result.state == ScheduleState.PUBLISHED
    assert result.publication == Publication.objects.get()
    assert mailoutbox  # the teachers and jurors are told then


def test_a_cancelled_schedule_never_publishes(decided, edition, organizer, organizer_client):
    scheduled = schedule_publication(
        edition=edition, user=organizer, publish_at=timezone.now() + timedelta(hours=1)
    )
    response = organizer_client.post(reverse("judging:awards_schedule_cancel", args=[scheduled.pk]))
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.state == ScheduleState.CANCELLED
    publish_scheduled(
        scheduled_id=scheduled.pk,
        expected_at=time_stamp(scheduled.publish_at),
        now=timezone.now() + timedelta(hours=2),
    )
    assert not Publication.objects.exists()
    with pytest.raises(DomainError):
        cancel_schedule(scheduled=scheduled, user=organizer)


def test_the_chore_publishes_what_is_due_once(
    decided, edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    scheduled = schedule_publication(
        edition=edition, user=organizer, publish_at=timezone.now() + timedelta(hours=1)
    )
    call_command("publish_scheduled_palmares")
    assert not Publication.objects.exists()  # not yet due
    ScheduledPublication.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled_palmares")
    scheduled.refresh_from_db()
    assert scheduled.state == ScheduleState.PUBLISHED
    sent = len(mailoutbox)
    assert sent > 0
    call_command("publish_scheduled_palmares")
    assert Publication.objects.count() == 1
    assert len(mailoutbox) == sent


def test_a_failure_is_emailed_to_the_organizers(
    edition, category, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    # Prizes exist, none is decided: the palmarès cannot be published.
    make_scored_category(edition, category)
    scheduled = schedule_publication(
        edition=edition, user=organizer, publish_at=timezone.now() + timedelta(hours=1)
    )
    ScheduledPublication.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled_palmares")
    scheduled.refresh_from_db()
    assert scheduled.state == ScheduleState.FAILED
    assert scheduled.error == (
        "Aucun prix n'est encore attribué : il n'y a pas de palmarès à publier."
    )
    [message] = mailoutbox
    assert message.to == [organizer.email]
    assert message.subject == "Le palmarès de FILM'IT 2027 n'a pas pu être publié"
    assert scheduled.error in message.body


def test_published_by_hand_in_the_meantime(decided, edition, organizer, mailoutbox):
    scheduled = schedule_publication(
        edition=edition, user=organizer, publish_at=timezone.now() + timedelta(hours=1)
    )
    publish_palmares(edition=edition, user=organizer)
    sent = len(mailoutbox)
    publish_scheduled(scheduled_id=scheduled.pk, now=timezone.now() + timedelta(hours=2))
    scheduled.refresh_from_db()
    assert scheduled.state == ScheduleState.CANCELLED
    assert (Publication.objects.count(), len(mailoutbox)) == (1, sent)


def test_nothing_to_schedule_once_published(decided, edition, organizer):
    publish_palmares(edition=edition, user=organizer)
    with pytest.raises(DomainError):
        schedule_publication(
            edition=edition, user=organizer, publish_at=timezone.now() + timedelta(hours=1)
        )


def test_strangers_get_a_404(client, edition, organizer, other_organizer, teacher, juror):
    scheduled = schedule_publication(
        edition=edition, user=organizer, publish_at=timezone.now() + timedelta(hours=1)
    )
    urls = [
        reverse("judging:awards_schedule", args=[edition.pk]),
        reverse("judging:awards_schedule_cancel", args=[scheduled.pk]),
    ]
    for user in (other_organizer, teacher, juror):
        login(client, user)
        for url in urls:
            assert client.post(url).status_code == 404
    client.logout()
    assert client.get(urls[0]).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.state == ScheduleState.SCHEDULED


def recipients(folder: Path) -> list[str]:
    """The To: of every message the worker wrote with the file mail backend."""
    found = []
    for path in folder.glob("*.log"):
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk.strip())["To"])
    return sorted(found)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_publishes_at_the_time_and_not_before(edition, category, organizer, tmp_path):
    scored = make_scored_category(edition, category)
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=organizer
    )
    expected = sorted(
        {film.teacher.email for film in scored.films} | {scored.president.email, scored.juror.email}
    )
    mail = tmp_path / "mail"
    log = tmp_path / "worker.log"
    worker = start_db_worker(
        log=log,
        env=worker_env(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail),
        ),
    )
    try:
        # No transaction here: the task is queued at once, as after a real request.
        scheduled = schedule_publication(
            edition=edition, user=organizer, publish_at=timezone.now() + timedelta(seconds=6)
        )
        wait_for(lambda: DBTaskResult.objects.exists(), timeout=10, what="the queued task", log=log)
        # The worker is up and polling, and the time has not come: nothing is published.
        time.sleep(2)
        assert timezone.now() < scheduled.publish_at
        assert not Publication.objects.exists()
        wait_for(lambda: Publication.objects.exists(), timeout=60, what="the publication", log=log)
        # The emails leave once the publication is committed, one after the other.
        wait_for(
            lambda: len(recipients(mail)) >= len(expected), timeout=30, what="the emails", log=log
        )
    finally:
        kill(worker)
    publication = Publication.objects.get()
    assert publication.published_at >= scheduled.publish_at
    scheduled.refresh_from_db()
    assert (scheduled.state, scheduled.publication_id) == (
        ScheduleState.PUBLISHED,
        publication.pk,
    )
    assert recipients(mail) == expected


RQ_REDIS_URL = os.environ.get("FILMIT_TEST_SCHEDULE_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.mark.django_db(transaction=True)
def test_an_rq_worker_with_its_scheduler_publishes_at_the_time(
    settings, edition, category, organizer, tmp_path
):
    """With RQ, a task queued for later waits in the scheduled registry; `rqworker
    --with-scheduler` moves it into the queue at its time."""
    import django_rq
    import redis
    from rq.registry import ScheduledJobRegistry

    connection = redis.Redis.from_url(RQ_REDIS_URL)
    connection.ping()
    connection.flushdb()
    scored = make_scored_category(edition, category)
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=organizer
    )
    rq_tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queues = {"default": {"URL": RQ_REDIS_URL}}
    log = tmp_path / "rqworker.log"
    try:
        with task_backend(settings, TASKS=rq_tasks, RQ_QUEUES=queues):
            scheduled = schedule_publication(
                edition=edition, user=organizer, publish_at=timezone.now() + timedelta(seconds=5)
            )
            queue = django_rq.get_queue("default")
            assert queue.count == 0  # not in the queue before its time
            assert len(ScheduledJobRegistry(queue=queue)) == 1
        worker = start(
            ["rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"],
            log=log,
            env=worker_env(TASKS_BACKEND="rq", REDIS_URL=RQ_REDIS_URL),
        )
        try:
            wait_for(
                lambda: Publication.objects.exists(), timeout=60, what="the publication", log=log
            )
        finally:
            kill(worker)
    finally:
        connection.flushdb()
    assert Publication.objects.get().published_at >= scheduled.publish_at
    scheduled.refresh_from_db()
    assert scheduled.state == ScheduleState.PUBLISHED
