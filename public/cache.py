"""The gallery's cache: rendered fragments named after a version that every change bumps.

What the gallery shows depends on films, their consents, videos, trades (and the training links
of the trades' pages), schools, companies, categories and editions, on published palmarès and
on each edition's gallery setting. Any save or deletion of those (and any change of a film's
trades) stores a new version, so the next request renders afresh. Versions are stored in the
cache itself: with several processes, CACHE_URL (Redis) shares them, and a change shows
everywhere at the next request; with each process's own memory, other processes show it once
their fragments expire (GALLERY_CACHE_SECONDS at most). Nothing is kept longer than a tenth of a
signed media URL's lifetime, so a poster link served from the cache has most of its life left.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from festival.models import (
    Category,
    Ceremony,
    Company,
    ConsentForm,
    Edition,
    Festival,
    Film,
    School,
    Trade,
    TrainingLink,
)
from judging.models_results import Publication, ResultsSettings
from media_pipeline.models import VideoVersion

VERSION_KEY = "public:gallery:version"
WATCHED = (
    Festival,
    Film,
    ConsentForm,
    VideoVersion,
    Trade,
    TrainingLink,
    School,
    Company,
    Category,
    Edition,
    Publication,
    ResultsSettings,
    Ceremony,
)


def cache_seconds() -> int:
    return max(0, min(60, settings.MEDIA_URL_MAX_AGE // 10))


def gallery_version() -> int:
    """The current version; a new one (never reused: a clock reading) if the cache lost it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        # add(): two processes starting at once agree on the first one stored.
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY, version)
    return version


def bump_gallery_version(**_kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def connect_signals() -> None:
    """Called once, by PublicConfig.ready()."""
    for model in WATCHED:
        uid = f"public.gallery.{model._meta.label_lower}"
        post_save.connect(bump_gallery_version, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(bump_gallery_version, sender=model, dispatch_uid=uid + ".delete")
    m2m_changed.connect(
        bump_gallery_version, sender=Film.trades.through, dispatch_uid="public.gallery.trades"
    )


# Whole pages for visitors who are nobody in particular.

PAGE_PREFIX = "public:page"


def is_shareable_request(request) -> bool:
    """A GET with neither session nor messages cookie: an anonymous visitor with nothing pending.

    Without a session cookie nobody is signed in and no message waits in a session; without the
    messages cookie none waits in the browser. Such a visitor sees exactly what the next one sees.
    """
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _page_key(request) -> str:
    # The host and scheme: pages carry absolute links (canonical, feeds, sharing).
    return ":".join(
        (
            PAGE_PREFIX,
            str(gallery_version()),
            request.LANGUAGE_CODE,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
        )
    )


def shared_page(view):
    """Serve the page rendered for the previous anonymous visitor, while nothing has changed.

    The key holds the gallery's version (any change to what public pages show bumps it), the
    language, the host and the full path with its query. A page is kept only when it is a 200
    that asks for no cookie: one that rendered a form's CSRF token (a vote form, say) is never
    shared, since the token belongs to its visitor. Signed media links in a shared page are the
    anonymous visitor's, the same for everyone, and kept no longer than the fragments are.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = cache_seconds()
        if not seconds or not is_shareable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Set-Cookie")
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
