"""A version's processing job: one attempt at turning an original into a playable film.

A worker claims the queued version (PROBING), runs the pipeline in a folder of its own
(PROCESSING, with heartbeats and progress), stores the outputs under a fresh prefix and makes
the version READY, superseding the older ones; or REJECTED with the reason, or gives the
attempt back (media_pipeline.versions.attempt_failed). Losing the version meanwhile (a newer
upload, the watchdog) ends the job without a trace.
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

from festival import emails
from media_pipeline import jobs, ladder, manifest, pipeline, storage_io, versions, watchdog
from media_pipeline.jobs import StaleVersion, VersionAbandoned
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion

logger = logging.getLogger(__name__)

S = VideoStatus


def _claim(version_id: int) -> VideoVersion | None:
    version = (
        VideoVersion.objects.select_related("film__category__edition", "film__teacher")
        .filter(pk=version_id)
        .first()
    )
    if version is None or version.status != S.QUEUED:
        return None
    now = timezone.now()
    try:
        return versions.transition(
            version,
            S.PROBING,
            attempts=version.attempts + 1,
            output_prefix=(f"renditions/{version.film_id}/{version.number}/{uuid.uuid4().hex}/"),
            worker=jobs.worker_identity(),
            work_dir="",
            percent=0,
            started_at=now,
            heartbeat_at=now,
            deadline_at=jobs.deadline(version.film, now),
            finished_at=None,
            error_code="",
            message="",
            log_excerpt="",
        )
    except StaleVersion:
        return None


class _Job:
    """A claimed version: heartbeats and progress, and losing the version gracefully."""

    def __init__(self, version: VideoVersion):
        self.version = version
        self.last_beat = time.monotonic()

    def beat(self, percent: int | None = None, *, force: bool = False) -> None:
        version = self.version
        starts_encoding = percent is not None and version.status == S.PROBING
        now = time.monotonic()
        if not force and not starts_encoding and now - self.last_beat < jobs.HEARTBEAT_EVERY:
            return
        self.last_beat = now
        if starts_encoding:
            try:
                versions.transition(
                    version, S.PROCESSING, percent=percent, heartbeat_at=timezone.now()
                )
            except StaleVersion:
                raise VersionAbandoned from None
            return
        changes = {"heartbeat_at": timezone.now()}
        if percent is not None:
            changes["percent"] = version.percent = percent
        alive = VideoVersion.objects.filter(
            pk=version.pk, status=version.status, output_prefix=version.output_prefix
        ).update(**changes)
        if not alive:
            raise VersionAbandoned

    def progress(self, percent: float) -> None:
        # 100 is for the ready version, once its files are stored.
        self.beat(max(0, min(99, int(percent))))


def process_version(*, version_id: int) -> VideoVersion | None:
    """Run one attempt of a version's processing. None if there was nothing to do."""
    watchdog.recover_stalled()
    version = _claim(version_id)
    if version is None:
        return None
    job = _Job(version)
    try:
        with tempfile.TemporaryDirectory(
            prefix=f"filmit-v{version.pk}-", dir=settings.MEDIA_WORK_DIR
        ) as work_dir:
            VideoVersion.objects.filter(pk=version.pk).update(work_dir=work_dir)
            return _run(job, Path(work_dir))
    except (VersionAbandoned, StaleVersion):
        logger.info("Video version %s was taken away from this worker", version.pk)
        jobs.delete_outputs(version.output_prefix)
        return None
    except Exception as error:
        logger.exception("Video version %s: processing crashed", version.pk)
        jobs.delete_outputs(version.output_prefix)
        code = "disk_full" if jobs.disk_full(error=error) else "internal_error"
        return versions.attempt_failed(
            version, code=code, log=traceback.format_exc()[-jobs.MAX_LOG_EXCERPT :]
        )


def _run(job: _Job, work_dir: Path) -> VideoVersion | None:
    version = job.version
    source, out_dir, download_seconds = jobs.fetch_original(
        version, work_dir, on_chunk=lambda _n: job.beat()
    )
    category = version.film.category
    result = pipeline.process(
        source=source,
        out_dir=out_dir,
        max_duration=category.effective_max_duration.total_seconds(),
        loudness_target=settings.FILMIT_LOUDNESS_TARGET,
        progress=job.progress,
        timeout=jobs.job_timeout(version.film),
    )
    timings = {"download": round(download_seconds, 3), **(result.timings or {})}
    probe = {"duration": result.duration, "width": result.width, "height": result.height}
    if result.analysis:
        probe["analysis"] = result.analysis
    log = (result.log_excerpt or "")[-jobs.MAX_LOG_EXCERPT :]
    if result.status == "rejected":
        versions.transition(
            version,
            S.REJECTED,
            error_code=result.error_code or "rejected",
            message=result.message or "",
            probe=probe,
            timings=timings,
            log_excerpt=log,
            finished_at=timezone.now(),
            worker="",
            work_dir="",
        )
        ladder.resume_after_refusal(film_id=version.film_id)
        emails.send_to_user(
            template="video_rejected",
            user=version.film.teacher,
            context={"film": version.film, "version": version},
        )
        return version
    if result.status != "ready":
        if jobs.disk_full(log=result.log_excerpt or ""):
            # Not the film's fault: the worker's disk; the message says so, not "échec".
            return versions.attempt_failed(version, code="disk_full", log=log)
        return versions.attempt_failed(
            version, code=result.error_code or "failed", message=result.message, log=log
        )
    outputs = _outputs(result)
    default_poster = manifest.make_default_poster(outputs, out_dir=out_dir)
    started = time.monotonic()
    storage_io.upload_tree(out_dir, version.output_prefix, on_file=lambda _n: job.beat())
    timings["upload"] = round(time.monotonic() - started, 3)
    if default_poster:
        outputs["poster"] = default_poster
    return _finish_ready(
        version,
        outputs=outputs,
        probe=probe,
        timings=timings,
        log=log,
        second_pass=ladder.ready_fields(result),
    )


def _outputs(result) -> dict:
    return {
        "renditions": [dataclasses.asdict(r) for r in result.renditions],
        "hls": str(result.hls or ""),
        "mp4": str(result.mp4 or ""),
        "posters": [str(p) for p in result.posters or []],
        "storyboard": {k: str(v) for k, v in (result.storyboard or {}).items()},
        "subtitles": [],
    }


def _finish_ready(
    version: VideoVersion,
    *,
    outputs: dict,
    probe: dict,
    timings: dict,
    log: str,
    second_pass: dict,
) -> VideoVersion | None:
    try:
        with transaction.atomic():
            versions.transition(
                version,
                S.READY,
                outputs=outputs,
                probe=probe,
                timings=timings,
                log_excerpt=log,
                percent=100,
                finished_at=timezone.now(),
                worker="",
                work_dir="",
                **second_pass,
            )
            if version.ladder_status == LadderStatus.QUEUED:
                transaction.on_commit(lambda: ladder.enqueue(version), robust=True)
            older = VideoVersion.objects.filter(
                film_id=version.film_id, status=S.READY, number__lt=version.number
            )
            for previous in older:
                # A second pass still to come would only make files deleted just below.
                stop = {"ladder_status": LadderStatus.CANCELLED} if previous.ladder_pending else {}
                versions.transition(previous, S.SUPERSEDED, **stop)
                jobs.delete_outputs_on_commit(previous.output_prefix)
    except StaleVersion:
        # Cancelled (or given to another worker) while we were uploading.
        raise VersionAbandoned from None
    emails.send_to_user(
        template="video_ready",
        user=version.film.teacher,
        context={"film": version.film, "version": version},
    )
    return version
