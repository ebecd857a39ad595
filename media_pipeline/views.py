"""The film media block's actions (poster, captions, retry, the video upload form), its
polled status, and the signed media files."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.files.storage import default_storage
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from festival.domain import DomainError
from festival.forms.teacher import VideoForm
from festival.models import Film
from festival.rules import get_film_for_teacher, is_film_organizer, teacher_required
from festival.uploads import refuse_oversized
from media_pipeline import delivery, manifest, originals, rules, selectors, storage_io, versions
from media_pipeline.forms import PosterForm, SubtitlesForm
from media_pipeline.models import VideoVersion

logger = logging.getLogger(__name__)


@require_GET
def status(request, pk):
    """The status partial the film page polls while a version is being processed."""
    film = rules.get_film_for_media(request.user, pk)
    # Forms in the partial come back to the page that polls, not to this URL.
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    next_url = page.path + (f"?{page.query}" if page.query else "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = ""
    media = selectors.film_media(film=film, user=request.user, next_url=next_url)
    # Polled until the version is final: once it is ready, the player is swapped in too.
    media.swap_player = media.current is not None and media.current == media.playable
    return render(request, "media_pipeline/_film_media.html#status", {"film": film, "media": media})


def _back(request, film: Film):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = film.get_absolute_url()
    # No #fragment: the message saying what happened is at the top of the page.
    return HttpResponseRedirect(target)


def _playable_or_404(film: Film) -> VideoVersion:
    version = VideoVersion.objects.playable_for(film)
    if version is None:
        raise Http404
    version.film = film
    return version


@require_POST
def choose_poster(request, pk):
    film = rules.get_film_for_media_management(request.user, pk)
    version = _playable_or_404(film)
    form = PosterForm(request.POST, request.FILES, candidates=version.outputs.get("posters") or [])
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return _back(request, film)
    try:
        manifest.choose_poster(
            version=version,
            user=request.user,
            candidate=form.cleaned_data["candidate"],
            image=form.cleaned_data["image"],
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("L'affiche du film est enregistrée."))
    return _back(request, film)


@require_POST
def add_subtitles(request, pk):
    film = rules.get_film_for_media_management(request.user, pk)
    version = _playable_or_404(film)
    form = SubtitlesForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return _back(request, film)
    try:
        manifest.add_subtitles(
            version=version,
            user=request.user,
            uploaded_file=form.cleaned_data["file"],
            language=form.cleaned_data["language"],
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Les sous-titres sont ajoutés au film."))
    return _back(request, film)


@csrf_exempt
@teacher_required
@require_POST
def upload_video(request, pk):
    """The teacher's upload form, for browsers without the resumable upload (tus_views).

    CsrfViewMiddleware reads request.POST, which would receive the whole body before the
    size check: the view is exempted from the middleware only to check the declared size
    first; the token is then checked by csrf_protect before anything is read or saved.
    """
    film = get_film_for_teacher(request.user, pk)
    refused = refuse_oversized(
        request, film, limit=settings.FILMIT_MAX_UPLOAD_BYTES, anchor="video"
    )
    return refused or _receive_video(request, film)


@csrf_protect
def _receive_video(request, film):
    form = VideoForm(request.POST, request.FILES)
    if not form.is_valid():
        for text in form.errors["video"]:
            messages.error(request, text)
        return redirect(f"{film.get_absolute_url()}#video")
    uploaded = form.cleaned_data["video"]
    try:
        originals.attach_original_video(film=film, user=request.user, uploaded_file=uploaded)
    except DomainError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("La vidéo « %(name)s » est reçue : elle va maintenant être préparée pour la lecture.")
            % {"name": film.original_filename},
        )
    return redirect(f"{film.get_absolute_url()}#video")


@require_POST
def retry(request, pk):
    film = rules.get_film_for_media(request.user, pk)
    if not is_film_organizer(request.user, film):
        raise Http404
    version = film.video_versions.order_by("-number").first()
    if version is None:
        raise Http404
    version.film = film
    try:
        versions.retry_version(version=version, user=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Le traitement de la vidéo est relancé."))
    return _back(request, film)


# Signed media files.


@require_http_methods(["GET", "HEAD"])
def media(request, token, path):
    """One file of a version's outputs, for the user the token was issued to."""
    try:
        version_id, prefix = delivery.unsign(token, user=request.user)
    except signing.BadSignature:  # tampered, expired or someone else's
        return HttpResponseForbidden()
    # Every file, every token: a film taken down stops at once (playlists on S3 included,
    # which is where segments are presigned).
    if not delivery.still_watchable(version_id=version_id, prefix=prefix, user=request.user):
        return HttpResponseForbidden()
    path = delivery.clean_path(path)
    if path is None:
        raise Http404
    name = prefix + path
    if storage_io.is_s3(default_storage):
        return _serve_from_s3(request, name=name, prefix=prefix, path=path)
    return _serve_from_disk(request, name=name)


def _serve_from_s3(request, *, name: str, prefix: str, path: str):
    content_type = storage_io.content_type(name)
    if path.endswith((".m3u8", ".vtt")):
        try:
            text = b"".join(storage_io.iter_chunks(name)).decode("utf-8")
        except Exception:  # botocore raises its own NoSuchKey
            raise Http404 from None
        if path.endswith(".m3u8"):
            text = delivery.rewrite_playlist(text, prefix=prefix, path=path)
        response = HttpResponse(text, content_type=content_type)
    else:
        response = HttpResponseRedirect(delivery.presigned_url(name))
    response["Cache-Control"] = "private, no-store"
    return response


def _serve_from_disk(request, *, name: str):
    try:
        size = default_storage.size(name)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        raise Http404 from None
    start, end, code = 0, size - 1, 200
    wanted = delivery.parse_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted:
        (start, end), code = wanted, 206
    if request.method == "HEAD" or size == 0:
        response = HttpResponse(status=code)
    else:
        response = StreamingHttpResponse(
            storage_io.iter_chunks(name, start=start, end=end), status=code
        )
    response["Content-Type"] = storage_io.content_type(name)
    response["Content-Length"] = str(max(0, end - start + 1))
    response["Accept-Ranges"] = "bytes"
    if code == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Cache-Control"] = f"private, max-age={settings.MEDIA_URL_MAX_AGE}"
    return response
