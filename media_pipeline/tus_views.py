"""The tus 1.0 endpoints for a film's original video: any tus client works, not only ours.

Authentication is the session. Every request that changes something also carries the CSRF
token in the X-CSRFToken header (tus clients send no form): the CSRF middleware, and
csrf_protect here should it ever be removed, refuse the rest, cross-site requests included.
Bodies are read from the request a chunk at a time, never through request.body.
"""

import base64
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from festival.domain import DomainError
from media_pipeline import tus, tus_headers
from media_pipeline.rules import film_for_upload
from media_pipeline.tus import COMPLETED, RECEIVING, REJECTED, TUS_VERSION, UploadError

logger = logging.getLogger(__name__)

# Methods a client behind a proxy that only lets GET and POST through may ask for.
OVERRIDABLE_METHODS = {"PATCH", "DELETE", "HEAD"}


def _method(request) -> str:
    override = request.headers.get("X-HTTP-Method-Override", "").strip().upper()
    if request.method == "POST" and override in OVERRIDABLE_METHODS:
        return override
    return request.method


def _response(status: int = 204, message: str = "", *, headers=None, reason=None) -> HttpResponse:
    response = HttpResponse(
        message if status != 204 else "",
        status=status,
        reason=reason,
        content_type="text/plain; charset=utf-8",
    )
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(error: UploadError) -> HttpResponse:
    return _response(error.status, error.message, reason=error.reason or None)


def _options() -> HttpResponse:
    return _response(
        204,
        headers={
            "Tus-Version": TUS_VERSION,
            "Tus-Extension": ",".join(tus.EXTENSIONS),
            "Tus-Max-Size": str(settings.FILMIT_MAX_UPLOAD_BYTES),
            "Tus-Checksum-Algorithm": ",".join(tus.CHECKSUM_ALGORITHMS),
        },
    )


def _refusal(request) -> HttpResponse | None:
    """The protocol version, then the session: checked before anything else."""
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _response(
            412,
            _("Version du protocole tus non prise en charge."),
            headers={"Tus-Version": TUS_VERSION},
        )
    if not request.user.is_authenticated:
        return _response(403, _("Connectez-vous pour envoyer une vidéo."))
    return None


def _content_length(request) -> int:
    return tus_headers.parse_size(request.META.get("CONTENT_LENGTH") or "0", "Content-Length")


def _checksum(request) -> tuple[str, bytes] | None:
    header = request.headers.get("Upload-Checksum")
    return tus_headers.parse_checksum(header) if header else None


def _upload_headers(upload: tus.Upload) -> dict[str, str]:
    return {
        "Upload-Offset": str(upload.received()),
        "Upload-Expires": http_date(upload.expires_at.timestamp()),
    }


def _own_upload(request, upload_id: str, *, live: bool = True) -> tus.Upload:
    """The request user's upload; a stranger's is a 404. `live`: refuse expired and refused ones."""
    upload = tus.get_upload(upload_id)
    if upload is None or upload.user_id != request.user.pk:
        raise UploadError(404)
    if live:
        if upload.is_expired():
            tus.discard_if_expired(upload_id)
        _check_live(upload)
    return upload


def _check_live(upload: tus.Upload) -> None:
    if upload.is_expired():
        raise UploadError(410, _("Cet envoi a expiré : recommencez-le depuis le début."))
    if upload.state == REJECTED:
        raise UploadError(410, upload.message)


def _receive(request, upload: tus.Upload, *, content_length: int, checksum) -> HttpResponse | None:
    """Append the body, the lock held; finish the upload when it is complete."""
    try:
        tus.append(upload, request.read, content_length=content_length, checksum=checksum)
    except tus.UploadInterrupted:
        logger.info("tus upload %s interrupted at %s bytes", upload.id, upload.offset)
        return _response(
            400,
            _("L'envoi a été interrompu : il reprendra là où il s'est arrêté."),
            headers=_upload_headers(upload),
        )
    if upload.state == RECEIVING and upload.offset == upload.length:
        _finish(request, upload)
    return None


def _finish(request, upload: tus.Upload) -> None:
    try:
        film = film_for_upload(request.user, upload.film_id)
    except Http404:
        tus.mark(upload, REJECTED, _("Vous ne pouvez plus envoyer de vidéo pour ce film."))
        raise UploadError(404) from None
    except DomainError as error:
        message = error.text
        tus.mark(upload, REJECTED, message)
        raise UploadError(409, message) from None
    try:
        tus.finish_upload(upload=upload, film=film, user=request.user)
    except DomainError as error:
        raise UploadError(422, error.text) from None


@csrf_protect
def uploads(request):
    """The collection: OPTIONS tells what the server does, POST creates an upload."""
    method = _method(request)
    if method == "OPTIONS":
        return _options()
    if method != "POST":
        return _response(405, headers={"Allow": "OPTIONS, POST"})
    refused = _refusal(request)
    if refused:
        return refused
    try:
        return _create(request)
    except UploadError as error:
        return _error(error)


