"""Festival-level reads for the public site: which festivals the installation hosts and what
each one runs now. Kept apart from `festival.rules` (permissions) since nothing here is scoped
to a user: every festival and its current edition are public."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from festival.models import Edition, Festival, load_palmares_dates


def festivals_with_current_edition() -> list[Festival]:
    """Every festival by name, each with `current_edition` (its edition marked current, or None,
    its palmarès date read): three queries whatever the number of festivals."""
    current = Prefetch(
        "editions", queryset=Edition.objects.filter(is_current=True), to_attr="current_editions"
    )
    festivals = list(Festival.objects.order_by("name", "pk").prefetch_related(current))
    for festival in festivals:
        festival.current_edition = next(iter(festival.current_editions), None)
    load_palmares_dates([f.current_edition for f in festivals if f.current_edition])
    return festivals


def first_two_festivals() -> list[Festival]:
    """At most two festivals: enough to tell whether the installation hosts one, none or
    several, in one query.

    With a single festival every page is that festival's, so a page that names no festival
    of its own can still show it (the behaviour of single-festival installations)."""
    return list(Festival.objects.order_by("pk")[:2])


def editions_with_public_calendar(now=None):
    """The editions whose calendar anyone may download: the current ones and those whose
    submissions have opened. Next year's, prepared early with dates still to confirm, stays
    unpublished until it becomes current."""
    now = now or timezone.now()
    return Edition.objects.filter(Q(is_current=True) | Q(submissions_open_at__lte=now))
