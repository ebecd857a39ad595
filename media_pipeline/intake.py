"""First checks on an original video, before anything is stored: its size and its first bytes.

The one place for them, with the same words wherever a video comes in: a resumable upload
(media_pipeline.tus), the teacher's upload form, `manage.py attach_video` (its size). Only
what is obviously not a video is refused; the pipeline probes the file with ffprobe later.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.uploads import read_head

SNIFF_BYTES = 64


def looks_like_video(head: bytes) -> bool:
    if len(head) >= 12 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"):
        return True  # MP4, MOV, 3GP (ISO base media)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return True  # Matroska, WebM
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return True
    if head.startswith(b"\x00\x00\x01\xba"):
        return True  # MPEG program stream (DVD, VOB)
    if head.startswith(b"\x47") and len(head) > 1:
        return True  # MPEG transport stream (AVCHD .mts)
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return True  # ASF, WMV
    if head.startswith(b"FLV"):
        return True
    return False


def check_size(size: int) -> None:
    """Refuse an empty file, or one over FILMIT_MAX_UPLOAD_BYTES (code "empty", "too_large")."""
    limit = settings.FILMIT_MAX_UPLOAD_BYTES
    if size == 0:
        raise DomainError(_("Le fichier envoyé est vide."), code="empty")
    if size > limit:
        raise DomainError(
            _("Ce fichier pèse %(size)s : la taille maximale est de %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def check_head(head: bytes) -> None:
    """Refuse what is certainly not a video, from its first SNIFF_BYTES (code "not_video")."""
    if not looks_like_video(head):
        raise DomainError(
            _(
                "Ce fichier n'est pas une vidéo. Envoyez le film exporté par votre logiciel "
                "de montage (MP4, MOV, MKV, AVI…)."
            ),
            code="not_video",
        )


def check_uploaded_file(uploaded_file) -> None:
    """Both checks on a file received by a Django form."""
    check_size(uploaded_file.size)
    check_head(read_head(uploaded_file, SNIFF_BYTES))