def _create(request) -> HttpResponse:
    if "Upload-Defer-Length" in request.headers:
        raise UploadError(
            400, _("La taille du fichier doit être annoncée dès le début de l'envoi.")
        )
    length = tus_headers.parse_size(request.headers.get("Upload-Length"), "Upload-Length")
    metadata = tus_headers.parse_metadata(request.headers.get("Upload-Metadata", ""))
    film_id = metadata.get("film", "")
    if not (film_id.isascii() and film_id.isdigit()):
        raise UploadError(400, _("Indiquez le film auquel cette vidéo est destinée."))
    try:
        film = film_for_upload(request.user, int(film_id))
    except Http404:
        raise UploadError(404) from None
    except DomainError as error:
        raise UploadError(409, error.text) from None
    content_length = _content_length(request)
    if content_length and request.content_type != tus.OFFSET_CONTENT_TYPE:
        raise UploadError(415, _("Type de contenu attendu : application/offset+octet-stream."))
    checksum = _checksum(request)
    upload = tus.create_upload(
        film_id=film.pk,
        user_id=request.user.pk,
        length=length,
        filename=metadata.get("filename", ""),
        filetype=metadata.get("filetype", ""),
    )
    location = request.build_absolute_uri(reverse("tus:upload", args=[upload.id]))
    if content_length:  # creation-with-upload
        with tus.locked(upload.id) as upload:
            try:
                _receive(request, upload, content_length=content_length, checksum=checksum)
            except UploadError as error:
                if error.status == 460:  # nothing usable came: the client starts again
                    tus.delete_upload(upload)
                raise
    return _response(201, headers={"Location": location, **_upload_headers(upload)})


@csrf_protect
def upload(request, upload_id):
    """One upload: HEAD tells its offset, PATCH appends to it, DELETE abandons it."""
    method = _method(request)
    if method == "OPTIONS":
        return _options()
    if method == "GET":
        return _status(request, upload_id)
    if method not in ("HEAD", "PATCH", "DELETE"):
        return _response(405, headers={"Allow": "OPTIONS, HEAD, PATCH, DELETE, GET"})
    refused = _refusal(request)
    if refused:
        return refused
    try:
        if method == "HEAD":
            return _head(request, upload_id)
        if method == "PATCH":
            return _patch(request, upload_id)
        return _delete(request, upload_id)
    except UploadError as error:
        return _error(error)


def _head(request, upload_id) -> HttpResponse:
    upload = _own_upload(request, upload_id)
    metadata = {"filename": upload.filename, "filetype": upload.filetype, "film": upload.film_id}
    return _response(
        200,
        headers={
            **_upload_headers(upload),
            "Upload-Length": str(upload.length),
            "Upload-Metadata": ",".join(
                f"{key} {base64.b64encode(str(value).encode()).decode()}"
                for key, value in metadata.items()
            ),
        },
    )


def _patch(request, upload_id) -> HttpResponse:
    _own_upload(request, upload_id)
    if request.content_type != tus.OFFSET_CONTENT_TYPE:
        raise UploadError(415, _("Type de contenu attendu : application/offset+octet-stream."))
    offset = tus_headers.parse_size(request.headers.get("Upload-Offset"), "Upload-Offset")
    content_length = _content_length(request)
    checksum = _checksum(request)
    with tus.locked(upload_id) as upload:
        _check_live(upload)
        if offset != upload.offset:
            raise UploadError(
                409,
                _("Décalage inattendu : le serveur a reçu %(offset)s octets.")
                % {"offset": upload.offset},
            )
        if upload.state == COMPLETED:
            if content_length:
                raise UploadError(413, _("Ce morceau dépasse la taille annoncée du fichier."))
        else:
            interrupted = _receive(
                request, upload, content_length=content_length, checksum=checksum
            )
            if interrupted:
                return interrupted
    return _response(204, headers=_upload_headers(upload))


def _delete(request, upload_id) -> HttpResponse:
    _own_upload(request, upload_id, live=False)
    with tus.locked(upload_id) as upload:
        tus.delete_upload(upload)
    logger.info("tus upload %s deleted by its user", upload_id)
    return _response(204)


def _status(request, upload_id) -> HttpResponse:
    """Not part of tus: how an upload ended, for a page that reloads after a refusal."""
    if not request.user.is_authenticated:
        return _response(403, _("Connectez-vous pour envoyer une vidéo."))
    try:
        upload = _own_upload(request, upload_id, live=False)
    except UploadError as error:
        return _error(error)
    response = JsonResponse(
        {
            "state": upload.state,
            "offset": upload.offset,
            "length": upload.length,
            "message": upload.message,
            "expired": upload.is_expired(),
        }
    )
    response["Cache-Control"] = "no-store"
    return response
