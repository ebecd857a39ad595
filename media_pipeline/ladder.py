"""The fast path's second pass: adding the lower renditions to a ready version.

A version whose original already plays everywhere becomes ready as soon as its copied
top rendition, MP4 and posters are stored (see pipeline.process); its `ladder_status` is
then QUEUED and `complete_ladder` encodes the rungs below, in a job of its own. Until it
is done the film plays in its own quality only, which every device reads.

The job is held like a processing job (worker, heartbeat, deadline, attempts; the
watchdog recovers it) and every attempt writes into a fresh folder of the version's
outputs, so that a late worker never touches another attempt's files. Its state moves
only by `transition()`, a compare-and-set like the version's own. A newer upload of the
film cancels the pass; it is queued again if that upload is refused.
"""

import dataclasses
import logging
import tempfile
import time
import traceback
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Film
from media_pipeline import domain, pipeline, storage_io
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.models.processing import LADDER_PENDING_STATUSES

logger = logging.getLogger(__name__)

L = LadderStatus
TRANSITIONS: dict[str, set[str]] = {
    L.NONE: {L.QUEUED},
    L.QUEUED: {L.PROCESSING, L.CANCELLED},
    L.PROCESSING: {L.DONE, L.QUEUED, L.FAILED, L.CANCELLED},
    L.DONE: set(),
    L.FAILED: {L.QUEUED},
    L.CANCELLED: {L.QUEUED},
}


def transition(version: VideoVersion, to: str, **changes) -> VideoVersion:
    """Move the pass of a ready version to `to`, if nobody moved it (or the version) first."""
    if to not in TRANSITIONS[version.ladder_status]:
        raise ValueError(
            f"Video version {version.pk}: ladder {version.ladder_status} -> {to} is not allowed"
        )
    fields = {"ladder_status": to, **changes}
    updated = VideoVersion.objects.filter(
        pk=version.pk,
        status=VideoStatus.READY,
        output_prefix=version.output_prefix,
        ladder_status=version.ladder_status,
        ladder_folder=version.ladder_folder,
        ladder_attempts=version.ladder_attempts,
    ).update(**fields)
    if not updated:
        raise domain.StaleVersion(f"Video version {version.pk} changed since it was read")
    previous = version.ladder_status
    for name, value in fields.items():
        setattr(version, name, value)
    logger.info("Video version %s: lower renditions %s -> %s", version.pk, previous or "-", to)
    return version


def ready_fields(result: pipeline.PipelineResult) -> dict:
    """What the version's READY transition sets for its second pass (nothing to do, or queued)."""
    if not result.pending_renditions:
        return {"ladder_status": L.NONE}
    return {
        "ladder_status": L.QUEUED,
        "ladder_attempts": 0,
        "ladder_folder": "",
        "ladder_error_code": "",
        "queued_at": timezone.now(),
        "task_id": "",
    }


# Below a first pass: during a rush every new film becomes watchable before any film gets
# its lower qualities. Backends without priorities (RQ) run jobs in the order they came.
SECOND_PASS_PRIORITY = -10


def enqueue(version: VideoVersion) -> None:
    from media_pipeline.tasks import complete_ladder_task

    task = complete_ladder_task
    if task.get_backend().supports_priority:
        task = task.using(priority=SECOND_PASS_PRIORITY)
    result = task.enqueue(version_id=version.pk)
    version.task_id = str(result.id)[:64]
    VideoVersion.objects.filter(pk=version.pk).update(task_id=version.task_id)


def _queue(version: VideoVersion, **changes) -> None:
    transition(version, L.QUEUED, queued_at=timezone.now(), task_id="", **changes)
    transaction.on_commit(lambda: enqueue(version), robust=True)


def _delete_folder_on_commit(version: VideoVersion, folder: str) -> None:
    if folder and version.output_prefix:
        prefix = f"{version.output_prefix}{folder}/"
        transaction.on_commit(lambda: domain._delete_outputs(prefix), robust=True)


# Replacement: a newer upload stops the pass, a refused one gives it back.


def cancel_for_new_upload(*, film: Film) -> None:
    """The film's ready versions stop adding renditions: a newer original replaces them."""
    for version in VideoVersion.objects.filter(
        film=film, status=VideoStatus.READY, ladder_status__in=LADDER_PENDING_STATUSES
    ):
        folder = version.ladder_folder
        try:
            # worker and work_dir stay: they say who held it, as for a cancelled version.
            transition(version, L.CANCELLED, ladder_folder="")
        except domain.StaleVersion:
            continue  # finished or handed over meanwhile: nothing of ours to stop
        _delete_folder_on_commit(version, folder)


def resume_after_refusal(*, film_id: int) -> None:
    """The newest upload was refused or failed: the version still playing gets its pass back.

    Its attempts so far still count. Under the film's lock, as uploads take it: an upload
    arriving meanwhile either sees the pass queued (and cancels it) or is seen here.
    """
    with transaction.atomic():
        Film.objects.select_for_update().filter(pk=film_id).first()
        playable = VideoVersion.objects.filter(film_id=film_id).playable().first()
        if playable is None or playable.ladder_status != L.CANCELLED:
            return
        if _newer_pending(playable):
            return
        try:
            _queue(playable, ladder_error_code="")
        except domain.StaleVersion:
            return


