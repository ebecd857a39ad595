"""The watchdog: jobs whose worker died, hung or never came go back to the queue (or fail).

Both kinds of job: a version's processing, and a ready version's lower renditions. Run by
`manage.py media_watchdog` and at the start of every job, so that a restarted worker picks
up what its previous life left.
"""

import logging
import shutil
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from media_pipeline import jobs, ladder, versions
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.models.processing import RUNNING_STATUSES

logger = logging.getLogger(__name__)


def _stall_reason(version: VideoVersion, now: datetime) -> str | None:
    if version.deadline_at and version.deadline_at < now:
        return "timeout"
    if jobs.worker_is_dead(version.worker):
        return "worker_lost"
    stale_before = now - timedelta(seconds=settings.MEDIA_STALL_SECONDS)
    host = version.worker.rpartition(":")[0]
    if (
        host != socket.gethostname()
        and version.heartbeat_at
        and version.heartbeat_at < stale_before
    ):
        return "worker_lost"
    return None


def recover_stalled(*, now: datetime | None = None) -> list[VideoVersion]:
    """Give back to the queue (or fail) the jobs whose worker died, hung or never came."""
    now = now or timezone.now()
    recovered = []
    held = (
        (VideoVersion.objects.filter(status__in=RUNNING_STATUSES), versions.attempt_failed),
        (ladder.running(), ladder.attempt_failed),
    )
    for held_versions, give_back in held:
        for version in held_versions:
            reason = _stall_reason(version, now)
            if reason is None:
                continue
            dead_worker, work_dir = jobs.worker_is_dead(version.worker), version.work_dir
            if give_back(version, code=reason) is not None:
                recovered.append(version)
                if dead_worker and work_dir:
                    # SIGKILL (or a crash) leaves the worker's temporary folder behind.
                    shutil.rmtree(work_dir, ignore_errors=True)
    # Queued long ago and not waiting in the queue: its task was lost (broker flushed,
    # enqueue failed, or a worker died between taking the task and claiming the job).
    forgotten_before = now - timedelta(seconds=settings.MEDIA_STALL_SECONDS)
    waiting = (
        (VideoVersion.objects.filter(status=VideoStatus.QUEUED), jobs.PROCESSING, versions.enqueue),
        (ladder.queued(), jobs.SECOND_PASS, ladder.enqueue),
    )
    for queued_versions, kind, enqueue in waiting:
        for version in queued_versions.filter(queued_at__lt=forgotten_before):
            if jobs.task_is_waiting(version, kind):
                continue
            updated = VideoVersion.objects.filter(
                pk=version.pk,
                status=version.status,
                ladder_status=version.ladder_status,
                queued_at=version.queued_at,
            ).update(queued_at=now)
            if updated:
                logger.warning("Video version %s: task lost, queued again", version.pk)
                transaction.on_commit(lambda v=version, e=enqueue: e(v), robust=True)
                recovered.append(version)
    return recovered
