"""The gallery's cache: rendered fragments named after a version that every change bumps.

What the gallery shows depends on films, their consents, videos, trades, schools, companies,
categories and editions, on published palmarès and on each edition's gallery setting. Any
save or deletion of those (and any change of a film's trades) stores a new version, so the
next request renders afresh. Versions are stored in the cache itself: with several processes,
CACHE_URL (Redis) shares them, and a change shows everywhere at the next request; with each
process's own memory, other processes show it once their fragments expire (GALLERY_CACHE_SECONDS
at most). Nothing is kept longer than a tenth of a signed media URL's lifetime, so a poster
link served from the cache has most of its life left.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from festival.models import Category, Company, ConsentForm, Edition, Film, School, Trade
from judging.models_results import Publication, ResultsSettings
from media_pipeline.models import VideoVersion

VERSION_KEY = "public:gallery:version"
WATCHED = (
    Film,
    ConsentForm,
    VideoVersion,
    Trade,
    School,
    Company,
    Category,
    Edition,
    Publication,
    ResultsSettings,
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
