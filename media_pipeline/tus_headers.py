"""The tus 1.0 request headers a client sends, parsed; a malformed one is a 400."""

import base64
import binascii

from django.utils.translation import gettext as _

from media_pipeline.tus import CHECKSUM_ALGORITHMS, UploadError


def parse_metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated "key base64(value)" pairs, the value optional."""
    metadata = {}
    for pair in header.split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _sep, encoded = pair.partition(" ")
        if not key or " " in encoded.strip() or key in metadata:
            raise UploadError(400, _("En-tête Upload-Metadata invalide."))
        try:
            value = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise UploadError(400, _("En-tête Upload-Metadata invalide.")) from None
        metadata[key] = value
    return metadata


def parse_checksum(header: str) -> tuple[str, bytes]:
    """Upload-Checksum: "algorithm base64(digest)"."""
    algorithm, _sep, encoded = header.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise UploadError(400, _("Algorithme de somme de contrôle non pris en charge."))
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise UploadError(400, _("En-tête Upload-Checksum invalide.")) from None
    return algorithm, digest


def parse_size(value: str | None, header: str) -> int:
    if value is None or not value.isascii() or not value.isdigit():
        raise UploadError(
            400, _("L'en-tête %(header)s doit être un nombre entier positif.") % {"header": header}
        )
    return int(value)
