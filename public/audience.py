"""Counting the public's audience ourselves: no cookie, no third-party service, no address kept.

A visitor of a day is `HMAC(salt of the day, address + user agent)`: the salt is drawn at random
for each day, kept in the database (and the cache) only while the day lasts, and deleted with the
day's hashes by `fold_audience`, which writes the day's unique visitors per edition. Robots, known
by their user agent, are not counted. A film page counts on every request, served from the
shared cache or not (`counted_film_page` wraps `shared_page`), in two queries (an UPDATE … + 1
and an INSERT that ignores a known visitor); the response is left as it is (no cookie, no Vary).

A play is reported by the film page's player once 30 seconds have played
(`static/filmit/audience.js`): at most one per visitor, film and day.
"""

import hashlib
import hmac
import secrets
from datetime import date, datetime, time, timedelta
from functools import wraps

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from festival.film_figures import FilmFigure
from public.models import AudienceSalt, EditionDay, FilmDay, VisitorHash

# Lowercase pieces of the user agents of robots, crawlers, link previews and scripts. An empty
# user agent is a robot too.
BOT_MARKERS = (
    "bot",
    "crawler",
    "spider",
    "slurp",
    "curl",
    "wget",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "scrapy",
    "headlesschrome",
    "phantomjs",
    "lighthouse",
    "facebookexternalhit",
    "embedly",
    "preview",
    "pingdom",
    "uptime",
    "monitor",
    "feedfetcher",
    "validator",
)
PLAY_SECONDS = 30  # the player reports a play after this much real playing time
SALT_KEY = "public:audience:salt:"


def is_bot(user_agent: str) -> bool:
    agent = (user_agent or "").lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def today() -> date:
    return timezone.localdate()


def day_salt(day: date) -> str:
    """The day's salt: drawn once (the first process that needs it stores it), then cached
    until the day ends."""
    key = SALT_KEY + day.isoformat()
    salt = cache.get(key)
    if salt is None:
        row, created = AudienceSalt.objects.get_or_create(
            day=day, defaults={"salt": secrets.token_hex(32)}
        )
        salt = row.salt
        if created:  # a new day: the past days' salts go at once, chore or not
            AudienceSalt.objects.filter(day__lt=day).delete()
        end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        cache.set(key, salt, max(1, int((end - timezone.now()).total_seconds())))
    return salt


def visitor_digest(*, address: str, user_agent: str, day: date) -> str:
    message = f"{address}\n{user_agent}".encode()
    return hmac.new(day_salt(day).encode(), message, hashlib.sha256).hexdigest()


def _visitor(request) -> tuple[str, str] | None:
    """(address, user agent) of a visitor worth counting, else None (a robot, or a browser
    fetching a page ahead in case it is opened)."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    if is_bot(user_agent) or purpose.startswith("prefetch"):
        return None
    return request.META.get("REMOTE_ADDR", ""), user_agent


def _add_one(*, film_id: int, day: date, field: str) -> None:
    """One more view or play: an UPDATE … + 1, the day's first an INSERT."""
    rows = FilmDay.objects.filter(film_id=film_id, day=day)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            FilmDay.objects.create(film_id=film_id, day=day, **{field: 1})
    except IntegrityError:  # another request created it meanwhile
        rows.update(**{field: F(field) + 1})


def count_film_view(*, request, film_id: int, day: date | None = None) -> bool:
    """Count a view of a public film's page; False for a robot."""
    visitor = _visitor(request)
    if visitor is None:
        return False
    day = day or today()
    digest = visitor_digest(address=visitor[0], user_agent=visitor[1], day=day)
    _add_one(film_id=film_id, day=day, field="views")
    VisitorHash.objects.bulk_create(
        [VisitorHash(day=day, film_id=film_id, digest=digest)], ignore_conflicts=True
    )
    return True


def record_play(*, request, film_id: int, day: date | None = None) -> bool:
    """Count a play of a public film, once per visitor, film and day; False when not counted."""
    visitor = _visitor(request)
    if visitor is None:
        return False
    day = day or today()
    digest = visitor_digest(address=visitor[0], user_agent=visitor[1], day=day)
    try:
        with transaction.atomic():
            VisitorHash.objects.create(day=day, film_id=film_id, digest=digest, play=True)
    except IntegrityError:  # this visitor's play of the film is already counted today
        return False
    _add_one(film_id=film_id, day=day, field="plays")
    return True


def counted_film_page(view):
    """Count every GET of a film page answered 200, from the shared cache or not."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            count_film_view(request=request, film_id=kwargs["pk"])
        return response

    return wrapper


def fold_audience(*, day: date | None = None) -> dict:
    """Fold the days before `day` (today): unique visitors per edition, then delete the days'
    hashes and salts, which makes them impossible to recompute. Returns what it did."""
    day = day or today()
    past = VisitorHash.objects.filter(day__lt=day)
    counts = (
        past.filter(play=False)
        .values("day", "film__edition_id")
        .annotate(visitors=Count("digest", distinct=True))
        .order_by()
    )
    folded = 0
    with transaction.atomic():
        for row in counts:
            edition_id, visitors = row["film__edition_id"], row["visitors"]
            rows = EditionDay.objects.filter(edition_id=edition_id, day=row["day"])
            if not rows.update(visitors=F("visitors") + visitors):
                EditionDay.objects.create(edition_id=edition_id, day=row["day"], visitors=visitors)
            folded += 1
        hashes = past.delete()[0]
        old_salts = list(AudienceSalt.objects.filter(day__lt=day).values_list("day", flat=True))
        AudienceSalt.objects.filter(day__lt=day).delete()
    cache.delete_many([SALT_KEY + old.isoformat() for old in old_salts])
    return {"edition_days": folded, "hashes": hashes, "salts": len(old_salts)}


def film_figures(*, film) -> list[FilmFigure]:
    """A film's audience for its organizers' page (one query); none before its first view."""
    totals = FilmDay.objects.filter(film=film).aggregate(views=Sum("views"), plays=Sum("plays"))
    if totals["views"] is None:
        return []
    return [
        FilmFigure(_("Vues de sa page publique"), totals["views"]),
        FilmFigure(_("Lectures de 30 secondes et plus"), totals["plays"]),
    ]
