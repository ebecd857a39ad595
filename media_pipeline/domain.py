"""Every state change of a film's video goes through these functions.

A version moves through `VideoStatus` only by `transition()`, a compare-and-set: it writes
the named fields only if the row is still in the state (and the attempt) we read, so a
worker, the watchdog and a teacher replacing the video never both win.

Playable video of a film = its latest ready version. A new upload cancels the pending
ones, the previous ready version keeps playing until the new one is ready, and is then
superseded and its outputs deleted. Originals are never modified nor deleted here.

A ready version may still have its lower renditions to make (the fast path's second
pass): media_pipeline.ladder runs that job, and the watchdog here recovers it too.
"""

import dataclasses
import logging
import os
import shutil
import socket
import tempfile
import time
import traceback
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails
from festival.domain import DomainError
from festival.models import Film, User
from festival.rules import file_owner_check, is_film_organizer
from media_pipeline import pipeline, storage_io
from media_pipeline.acceptance import MediaRejected
from media_pipeline.delivery import SUBTITLE_LANGUAGES
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.models.processing import PENDING_STATUSES, RUNNING_STATUSES
from media_pipeline.posters import make_poster_sizes
from media_pipeline.subtitles import convert_to_webvtt

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
# Saving the heartbeat more often than this would only load the database.
HEARTBEAT_EVERY = 2.0
MAX_LOG_EXCERPT = 4000
MAX_POSTER_BYTES = 20 * 1024**2
MAX_SUBTITLE_BYTES = 2 * 1024**2


class StaleVersion(Exception):
    """Someone else moved the version since we read it: our change is dropped."""


class VersionAbandoned(Exception):
    """The worker lost its version (cancelled, or handed to another worker) mid-job."""


# Transitions.


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


def _delete_outputs_on_commit(prefix: str) -> None:
    if prefix:
        transaction.on_commit(lambda: _delete_outputs(prefix), robust=True)


def _delete_outputs(prefix: str) -> None:
    if not prefix:
        return
    deleted = storage_io.delete_prefix(prefix)
    logger.info("Deleted %s output files under %s", deleted, prefix)


# Receiving an original.


def _original_name(film: Film) -> str:
    # The name is ours: a teacher's file name never reaches the storage nor ffmpeg.
    return f"originals/{film.edition_id}/{uuid.uuid4().hex}"


