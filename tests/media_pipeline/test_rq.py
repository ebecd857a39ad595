"""The distributed path: django-tasks-rq on the Redis of this machine, a real `rqworker`.

Redis database 13 is this test's own (FILMIT_TEST_REDIS_URL to choose another): it is
flushed before and after.
"""

import os
from pathlib import Path

import pytest
import redis

from media_pipeline import originals
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.tasks import complete_ladder_task, process_version_task
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
        pytest.fail(
            f"no Redis at {REDIS_URL}: start it (.ci/run does) or set FILMIT_TEST_REDIS_URL"
        )
    connection.flushdb()
    queues = {name: {"URL": REDIS_URL} for name in ("default", "media")}
    with task_backend(settings, TASKS=RQ_TASKS, RQ_QUEUES=queues):
        yield connection
    connection.flushdb()


def test_rqworker_processes_an_upload(rq_backend, film, teacher, tmp_path):
    import django_rq

    # Compliant 480p: the fast path's two jobs, the second enqueued by the first.
    clip = clips.compliant_mp4(tmp_path, size="854x480", duration=1)

    version = originals.receive_original(
        film=film, user=teacher, path=clip, filename="film.mp4", size=clip.stat().st_size
    )

    media_queue = django_rq.get_queue("media")
    assert media_queue.job_ids == [version.task_id]
    first_task = version.task_id
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
    assert (version.ladder_status, version.ladder_attempts) == (LadderStatus.DONE, 1)
    assert [r["name"] for r in version.outputs["renditions"]] == ["480p", "360p"]
    stored = stored_files(version.output_prefix)
    assert version.output_prefix + "film.mp4" in stored
    assert version.output_prefix + version.outputs["hls"] in stored
    assert process_version_task.get_result(first_task).status == "SUCCESSFUL"
    assert complete_ladder_task.get_result(version.task_id).status == "SUCCESSFUL"
    assert media_queue.count == 0
