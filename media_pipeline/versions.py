"""A version's workflow: its states, and the moves that queue, cancel, fail or retry it.

A version moves through `VideoStatus` only by `transition()`, a compare-and-set: it writes
the named fields only if the row is still in the state (and the attempt) we read, so a
worker, the watchdog and a teacher replacing the video never both win.

Playable video of a film = its latest ready version (`VideoVersion.objects.playable()`).
A new upload (media_pipeline.originals) cancels the pending ones, the previous ready version
keeps playing until the new one is ready, and is then superseded and its outputs deleted.
Originals are never modified nor deleted here.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Film, User
from festival.rules import is_film_organizer
from media_pipeline import jobs, ladder
from media_pipeline.jobs import StaleVersion
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.models.processing import PENDING_STATUSES

logger = logging.getLogger(__name__)

S = VideoStatus
TRANSITIONS: dict[str, set[str]] = {
    S.UPLOADED: {S.QUEUED, S.CANCELLED},
    S.QUEUED: {S.PROBING, S.CANCELLED},
    S.PROBING: {S.PROCESSING, S.REJECTED, S.READY, S.FAILED, S.QUEUED, S.CANCELLED},
    S.PROCESSING: {S.READY, S.REJECTED, S.FAILED, S.QUEUED, S.CANCELLED},
    S.READY: {S.SUPERSEDED},
    S.REJECTED: {S.QUEUED},
    S.FAILED: {S.QUEUED},
    S.CANCELLED: set(),
    S.SUPERSEDED: set(),
}


def transition(version: VideoVersion, to: str, **changes) -> VideoVersion:
    """Move `version` to `to`, saving the status and `changes`, if nobody moved it first."""
    if to not in TRANSITIONS[version.status]:
        raise ValueError(f"Video version {version.pk}: {version.status} -> {to} is not allowed")
    fields = {"status": to, **changes}
    updated = VideoVersion.objects.filter(
        pk=version.pk, status=version.status, output_prefix=version.output_prefix
    ).update(**fields)
    if not updated:
        raise StaleVersion(f"Video version {version.pk} changed since it was read")
    previous = version.status
    for name, value in fields.items():
        setattr(version, name, value)
    logger.info("Video version %s (film %s): %s -> %s", version.pk, version.film_id, previous, to)
    return version


def enqueue(version: VideoVersion) -> None:
    jobs.enqueue(version, jobs.PROCESSING)


def queue(version: VideoVersion, **changes) -> None:
    """Queue the version's processing; its task is sent once the transaction is committed."""
    transition(version, S.QUEUED, queued_at=timezone.now(), task_id="", **changes)
    transaction.on_commit(lambda: enqueue(version), robust=True)


def cancel(version: VideoVersion) -> None:
    """Stop a pending version: a newer upload replaces it."""
    for _attempt in range(5):
        if version.status not in PENDING_STATUSES:
            return
        prefix = version.output_prefix
        try:
            transition(
                version,
                S.CANCELLED,
                finished_at=timezone.now(),
                message=_("Remplacée par une vidéo envoyée plus tard."),
            )
        except StaleVersion:
            version.refresh_from_db()
            continue
        jobs.delete_outputs_on_commit(prefix)
        return
    raise StaleVersion(f"Could not cancel video version {version.pk}")


# A failed attempt.


def _failure_message(code: str, *, last: bool = False) -> str:
    if last:
        return _(
            "La préparation de la vidéo a échoué plusieurs fois. L'organisation du festival "
            "le voit sur la page du film et peut la relancer."
        )
    messages = {
        "worker_lost": _(
            "Le traitement a été interrompu : le serveur qui s'en chargeait s'est arrêté. "
            "Il reprend automatiquement."
        ),
        "timeout": _(
            "Le traitement a pris beaucoup plus de temps que prévu et a été interrompu. "
            "Il reprend automatiquement."
        ),
        "disk_full": _(
            "Le traitement a été interrompu : le disque de travail du serveur de traitement "
            "est plein. La vidéo envoyée est conservée et le traitement reprend automatiquement."
        ),
    }
    return messages.get(code) or _(
        "Le traitement de la vidéo a échoué. Il reprend automatiquement."
    )


