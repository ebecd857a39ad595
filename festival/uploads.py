"""First checks on uploaded files, before anything is stored.

Here: consent forms, and a request body over its size limit. We only refuse what is
obviously not a consent form, reading the first bytes of the upload, never the whole file.
A film's video is checked by the media pipeline (media_pipeline.intake).
"""

from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from festival.domain import DomainError

SNIFF_BYTES = 64


def clean_filename(name: str | None) -> str:
    """The sender's file name, to show: the last part of whatever path the browser sent,
    printable characters only. Never used on disk: the platform names every stored file."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    return "".join(char for char in name if char.isprintable())[:255]


# Room for the multipart framing around a file of exactly the allowed size.
MULTIPART_OVERHEAD = 64 * 1024


def _declared_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def refuse_oversized(request, film, *, limit: int, anchor: str):
    """Refuse a body over `limit` from its Content-Length, before a byte of it is read.

    A redirect to the film's page, at `anchor`, with the message; None for a body that fits.
    """
    size = _declared_size(request)
    if size <= limit + MULTIPART_OVERHEAD:
        return None
    messages.error(
        request,
        _("Ce fichier pèse %(size)s : la taille maximale est de %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
    )
    return redirect(f"{film.get_absolute_url()}#{anchor}")


def read_head(uploaded_file, size: int = SNIFF_BYTES) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(size)
    uploaded_file.seek(0)
    return head


CONSENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def consent_content_type(uploaded_file) -> str:
    limit = settings.FILMIT_MAX_CONSENT_BYTES
    if uploaded_file.size == 0:
        raise DomainError(_("Le fichier envoyé est vide."), code="empty")
    if uploaded_file.size > limit:
        raise DomainError(
            _("Ce fichier pèse %(size)s : la taille maximale est de %(limit)s.")
            % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head = read_head(uploaded_file)
    for magic, content_type in CONSENT_TYPES.items():
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    raise DomainError(
        _("Une autorisation doit être un PDF ou une photo (JPEG, PNG ou WebP)."),
        code="consent_type",
    )
