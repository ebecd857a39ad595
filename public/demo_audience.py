"""The demo's audience figures: a few weeks of daily counters for every edition, past and
current, so that the impact report has something to compare (public.impact)."""

import random
from datetime import timedelta

from django.utils import timezone

from festival.models import Edition, Film
from judging.rules import ELIGIBLE_FILM_STATUSES
from public.models import EditionDay, FilmDay

DAYS = 28


def load_audience_demo() -> int:
    """Counters for each edition's entries: the weeks after a past edition's ceremony, the weeks
    up to yesterday for a current one. Returns the number of film days written."""
    randomness = random.Random(13)
    today = timezone.localdate()
    film_days, edition_days = [], []
    for edition in Edition.objects.order_by("festival_id", "year"):
        films = list(Film.objects.filter(edition=edition).filter(status__in=ELIGIBLE_FILM_STATUSES))
        if not films:
            continue
        ceremony = timezone.localdate(edition.ceremony_at)
        first = ceremony if ceremony < today - timedelta(days=DAYS) else today - timedelta(DAYS)
        # A past edition's audience grew with the years: more interest, more visitors.
        reach = 1 + (edition.year % 5) / 4
        for offset in range(DAYS):
            day = first + timedelta(days=offset)
            fading = 1.6 if offset < 4 else 1 / (1 + offset / 10)  # the ceremony's days first
            total = 0
            for film in films:
                views = int(randomness.randint(2, 14) * fading * reach)
                plays = int(views * randomness.uniform(0.3, 0.6))
                film_days.append(FilmDay(film=film, day=day, views=views, plays=plays))
                total += views
            visitors = int(total * randomness.uniform(0.45, 0.65))
            edition_days.append(EditionDay(edition=edition, day=day, visitors=visitors))
    FilmDay.objects.bulk_create(film_days)
    EditionDay.objects.bulk_create(edition_days)
    return len(film_days)
