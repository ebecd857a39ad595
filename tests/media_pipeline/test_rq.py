"""The distributed path: django-tasks-rq on the Redis of this machine, a real `rqworker`.

Redis database 13 is this test's own (FILMIT_TEST_REDIS_URL to choose another): it is
flushed before and after.
"""

import os
from pathlib import Path

import pytest
import redis

from media_pipeline import domain
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.tasks import process_version_task
from tests.media_pipeline import clips
from tests.media_pipeline.versions import stored_files
from tests.media_pipeline.workers import kill, start, task_backend, worker_env

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("FILMIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "media"]}}


@pytest.fixture
def rq_backend(settings):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    connection.flushdb()
    queues = {name: {"URL": REDIS_URL} for name in ("default", "media")}
    with task_backend(settings, TASKS=RQ_TASKS, RQ_QUEUES=queues):
        yield connection
    connection.flushdb()


def test_rqworker_processes_an_upload(rq_backend, film, teacher, tmp_path):
    import django_rq

    clip = clips.compliant_mp4(tmp_path, size="160x90", duration=1)

    version = domain.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )

    media_queue = django_rq.get_queue("media")
    assert media_queue.job_ids == [version.task_id]
    log = tmp_path / "rqworker.log"
    worker = start(
        ["rqworker", "media", "default", "--job-class", "django_tasks_rq.Job", "--burst"],
        log=log,
        env=worker_env(TASKS_BACKEND="rq", REDIS_URL=REDIS_URL),
    )
    try:
        returncode = worker.wait(timeout=180)  # --burst: exits once the queues are empty
    finally:
        kill(worker)
    assert returncode == 0, Path(log).read_text()

    version = VideoVersion.objects.get(pk=version.pk)
    assert (version.status, version.attempts) == (VideoStatus.READY, 1), Path(log).read_text()
    assert version.output_prefix + "film.mp4" in stored_files(version.output_prefix)
    assert process_version_task.get_result(version.task_id).status == "SUCCESSFUL"
    assert media_queue.count == 0