def _newer_pending(version: VideoVersion) -> bool:
    return VideoVersion.objects.filter(
        film_id=version.film_id, number__gt=version.number, status__in=domain.PENDING_STATUSES
    ).exists()


RETRYABLE = (L.FAILED, L.CANCELLED)


def retry(*, version: VideoVersion) -> VideoVersion:
    """An organizer runs a failed (or cancelled) pass again, with a fresh set of attempts."""
    if version.status != VideoStatus.READY or version.ladder_status not in RETRYABLE:
        raise DomainError(
            _("Les qualités réduites de cette vidéo ne sont pas à relancer."),
            code="not_retryable",
        )
    if _newer_pending(version):
        raise DomainError(
            _("Une vidéo plus récente de ce film est en préparation : elle remplacera celle-ci."),
            code="not_latest",
        )
    with transaction.atomic():
        _queue(version, ladder_attempts=0, ladder_error_code="")
    return version


# The job.


def _claim(version_id: int) -> VideoVersion | None:
    version = VideoVersion.objects.select_related("film__category").filter(pk=version_id).first()
    if version is None or version.status != VideoStatus.READY or version.ladder_status != L.QUEUED:
        return None
    now = timezone.now()
    timeout = domain.job_timeout(version.film)
    try:
        return transition(
            version,
            L.PROCESSING,
            ladder_attempts=version.ladder_attempts + 1,
            ladder_folder=f"ladder-{uuid.uuid4().hex[:12]}",
            ladder_error_code="",
            worker=domain._worker_identity(),
            work_dir="",
            heartbeat_at=now,
            deadline_at=now + timedelta(seconds=timeout + settings.MEDIA_TRANSFER_GRACE_SECONDS),
        )
    except domain.StaleVersion:
        return None


class _Job:
    """A claimed pass: heartbeats, and noticing that the version was taken away."""

    def __init__(self, version: VideoVersion):
        self.version = version
        self.last_beat = time.monotonic()

    def beat(self, *_args) -> None:
        now = time.monotonic()
        if now - self.last_beat < domain.HEARTBEAT_EVERY:
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
            raise domain.VersionAbandoned


def complete_ladder(*, version_id: int) -> VideoVersion | None:
    """Run one attempt of a ready version's second pass. None if there was nothing to do."""
    domain.recover_stalled()
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
    except (domain.VersionAbandoned, domain.StaleVersion):
        logger.info("Video version %s: lower renditions taken away from this worker", version.pk)
        domain._delete_outputs(f"{version.output_prefix}{folder}/")
        return None
    except Exception:
        logger.exception("Video version %s: lower renditions crashed", version.pk)
        domain._delete_outputs(f"{version.output_prefix}{folder}/")
        return attempt_failed(
            version,
            code="internal_error",
            log=traceback.format_exc()[-domain.MAX_LOG_EXCERPT :],
        )


def _run(job: _Job, work_dir: Path) -> VideoVersion | None:
    version = job.version
    source, out_dir, download_seconds = domain.fetch_original(version, work_dir, on_chunk=job.beat)
    result = pipeline.add_lower_renditions(
        source=source,
        out_dir=out_dir,
        analysis=version.probe["analysis"],
        top=version.outputs["renditions"][0],
        folder=version.ladder_folder,
        progress=job.beat,
        timeout=domain.job_timeout(version.film),
    )
    log = (result.log_excerpt or "")[-domain.MAX_LOG_EXCERPT :]
    if result.status != pipeline.READY:
        return attempt_failed(version, code=result.error_code or "failed", log=log)
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
            raise domain.VersionAbandoned
        # The first pass's master playlist and storyboard stay until the version is replaced:
        # a page opened a moment ago still plays from them (Safari loads on play).
        outputs = {
            **locked.outputs,
            "renditions": [dataclasses.asdict(r) for r in result.renditions],
            "hls": result.hls,
            "storyboard": result.storyboard,
        }
        transition(
            locked,
            L.DONE,
            outputs=outputs,
            timings={**locked.timings, "lower_renditions": timings},
            worker="",
            work_dir="",
        )
    logger.info("Video version %s: %s renditions", version.pk, len(result.renditions))
    return locked


def attempt_failed(version: VideoVersion, *, code: str, log: str = "") -> VideoVersion | None:
    """Give the pass back to the queue, or fail it (the film keeps playing) after its attempts."""
    folder = version.ladder_folder
    last = version.ladder_attempts >= settings.MEDIA_MAX_ATTEMPTS
    common = {"ladder_error_code": code, "ladder_folder": "", "worker": "", "work_dir": ""}
    if log:
        common["log_excerpt"] = log
    try:
        with transaction.atomic():
            if last:
                transition(version, L.FAILED, **common)
            else:
                _queue(version, **common)
            _delete_folder_on_commit(version, folder)
    except domain.StaleVersion:
        return None
    logger.warning(
        "Video version %s: lower renditions attempt %s failed (%s)",
        version.pk,
        version.ladder_attempts,
        code,
    )
    return version


# Watchdog.


def running():
    return VideoVersion.objects.filter(status=VideoStatus.READY, ladder_status=L.PROCESSING)


def queued():
    return VideoVersion.objects.filter(status=VideoStatus.READY, ladder_status=L.QUEUED)
