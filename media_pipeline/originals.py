"""Receiving a film's original video: stored under our name, then queued for processing.

Three ways in: a resumable upload (media_pipeline.tus), the teacher's upload form, and
`manage.py attach_video` for a film delivered on a USB stick. Earlier originals are kept: the
film's previous ready video stays watchable until the new one is ready (media_pipeline.versions).
"""

import logging
import os
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from festival.domain.films import check_editable
from festival.models import Film, User, original_video_path
from festival.stored_files import release
from festival.uploads import clean_filename
from media_pipeline import intake, jobs, ladder, storage_io, versions
from media_pipeline.models import VideoVersion
from media_pipeline.models.processing import PENDING_STATUSES

logger = logging.getLogger(__name__)


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
    intake.check_size(actual_size)
    name = original_video_path(film, filename)
    moved = move and _move_into_storage(path, name)
    if not moved:
        storage_io.upload(path, name)
    try:
        return _register(film=film, user=user, name=name, filename=filename, size=actual_size)
    except BaseException:
        if moved:
            os.replace(default_storage.path(name), path)
        else:
            default_storage.delete(name)
        raise


def attach_original_video(*, film: Film, user: User, uploaded_file) -> VideoVersion:
    """The same for a file received by the teacher's upload form, while the film is editable."""
    check_editable(film)
    intake.check_uploaded_file(uploaded_file)
    uploaded_file.seek(0, os.SEEK_END)
    size = uploaded_file.tell()
    intake.check_size(size)  # what was received, whatever the form said
    filename = uploaded_file.name or ""
    name = original_video_path(film, filename)
    storage_io.upload_fileobj(uploaded_file, name)
    try:
        return _register(film=film, user=user, name=name, filename=filename, size=size)
    except BaseException:
        default_storage.delete(name)
        raise


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


def _register(
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
            original_filename=clean_filename(filename),
            original_size=size,
            uploaded_by=user,
        )
        for older in locked.video_versions.filter(status__in=PENDING_STATUSES).exclude(
            pk=version.pk
        ):
            versions.cancel(older)
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
        versions.queue(version)
    logger.info("Film %s: new original v%s (%s bytes)", film.pk, version.number, size)
    return version


# An erasure of a school's data (festival.domain.school_erasure).


def erase_originals(*, film: Film) -> int:
    """A film erased at its school's request keeps no image of its pupils: every version goes,
    its original and its renditions, their files released once the erasure commits (a film
    forwarded to a final that shares them keeps them)."""
    erased = 0
    for version in film.video_versions.all():
        original, prefix = version.original, version.output_prefix
        version.delete()
        release(original.storage, original.name)
        jobs.delete_outputs_on_commit(prefix)
        erased += 1
    logger.info("Film %s: %s video versions erased", film.pk, erased)
    return erased


def on_film_originals_erased(sender, film, **kwargs) -> None:
    erase_originals(film=film)
