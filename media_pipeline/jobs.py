"""What both kinds of job share: who holds a version, until when, and the queue they wait in.

A job is one attempt at a version's processing (media_pipeline.processing) or at its second
pass (media_pipeline.ladder_job). A worker claims it by writing its identity, a heartbeat and
a deadline on the version; the watchdog (media_pipeline.watchdog) gives it back when the
worker dies or hangs. Every attempt writes its files under a fresh folder of its own.

The queue: the tasks (media_pipeline.tasks) call the job functions, so this module cannot
import them. media_pipeline.apps hands them over at start-up through `register_tasks()`.
"""

import errno
import logging
import os
import socket
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.tasks import Task, TaskResultStatus

from festival import stored_files
from festival.models import Film
from media_pipeline import storage_io
from media_pipeline.models import VideoVersion

logger = logging.getLogger(__name__)

# Saving the heartbeat more often than this would only load the database.
HEARTBEAT_EVERY = 2.0
MAX_LOG_EXCERPT = 4000


class StaleVersion(Exception):
    """Someone else moved the version since we read it: our change is dropped."""


class VersionAbandoned(Exception):
    """The worker lost its version (cancelled, or handed to another worker) mid-job."""


# Workers.


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_is_dead(worker: str) -> bool:
    """True only when we can tell for sure: the worker ran on this machine and is gone."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed child not reaped yet is a zombie: as dead as can be
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] in {"Z", "X"}
    except (OSError, IndexError):
        return False


def job_timeout(film: Film) -> float:
    """How long ffmpeg may take: proportional to the longest film the category accepts."""
    longest = film.category.effective_max_duration.total_seconds()
    return settings.MEDIA_TIMEOUT_BASE_SECONDS + settings.MEDIA_TIMEOUT_PER_SECOND * longest


def deadline(film: Film, now: datetime) -> datetime:
    """When a job claimed now is late: ffmpeg's time, plus the copies to and from storage."""
    return now + timedelta(seconds=job_timeout(film) + settings.MEDIA_TRANSFER_GRACE_SECONDS)


def fetch_original(version: VideoVersion, work_dir: Path, *, on_chunk) -> tuple[Path, Path, float]:
    """The original streamed into a job's folder under our name, an empty folder for the
    outputs beside it, and the seconds the copy took."""
    source = work_dir / "original"
    out_dir = work_dir / "out"
    out_dir.mkdir()
    started = time.monotonic()
    storage_io.download(version.original.name, source, on_chunk=on_chunk)
    return source, out_dir, time.monotonic() - started


def disk_full(*, error: BaseException | None = None, log: str = "") -> bool:
    """Whether an attempt died of a full work folder: our own writes (the copy of the original)
    raise ENOSPC, ffmpeg only says so in its log."""
    while error is not None:
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return True
        error = error.__cause__ or error.__context__
    return "No space left on device" in log


# Outputs of an attempt.


def delete_outputs(prefix: str) -> None:
    if not prefix:
        return
    try:
        deleted = storage_io.delete_prefix(prefix)
    except Exception:
        # The object store is unreachable (the very fault that may have ended the job): the
        # files stay behind, unlisted, and the job must still be given back to the queue.
        logger.exception("Could not delete the output files under %s", prefix)
        return
    logger.info("Deleted %s output files under %s", deleted, prefix)


def delete_outputs_on_commit(prefix: str) -> None:
    """Delete an output folder once the transaction commits, unless a row still needs it: a
    film forwarded to another festival's edition shares its source's folder
    (media_pipeline.forwarding, festival.stored_files)."""
    if prefix:
        stored_files.release(default_storage, prefix, delete=delete_outputs)


# The queue.

PROCESSING = "processing"
SECOND_PASS = "second_pass"
_tasks: dict[str, Task] = {}


def register_tasks(*, processing: Task, second_pass: Task) -> None:
    """Called once by media_pipeline.apps: the task that runs each kind of job."""
    _tasks.update({PROCESSING: processing, SECOND_PASS: second_pass})


def enqueue(version: VideoVersion, kind: str, *, priority: int | None = None) -> None:
    """Queue the job; its task id is kept on the version, for the watchdog."""
    task = _tasks[kind]
    if priority is not None and task.get_backend().supports_priority:
        task = task.using(priority=priority)
    result = task.enqueue(version_id=version.pk)
    version.task_id = str(result.id)[:64]
    VideoVersion.objects.filter(pk=version.pk).update(task_id=version.task_id)


def task_is_waiting(version: VideoVersion, kind: str) -> bool:
    """Whether the version's task is still in the queue, not taken by a worker yet."""
    if not version.task_id:
        return False
    try:
        result = _tasks[kind].get_result(version.task_id)
    except Exception:  # gone from the queue's result store, or the queue is unreachable
        return False
    return result.status == TaskResultStatus.READY