def attempt_failed(
    version: VideoVersion, *, code: str, message: str = "", log: str = ""
) -> VideoVersion | None:
    """Give the version back to the queue, or fail it when its attempts are spent."""
    prefix = version.output_prefix
    last = version.attempts >= version.max_attempts
    common = {
        "error_code": code,
        "message": _failure_message(code, last=True) if last else message or _failure_message(code),
        "output_prefix": "",
        "worker": "",
        "work_dir": "",
        "percent": 0,
    }
    if log:
        common["log_excerpt"] = log
    try:
        with transaction.atomic():
            if not last:
                queue(version, **common)
            else:
                transition(version, S.FAILED, finished_at=timezone.now(), **common)
                ladder.resume_after_refusal(film_id=version.film_id)
            jobs.delete_outputs_on_commit(prefix)
    except StaleVersion:
        return None
    logger.warning("Video version %s: attempt %s failed (%s)", version.pk, version.attempts, code)
    return version


# Organizer actions.


def retry_version(*, version: VideoVersion, user: User) -> VideoVersion:
    """An organizer runs a failed (or rejected) version again, with a fresh set of attempts."""
    if not is_film_organizer(user, version.film):
        raise DomainError(_("Seule l'organisation du festival peut relancer un traitement."))
    if version.film.original_deleted_at is not None:
        raise DomainError(original_deleted_text(version.film), code="original_deleted")
    if version.status == S.READY and version.ladder_status in ladder.RETRYABLE:
        return ladder.retry(version=version)
    if version.status not in (S.FAILED, S.REJECTED):
        raise DomainError(
            _("Cette vidéo est « %(status)s » : il n'y a rien à relancer.")
            % {"status": version.get_status_display()},
            code="not_retryable",
        )
    if VideoVersion.objects.filter(film_id=version.film_id, number__gt=version.number).exists():
        raise DomainError(
            _("Une vidéo plus récente a été envoyée pour ce film : c'est elle qui compte."),
            code="not_latest",
        )
    with transaction.atomic():
        # As for a new upload: the version playing meanwhile stops its second pass.
        ladder.cancel_for_new_upload(film=version.film)
        queue(
            version,
            max_attempts=version.attempts + settings.MEDIA_MAX_ATTEMPTS,
            finished_at=None,
            error_code="",
            message="",
            percent=0,
        )
    logger.info("Video version %s retried by user %s", version.pk, user.pk)
    return version


def original_deleted_text(film: Film) -> str:
    """Why nothing can be rebuilt from the original: the retention policy deleted it."""
    return _(
        "La vidéo originale a été supprimée le %(date)s selon la durée de conservation des "
        "données : le traitement ne peut plus être relancé. Les versions publiées restent "
        "visibles."
    ) % {"date": date_format(timezone.localtime(film.original_deleted_at), "DATE_FORMAT")}


# What a film's submission asks of its video (registered with festival by media_pipeline.apps).

REFUSED_STATUSES = {S.REJECTED, S.FAILED, S.CANCELLED}


def missing_for_submission(film: Film) -> list[str]:
    """The video, or one the checks accepted: a film whose every version was refused has none.

    A video still being processed counts. Reads `film.video_versions.all()` so that list pages
    can prefetch it.
    """
    if not film.original_video:
        return [_("la vidéo du film")]
    statuses = {version.status for version in film.video_versions.all()}
    # No version: attached before the media pipeline kept versions.
    if statuses and statuses <= REFUSED_STATUSES:
        return [_("une vidéo acceptée par la vérification (la dernière a été refusée)")]
    return []