def _check_original_size(size: int) -> None:
    limit = settings.FILMIT_MAX_UPLOAD_BYTES
    if size == 0:
        raise DomainError(_("Le fichier envoyé est vide."), code="empty")
    if size > limit:
        raise DomainError(
            _("Ce fichier pèse %(size)s : la taille maximale est de %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _move_into_storage(path: Path, name: str) -> bool:
    """Rename a local file into a local-disk storage: instant for gigabytes. False if impossible."""
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(path, target)
    except OSError:  # another file system: copy instead
        return False
    mode = getattr(default_storage, "file_permissions_mode", None)
    os.chmod(target, mode if mode is not None else 0o644)
    return True


def receive_original(
    *, film: Film, user: User | None, path: Path, filename: str, size: int, move: bool = False
) -> VideoVersion:
    """Store a complete upload as the film's new original and queue its processing.

    The file is streamed into the media storage with constant memory; with `move=True`
    the caller's file may be renamed into a local-disk storage instead of copied.
    """
    path = Path(path)
    actual_size = path.stat().st_size
    if actual_size != size:
        logger.warning(
            "Original for film %s: announced %s bytes, got %s", film.pk, size, actual_size
        )
    _check_original_size(actual_size)
    name = _original_name(film)
    moved = move and _move_into_storage(path, name)
    if not moved:
        storage_io.upload(path, name)
    try:
        return _register_original(
            film=film, user=user, name=name, filename=filename, size=actual_size
        )
    except BaseException:
        if moved:
            os.replace(default_storage.path(name), path)
        else:
            default_storage.delete(name)
        raise


def receive_original_file(*, film: Film, user: User | None, fileobj, filename: str) -> VideoVersion:
    """The same for a file received by a Django form (already checked by the caller)."""
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    _check_original_size(size)
    name = _original_name(film)
    storage_io.upload_fileobj(fileobj, name)
    try:
        return _register_original(film=film, user=user, name=name, filename=filename, size=size)
    except BaseException:
        default_storage.delete(name)
        raise


def _register_original(
    *, film: Film, user: User | None, name: str, filename: str, size: int
) -> VideoVersion:
    now = timezone.now()
    with transaction.atomic():
        # Locks the film (PostgreSQL) so that two uploads never get the same number.
        locked = Film.objects.select_for_update().get(pk=film.pk)
        last = locked.video_versions.aggregate(last=Max("number"))["last"] or 0
        version = VideoVersion.objects.create(
            film=locked,
            number=last + 1,
            original=name,
            original_filename=Path(filename or "").name[:255],
            original_size=size,
            uploaded_by=user,
        )
        for older in locked.video_versions.filter(status__in=PENDING_STATUSES).exclude(
            pk=version.pk
        ):
            _cancel(older)
        ladder.cancel_for_new_upload(film=locked)
        # The festival app keeps seeing the film's latest original through these fields.
        film.original_video = name
        film.original_filename = version.original_filename
        film.original_size = size
        film.video_uploaded_at = now
        film.save(
            update_fields=[
                "original_video",
                "original_filename",
                "original_size",
                "video_uploaded_at",
                "updated_at",
            ]
        )
        _queue(version)
    logger.info("Film %s: new original v%s (%s bytes)", film.pk, version.number, size)
    return version


def _cancel(version: VideoVersion) -> None:
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
        _delete_outputs_on_commit(prefix)
        return
    raise StaleVersion(f"Could not cancel video version {version.pk}")


def _queue(version: VideoVersion) -> None:
    transition(version, S.QUEUED, queued_at=timezone.now(), task_id="")
    transaction.on_commit(lambda: _enqueue(version), robust=True)


def _enqueue(version: VideoVersion) -> None:
    from media_pipeline.tasks import process_version_task

    result = process_version_task.enqueue(version_id=version.pk)
    version.task_id = str(result.id)[:64]
    VideoVersion.objects.filter(pk=version.pk).update(task_id=version.task_id)


# Processing.


def _worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_is_dead(worker: str) -> bool:
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


def _claim(version_id: int) -> VideoVersion | None:
    version = (
        VideoVersion.objects.select_related("film__category__edition", "film__teacher")
        .filter(pk=version_id)
        .first()
    )
    if version is None or version.status != S.QUEUED:
        return None
    now = timezone.now()
    timeout = job_timeout(version.film)
    try:
        return transition(
            version,
            S.PROBING,
            attempts=version.attempts + 1,
            output_prefix=(f"renditions/{version.film_id}/{version.number}/{uuid.uuid4().hex}/"),
            worker=_worker_identity(),
            work_dir="",
            percent=0,
            started_at=now,
            heartbeat_at=now,
            deadline_at=now + timedelta(seconds=timeout + settings.MEDIA_TRANSFER_GRACE_SECONDS),
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
        if not force and not starts_encoding and now - self.last_beat < HEARTBEAT_EVERY:
            return
        self.last_beat = now
        if starts_encoding:
            try:
                transition(version, S.PROCESSING, percent=percent, heartbeat_at=timezone.now())
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
    recover_stalled()
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
        _delete_outputs(version.output_prefix)
        return None
    except Exception:
        logger.exception("Video version %s: processing crashed", version.pk)
        _delete_outputs(version.output_prefix)
        return _attempt_failed(
            version, code="internal_error", log=traceback.format_exc()[-MAX_LOG_EXCERPT:]
        )


def fetch_original(version: VideoVersion, work_dir: Path, *, on_chunk) -> tuple[Path, Path, float]:
    """The original streamed into a job's folder under our name, an empty folder for the
    outputs beside it, and the seconds the copy took."""
    source = work_dir / "original"
    out_dir = work_dir / "out"
    out_dir.mkdir()
    started = time.monotonic()
    storage_io.download(version.original.name, source, on_chunk=on_chunk)
    return source, out_dir, time.monotonic() - started


def _run(job: _Job, work_dir: Path) -> VideoVersion | None:
    version = job.version
    source, out_dir, download_seconds = fetch_original(
        version, work_dir, on_chunk=lambda _n: job.beat()
    )
    category = version.film.category
    result = pipeline.process(
        source=source,
        out_dir=out_dir,
        max_duration=category.effective_max_duration.total_seconds(),
        loudness_target=settings.FILMIT_LOUDNESS_TARGET,
        progress=job.progress,
        timeout=job_timeout(version.film),
    )
    timings = {"download": round(download_seconds, 3), **(result.timings or {})}
    probe = {"duration": result.duration, "width": result.width, "height": result.height}
    if result.analysis:
        probe["analysis"] = result.analysis
    log = (result.log_excerpt or "")[-MAX_LOG_EXCERPT:]
    if result.status == "rejected":
        transition(
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
        return _attempt_failed(
            version, code=result.error_code or "failed", message=result.message, log=log
        )
    outputs = _outputs(result)
    default_poster = _make_default_poster(outputs, out_dir=out_dir)
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


def _make_default_poster(outputs: dict, *, out_dir: Path) -> dict | None:
    """Sizes of the first candidate frame, until the teacher picks one."""
    if not outputs["posters"]:
        return None
    folder = f"poster/{uuid.uuid4().hex[:12]}"
    sizes = make_poster_sizes(image=out_dir / outputs["posters"][0], out_dir=out_dir / folder)
    return {"source": outputs["posters"][0], "sizes": _relative_sizes(sizes, folder)}


def _relative_sizes(sizes: dict, folder: str) -> dict[str, str]:
    return {key: f"{folder}/{Path(path).name}" for key, path in sizes.items()}


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
            transition(
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
                transition(previous, S.SUPERSEDED, **stop)
                _delete_outputs_on_commit(previous.output_prefix)
    except StaleVersion:
        # Cancelled (or given to another worker) while we were uploading.
        raise VersionAbandoned from None
    emails.send_to_user(
        template="video_ready",
        user=version.film.teacher,
        context={"film": version.film, "version": version},
    )
    return version


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
    }
    return messages.get(code) or _(
        "Le traitement de la vidéo a échoué. Il reprend automatiquement."
    )


def _attempt_failed(
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
                transition(version, S.QUEUED, queued_at=timezone.now(), task_id="", **common)
                transaction.on_commit(lambda: _enqueue(version), robust=True)
            else:
                transition(version, S.FAILED, finished_at=timezone.now(), **common)
                ladder.resume_after_refusal(film_id=version.film_id)
            _delete_outputs_on_commit(prefix)
    except StaleVersion:
        return None
    logger.warning("Video version %s: attempt %s failed (%s)", version.pk, version.attempts, code)
    return version


# Watchdog.


def _stall_reason(version: VideoVersion, now: datetime) -> str | None:
    if version.deadline_at and version.deadline_at < now:
        return "timeout"
    if _worker_is_dead(version.worker):
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


def _task_is_waiting(version: VideoVersion, task) -> bool:
    from django.tasks import TaskResultStatus

    if not version.task_id:
        return False
    try:
        result = task.get_result(version.task_id)
    except Exception:  # gone from the queue's result store, or the queue is unreachable
        return False
    return result.status == TaskResultStatus.READY


def recover_stalled(*, now: datetime | None = None) -> list[VideoVersion]:
    """Give back to the queue (or fail) the jobs whose worker died, hung or never came.

    Both kinds of job: a version's processing, and a ready version's lower renditions.
    Run by `manage.py media_watchdog` and at the start of every job, so that a restarted
    worker picks up what its previous life left.
    """
    from media_pipeline.tasks import complete_ladder_task, process_version_task

    now = now or timezone.now()
    recovered = []
    held = (
        (VideoVersion.objects.filter(status__in=RUNNING_STATUSES), _attempt_failed),
        (ladder.running(), ladder.attempt_failed),
    )
    for versions, give_back in held:
        for version in versions:
            reason = _stall_reason(version, now)
            if reason is None:
                continue
            dead_worker, work_dir = _worker_is_dead(version.worker), version.work_dir
            if give_back(version, code=reason) is not None:
                recovered.append(version)
                if dead_worker and work_dir:
                    # SIGKILL (or a crash) leaves the worker's temporary folder behind.
                    shutil.rmtree(work_dir, ignore_errors=True)
    # Queued long ago and not waiting in the queue: its task was lost (broker flushed,
    # enqueue failed, or a worker died between taking the task and claiming the job).
    forgotten_before = now - timedelta(seconds=settings.MEDIA_STALL_SECONDS)
    waiting = (
        (VideoVersion.objects.filter(status=S.QUEUED), process_version_task, _enqueue),
        (ladder.queued(), complete_ladder_task, ladder.enqueue),
    )
    for versions, task, enqueue in waiting:
        for version in versions.filter(queued_at__lt=forgotten_before):
            if _task_is_waiting(version, task):
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


# Organizer actions.


def can_manage(*, user: User, film: Film) -> bool:
    """Teacher of the film or organizer of its festival: may pick the poster, add captions."""
    return user.is_authenticated and file_owner_check(user, film)


def retry_version(*, version: VideoVersion, user: User) -> VideoVersion:
    """An organizer runs a failed (or rejected) version again, with a fresh set of attempts."""
    if not is_film_organizer(user, version.film):
        raise DomainError(_("Seule l'organisation du festival peut relancer un traitement."))
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
        transition(
            version,
            S.QUEUED,
            max_attempts=version.attempts + settings.MEDIA_MAX_ATTEMPTS,
            queued_at=timezone.now(),
            finished_at=None,
            task_id="",
            error_code="",
            message="",
            percent=0,
        )
        transaction.on_commit(lambda: _enqueue(version), robust=True)
    logger.info("Video version %s retried by user %s", version.pk, user.pk)
    return version


# Poster and captions of a ready version.


def _check_can_manage(*, version: VideoVersion, user: User) -> None:
    if not can_manage(user=user, film=version.film):
        raise DomainError(_("Vous ne pouvez pas modifier cette vidéo."), code="forbidden")
    if version.status != S.READY:
        raise DomainError(
            _("La vidéo doit être prête pour choisir son affiche ou ajouter des sous-titres."),
            code="not_ready",
        )


def _save_upload(uploaded_file, target: Path, *, limit: int) -> None:
    if uploaded_file.size > limit:
        raise DomainError(
            _("Ce fichier pèse %(size)s : la taille maximale est de %(limit)s.")
            % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    with open(target, "wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)


def _check_image(path: Path) -> None:
    with open(path, "rb") as image:
        head = image.read(12)
    is_image = (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )
    if not is_image:
        raise DomainError(_("L'affiche doit être une image JPEG, PNG ou WebP."), code="poster_type")


def _rejected(error) -> DomainError:
    """A MediaRejected from the pipeline, as the festival app's DomainError."""
    return DomainError(error.message, code=error.code)


def _update_outputs(version: VideoVersion, update, *, uploaded_prefix: str) -> VideoVersion:
    """Change a ready version's manifest under a row lock; undo our uploads if it moved on."""
    with transaction.atomic():
        locked = VideoVersion.objects.select_for_update().get(pk=version.pk)
        current = locked.status == S.READY and locked.output_prefix == version.output_prefix
        if current:
            outputs = dict(locked.outputs)
            removed = update(outputs)
            locked.outputs = outputs
            locked.save(update_fields=["outputs"])
            for folder in removed:
                _delete_outputs_on_commit(locked.output_prefix + folder)
    if not current:
        _delete_outputs(uploaded_prefix)
        raise DomainError(_("Cette vidéo vient d'être remplacée."), code="stale")
    version.outputs = outputs
    return version


def choose_poster(
    *, version: VideoVersion, user: User, candidate: str = "", image=None
) -> VideoVersion:
    """Use one of the candidate frames, or an uploaded image, as the film's poster."""
    _check_can_manage(version=version, user=user)
    if candidate and candidate not in version.outputs.get("posters", []):
        raise DomainError(_("Choisissez l'une des images proposées."), code="unknown_candidate")
    if not candidate and image is None:
        raise DomainError(_("Choisissez une image ou envoyez-en une."), code="no_image")
    folder = f"poster/{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="filmit-poster-", dir=settings.MEDIA_WORK_DIR) as tmp:
        source = Path(tmp) / "image"
        if candidate:
            storage_io.download(version.output_prefix + candidate, source)
        else:
            _save_upload(image, source, limit=MAX_POSTER_BYTES)
            _check_image(source)
        try:
            sizes = make_poster_sizes(image=source, out_dir=Path(tmp) / "sizes")
        except MediaRejected as error:
            raise _rejected(error) from None
        storage_io.upload_tree(Path(tmp) / "sizes", f"{version.output_prefix}{folder}/")

    def update(outputs):
        previous = (outputs.get("poster") or {}).get("sizes") or {}
        outputs["poster"] = {
            "source": candidate or "upload",
            "sizes": _relative_sizes(sizes, folder),
        }
        return {f"{Path(path).parent.as_posix()}/" for path in previous.values()}

    return _update_outputs(version, update, uploaded_prefix=f"{version.output_prefix}{folder}/")


def add_subtitles(
    *, version: VideoVersion, user: User, uploaded_file, language: str
) -> VideoVersion:
    """Convert SRT or WebVTT captions to WebVTT; they replace earlier ones in that language."""
    _check_can_manage(version=version, user=user)
    if language not in dict(SUBTITLE_LANGUAGES):
        raise DomainError(_("Choisissez la langue des sous-titres."), code="language")
    folder = f"subtitles/{language}-{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="filmit-subs-", dir=settings.MEDIA_WORK_DIR) as tmp:
        source = Path(tmp) / "source"
        _save_upload(uploaded_file, source, limit=MAX_SUBTITLE_BYTES)
        (Path(tmp) / "out").mkdir()
        try:
            convert_to_webvtt(source=source, target=Path(tmp) / "out" / "captions.vtt")
        except MediaRejected as error:
            raise _rejected(error) from None
        storage_io.upload_tree(Path(tmp) / "out", f"{version.output_prefix}{folder}/")

    def update(outputs):
        tracks = outputs.get("subtitles") or []
        removed = {
            f"{Path(t['path']).parent.as_posix()}/" for t in tracks if t["language"] == language
        }
        outputs["subtitles"] = [t for t in tracks if t["language"] != language] + [
            {"language": language, "path": f"{folder}/captions.vtt"}
        ]
        return removed

    return _update_outputs(version, update, uploaded_prefix=f"{version.output_prefix}{folder}/")


# The second pass builds on this module's helpers; imported last, as they are defined.
from media_pipeline import ladder  # noqa: E402
