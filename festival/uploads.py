"""First checks on uploaded files, before anything is stored.

The media pipeline probes videos for real with ffprobe; here we only refuse what is
obviously not a video (or not a consent form) and what is over the size limit, reading
the first bytes of the upload, never the whole file.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from festival.domain import DomainError

SNIFF_BYTES = 64


def read_head(uploaded_file, size: int = SNIFF_BYTES) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(size)
    uploaded_file.seek(0)
    return head


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


def check_video_upload(uploaded_file) -> None:
    limit = settings.FILMIT_MAX_UPLOAD_BYTES
    if uploaded_file.size == 0:
        raise DomainError(_("Le fichier envoyé est vide."), code="empty")
    if uploaded_file.size > limit:
        raise DomainError(
            _("Ce fichier pèse %(size)s : la taille maximale est de %(limit)s.")
            % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if not looks_like_video(read_head(uploaded_file)):
        raise DomainError(
            _(
                "Ce fichier n'est pas une vidéo. Envoyez le film exporté par votre logiciel "
                "de montage (MP4, MOV, MKV, AVI…)."
            ),
            code="not_video",
        )


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
