"""The fast path's second pass: its states, and the moves that queue, stop or fail it.

A version whose original already plays everywhere becomes ready as soon as its copied
top rendition, MP4 and posters are stored (see pipeline.process); its `ladder_status` is
then QUEUED and a job of its own (media_pipeline.ladder_job) encodes the rungs below. Until
it is done the film plays in its own quality only, which every device reads.

The job is held like a processing job (worker, heartbeat, deadline, attempts; the
watchdog recovers it) and every attempt writes into a fresh folder of the version's
outputs, so that a late worker never touches another attempt's files. Its state moves
only by `transition()`, a compare-and-set like the version's own. A newer upload of the
film cancels the pass; it is queued again if that upload is refused.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Film
from media_pipeline import jobs, pipeline
from media_pipeline.jobs import StaleVersion
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.models.processing import LADDER_PENDING_STATUSES, PENDING_STATUSES

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
RETRYABLE = (L.FAILED, L.CANCELLED)
# Below a first pass: during a rush every new film becomes watchable before any film gets
# its lower qualities. Backends without priorities (RQ) run jobs in the order they came.
SECOND_PASS_PRIORITY = -10


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
        raise StaleVersion(f"Video version {version.pk} changed since it was read")
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


def enqueue(version: VideoVersion) -> None:
    jobs.enqueue(version, jobs.SECOND_PASS, priority=SECOND_PASS_PRIORITY)


def _queue(version: VideoVersion, **changes) -> None:
    transition(version, L.QUEUED, queued_at=timezone.now(), task_id="", **changes)
    transaction.on_commit(lambda: enqueue(version), robust=True)


def delete_folder_on_commit(version: VideoVersion, folder: str) -> None:
    """Delete an attempt's folder once the transaction that gave it up is committed."""
    if folder and version.output_prefix:
        jobs.delete_outputs_on_commit(f"{version.output_prefix}{folder}/")


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
        except StaleVersion:
            continue  # finished or handed over meanwhile: nothing of ours to stop
        delete_folder_on_commit(version, folder)


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
        except StaleVersion:
            return


def _newer_pending(version: VideoVersion) -> bool:
    return VideoVersion.objects.filter(
        film_id=version.film_id, number__gt=version.number, status__in=PENDING_STATUSES
    ).exists()


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
            delete_folder_on_commit(version, folder)
    except StaleVersion:
        return None
    logger.warning(
        "Video version %s: lower renditions attempt %s failed (%s)",
        version.pk,
        version.ladder_attempts,
        code,
    )
    return version


# What the watchdog looks at.


def running():
    return VideoVersion.objects.filter(status=VideoStatus.READY, ladder_status=L.PROCESSING)


def queued():
    return VideoVersion.objects.filter(status=VideoStatus.READY, ladder_status=L.QUEUED)
