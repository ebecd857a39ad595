"""Downloads of files that are never public: original videos and image-rights consents.

Only the film's teacher and its festival's organizers get them; for anyone else the file
does not exist (404). They are streamed from the storage, whichever it is, never loaded
into memory, and never cached on the way.
"""

import logging
import posixpath
from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_safe

from festival.rules import get_consent_for_files, get_film_for_files

logger = logging.getLogger(__name__)

MAX_FILENAME_LENGTH = 150


def safe_filename(name: str, fallback: str) -> str:
    """The sender's file name, reduced to something every browser and disk accepts."""
    base = posixpath.basename((name or "").replace("\\", "/"))
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        return fallback
    stem, dot, extension = cleaned.rpartition(".")
    if dot and len(extension) <= 10 and stem:
        return stem[: MAX_FILENAME_LENGTH - len(extension) - 1] + "." + extension
    return cleaned[:MAX_FILENAME_LENGTH]


def attachment(field_file, *, filename: str, content_type: str) -> FileResponse:
    try:
        stream = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError:
        logger.error("File %s is missing from the storage", field_file.name)
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def original_video(request, pk):
    film = get_film_for_files(request.user, pk)
    if film.original_deleted_at is not None:
        # Deleted by the retention chore: say so rather than a bare "not found".
        return render(
            request, "festival/original_deleted.html", {"film": film}, status=HTTPStatus.GONE
        )
    if not film.original_video:
        raise Http404
    logger.info("User %s downloads the original video of film %s", request.user.pk, film.pk)
    # The original is whatever the teacher sent: offered as bytes, never as something to play.
    return attachment(
        film.original_video,
        filename=safe_filename(film.original_filename, f"film-{film.pk}"),
        content_type="application/octet-stream",
    )


@require_safe
@login_required
def consent_file(request, pk):
    consent = get_consent_for_files(request.user, pk)
    logger.info("User %s downloads consent %s", request.user.pk, consent.pk)
    # content_type was read from the file's first bytes at upload: PDF, JPEG, PNG or WebP.
    return attachment(
        consent.file,
        filename=safe_filename(consent.original_filename, f"autorisation-{consent.pk}"),
        content_type=consent.content_type,
    )
