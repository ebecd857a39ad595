"""A version's workflow: its transitions, and an organizer's retry (page, admin)."""

import pytest
from django.urls import reverse

from festival.domain import DomainError
from festival.domain.films import submit_film
from festival.enums import FilmStatus
from media_pipeline import versions
from media_pipeline.jobs import StaleVersion
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.tasks import process_version_task
from tests.media_pipeline.versions import make_version

S = VideoStatus


def test_transition_refuses_moves_that_do_not_exist(film):
    version = make_version(film, status=S.READY)

    with pytest.raises(ValueError):
        versions.transition(version, S.PROCESSING)


def test_transition_loses_against_a_concurrent_change(film):
    version = make_version(film, status=S.QUEUED)
    VideoVersion.objects.filter(pk=version.pk).update(status=S.CANCELLED)

    with pytest.raises(StaleVersion):
        versions.transition(version, S.PROBING)

    version.refresh_from_db()
    assert version.status == S.CANCELLED


# Organizer retry.


def test_organizer_retries_a_failed_version(film, organizer, django_capture_on_commit_callbacks):
    version = make_version(film, status=S.FAILED, attempts=3, max_attempts=3, error_code="timeout")

    with django_capture_on_commit_callbacks(execute=True):
        versions.retry_version(version=version, user=organizer)

    version.refresh_from_db()
    assert (version.status, version.attempts, version.max_attempts) == (S.QUEUED, 3, 6)
    assert (version.error_code, version.message) == ("", "")
    assert process_version_task.get_result(version.task_id).kwargs == {"version_id": version.pk}


@pytest.mark.parametrize("who", ["teacher", "other_organizer", "juror"])
def test_only_the_festival_organizers_retry(who, film, request):
    version = make_version(film, status=S.FAILED)

    with pytest.raises(DomainError):
        versions.retry_version(version=version, user=request.getfixturevalue(who))

    version.refresh_from_db()
    assert version.status == S.FAILED


def test_only_the_latest_version_is_retried(film, organizer):
    old = make_version(film, status=S.FAILED)
    make_version(film, status=S.QUEUED)

    with pytest.raises(DomainError) as excinfo:
        versions.retry_version(version=old, user=organizer)

    assert excinfo.value.code == "not_latest"


def test_retry_view(film, organizer_client, django_capture_on_commit_callbacks):
    version = make_version(film, status=S.REJECTED)

    response = organizer_client.post(
        reverse("media_pipeline:retry", args=[film.pk]), {"next": "/organisation/films/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/organisation/films/"
    version.refresh_from_db()
    assert version.status == S.QUEUED


def test_retry_view_is_for_organizers_only(film, teacher_client):
    make_version(film, status=S.FAILED)

    response = teacher_client.post(reverse("media_pipeline:retry", args=[film.pk]))

    assert response.status_code == 404


# Admin.


def test_admin_lists_versions_and_retries_them(film, admin_client):
    failed = make_version(film, status=S.FAILED, error_code="timeout")
    url = reverse("admin:media_pipeline_videoversion_changelist")

    listing = admin_client.get(url)
    retried = admin_client.post(url, {"action": "retry", "_selected_action": [failed.pk]})

    assert listing.status_code == 200
    assert "timeout" in listing.content.decode()
    assert retried.status_code == 302
    failed.refresh_from_db()
    assert failed.status == S.QUEUED
    assert admin_client.get(reverse("admin:media_pipeline_videoversion_add")).status_code == 403


# What a film's submission asks of its video (festival.domain.films.missing_for_submission).


def test_a_film_whose_only_video_was_refused_cannot_be_submitted(complete_film, teacher):
    complete_film.video_versions.all().delete()
    make_version(complete_film, status=VideoStatus.REJECTED)

    with pytest.raises(DomainError) as excinfo:
        submit_film(film=complete_film, user=teacher)

    assert excinfo.value.messages == [
        "Il manque encore : une vidéo acceptée par la vérification (la dernière a été refusée)."
    ]
    complete_film.refresh_from_db()
    assert complete_film.status == FilmStatus.DRAFT


def test_a_film_with_a_video_being_processed_can_be_submitted(complete_film, teacher):
    complete_film.video_versions.all().delete()
    make_version(complete_film, status=VideoStatus.REJECTED)
    make_version(complete_film, status=VideoStatus.PROCESSING)

    submit_film(film=complete_film, user=teacher)

    assert complete_film.status == FilmStatus.SUBMITTED
