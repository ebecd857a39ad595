"""The second pass's job: one attempt at adding the lower renditions to a ready version.

Its states and the moves around it (queued, cancelled by a newer upload, failed) are in
media_pipeline.ladder; what both kinds of job share, in media_pipeline.jobs.
"""

import dataclasses
import logging
import tempfile
import time
import traceback
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from media_pipeline import jobs, ladder, pipeline, storage_io, watchdog
from media_pipeline.jobs import StaleVersion, VersionAbandoned
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion

logger = logging.getLogger(__name__)

L = LadderStatus


def _claim(version_id: int) -> VideoVersion | None:
    version = VideoVersion.objects.select_related("film__category").filter(pk=version_id).first()
    if version is None or version.status != VideoStatus.READY or version.ladder_status != L.QUEUED:
        return None
    now = timezone.now()
    try:
        return ladder.transition(
            version,
            L.PROCESSING,
            ladder_attempts=version.ladder_attempts + 1,
            ladder_folder=f"ladder-{uuid.uuid4().hex[:12]}",
            ladder_error_code="",
            worker=jobs.worker_identity(),
            work_dir="",
            heartbeat_at=now,
            deadline_at=jobs.deadline(version.film, now),
        )
    except StaleVersion:
        return None


class _Job:
    """A claimed pass: heartbeats, and noticing that the version was taken away."""

    def __init__(self, version: VideoVersion):
        self.version = version
        self.last_beat = time.monotonic()

    def beat(self, *_args) -> None:
        now = time.monotonic()
        if now - self.last_beat < jobs.HEARTBEAT_EVERY:
            return
        self.last_beat = now
        version = self.version
        alive = VideoVersion.objects.filter(
            pk=version.pk,
            status=VideoStatus.READY,
            ladder_status=L.PROCESSING,
            ladder_folder=version.ladder_folder,
        ).update(heartbeat_at=timezone.now())
        if not alive:
            raise VersionAbandoned


def complete_ladder(*, version_id: int) -> VideoVersion | None:
    """Run one attempt of a ready version's second pass. None if there was nothing to do."""
    watchdog.recover_stalled()
    version = _claim(version_id)
    if version is None:
        return None
    job = _Job(version)
    folder = version.ladder_folder
    try:
        with tempfile.TemporaryDirectory(
            prefix=f"filmit-v{version.pk}-ladder-", dir=settings.MEDIA_WORK_DIR
        ) as work_dir:
            VideoVersion.objects.filter(
                pk=version.pk, ladder_status=L.PROCESSING, ladder_folder=folder
            ).update(work_dir=work_dir)
            return _run(job, Path(work_dir))
    except (VersionAbandoned, StaleVersion):
        logger.info("Video version %s: lower renditions taken away from this worker", version.pk)
        jobs.delete_outputs(f"{version.output_prefix}{folder}/")
        return None
    except Exception:
        logger.exception("Video version %s: lower renditions crashed", version.pk)
        jobs.delete_outputs(f"{version.output_prefix}{folder}/")
        return ladder.attempt_failed(
            version,
            code="internal_error",
            log=traceback.format_exc()[-jobs.MAX_LOG_EXCERPT :],
        )


def _run(job: _Job, work_dir: Path) -> VideoVersion | None:
    version = job.version
    source, out_dir, download_seconds = jobs.fetch_original(version, work_dir, on_chunk=job.beat)
    result = pipeline.add_lower_renditions(
        source=source,
        out_dir=out_dir,
        analysis=version.probe["analysis"],
        top=version.outputs["renditions"][0],
        folder=version.ladder_folder,
        progress=job.beat,
        timeout=jobs.job_timeout(version.film),
    )
    log = (result.log_excerpt or "")[-jobs.MAX_LOG_EXCERPT :]
    if result.status != pipeline.READY:
        return ladder.attempt_failed(version, code=result.error_code or "failed", log=log)
    started = time.monotonic()
    storage_io.upload_tree(out_dir, version.output_prefix, on_file=job.beat)
    timings = {
        "download": round(download_seconds, 3),
        **result.timings,
        "upload": round(time.monotonic() - started, 3),
    }
    return _finish(version, result=result, timings=timings)


def _finish(version: VideoVersion, *, result: pipeline.PipelineResult, timings: dict):
    with transaction.atomic():
        # Locked: a poster chosen or captions added meanwhile stay in the manifest.
        locked = VideoVersion.objects.select_for_update().get(pk=version.pk)
        if (
            locked.status != VideoStatus.READY
            or locked.ladder_status != L.PROCESSING
            or locked.ladder_folder != version.ladder_folder
        ):
            raise VersionAbandoned
        # The first pass's master playlist and storyboard stay until the version is replaced:
        # a page opened a moment ago still plays from them (Safari loads on play).
        outputs = {
            **locked.outputs,
            "renditions": [dataclasses.asdict(r) for r in result.renditions],
            "hls": result.hls,
            "storyboard": result.storyboard,
        }
        ladder.transition(
            locked,
            L.DONE,
            outputs=outputs,
            timings={**locked.timings, "lower_renditions": timings},
            worker="",
            work_dir="",
        )
    logger.info("Video version %s: %s renditions", version.pk, len(result.renditions))
    return locked
