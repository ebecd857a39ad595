"""The film media block (status, player, poster, captions) and the signed media files."""

import logging
from dataclasses import dataclass
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
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from festival.domain import DomainError
from festival.models import Film, User
from festival.rules import is_film_organizer
from media_pipeline import delivery, domain, ladder, storage_io
from media_pipeline.forms import PosterForm, SubtitlesForm
from media_pipeline.models import VideoStatus, VideoVersion

logger = logging.getLogger(__name__)


# Permission-scoped lookups: a film the user may not see is a 404.


def get_film_for_media(user: User, pk: int) -> Film:
    film = get_object_or_404(Film.objects.select_related("edition", "category"), pk=pk)
    if not delivery.can_watch(user, film):
        raise Http404
    return film


def get_film_for_media_management(user: User, pk: int) -> Film:
    film = get_film_for_media(user, pk)
    if not domain.can_manage(user=user, film=film):
        raise Http404
    return film


@dataclass
class FilmMedia:
    """Everything the media block of a film page shows, for one user."""

    film: Film
    current: VideoVersion | None
    playable: VideoVersion | None
    sources: delivery.Sources | None
    can_manage: bool
    can_retry: bool
    poster_form: PosterForm | None = None
    subtitles_form: SubtitlesForm | None = None
    swap_player: bool = False
    next_url: str = ""  # where the block's forms come back to: the page that shows it

    @property
    def polling(self) -> bool:
        return self.current is not None and self.current.is_pending

    @property
    def waiting_for_new(self) -> bool:
        """A newer upload is not (yet) the one playing."""
        return self.current is not None and self.current != self.playable


def film_media(*, film: Film, user: User, next_url: str = "") -> FilmMedia | None:
    if not delivery.can_watch(user, film):
        return None
    versions = list(film.video_versions.order_by("-number"))
    current = versions[0] if versions else None
    # VideoVersion.objects.playable(), read from the versions at hand: one query for the block.
    playable = next((v for v in versions if v.status == VideoStatus.READY), None)
    if playable is not None:
        playable.film = film
    can_manage = domain.can_manage(user=user, film=film)
    media = FilmMedia(
        film=film,
        current=current,
        playable=playable,
        sources=delivery.sources(version=playable, user=user) if playable else None,
        can_manage=can_manage,
        next_url=next_url,
        can_retry=(
            current is not None
            and (
                current.status in (VideoStatus.FAILED, VideoStatus.REJECTED)
                or (current == playable and current.ladder_status in ladder.RETRYABLE)
            )
            and is_film_organizer(user, film)
        ),
    )
    if can_manage and playable is not None:
        media.poster_form = PosterForm(candidates=playable.outputs.get("posters") or [])
        media.subtitles_form = SubtitlesForm()
    return media


@require_GET
def status(request, pk):
    """The status partial the film page polls while a version is being processed."""
    film = get_film_for_media(request.user, pk)
    # Forms in the partial come back to the page that polls, not to this URL.
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    next_url = page.path + (f"?{page.query}" if page.query else "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = ""
    media = film_media(film=film, user=request.user, next_url=next_url)
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
    film = get_film_for_media_management(request.user, pk)
    version = _playable_or_404(film)
    form = PosterForm(request.POST, request.FILES, candidates=version.outputs.get("posters") or [])
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return _back(request, film)
    try:
        domain.choose_poster(
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
    film = get_film_for_media_management(request.user, pk)
    version = _playable_or_404(film)
    form = SubtitlesForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return _back(request, film)
    try:
        domain.add_subtitles(
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


@require_POST
def retry(request, pk):
    film = get_film_for_media(request.user, pk)
    if not is_film_organizer(request.user, film):
        raise Http404
    version = film.video_versions.order_by("-number").first()
    if version is None:
        raise Http404
    version.film = film
    try:
        domain.retry_version(version=version, user=request.user)
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
        prefix = delivery.unsign(token, user=request.user)
    except signing.BadSignature:  # tampered, expired or someone else's
        return HttpResponseForbidden()
    if not request.user.is_authenticated and not delivery.prefix_is_public(prefix):
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
