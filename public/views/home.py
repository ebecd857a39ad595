"""The public face of the festivals: the list of festivals an installation hosts, and each
festival's home. With a single festival, `/` is that festival's home."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from festival.calendar import calendar_filename, edition_calendar, open_ceremony
from festival.enums import EditionPhase
from festival.models import Edition, Festival
from festival.rules import current_edition
from festival.selectors_public import (
    editions_with_public_calendar,
    festivals_with_current_edition,
)
from judging.selectors_selection import announced_round
from public.selectors import latest_publication, palmares_sections, public_posters, with_posters

# The home page shows this many awards of the latest palmarès; the palmarès page has them all.
HOME_AWARDS = 6


@dataclass(frozen=True)
class Step:
    """One stage of an edition's calendar, as the home page shows it."""

    label: str
    start: datetime
    end: datetime | None = None
    phase: EditionPhase | None = None
    current: bool = False


def edition_timeline(edition: Edition, phase: EditionPhase) -> list[Step]:
    steps = [
        Step(
            _("Dépôt des films"),
            edition.submissions_open_at,
            edition.submissions_close_at,
            EditionPhase.SUBMISSIONS,
        ),
        Step(
            _("Vérification des films par l'organisation"),
            edition.submissions_close_at,
            edition.judging_start_at,
            EditionPhase.SCREENING,
        ),
        Step(
            _("Évaluation par le jury"),
            edition.judging_start_at,
            edition.judging_end_at,
            EditionPhase.JUDGING,
        ),
        Step(_("Délibération du jury"), edition.deliberation_at, phase=EditionPhase.DELIBERATION),
        Step(_("Remise des prix"), edition.ceremony_at),
    ]
    if edition.palmares_published_at:
        steps.append(
            Step(
                _("Publication du palmarès"),
                edition.palmares_published_at,
                phase=EditionPhase.PUBLISHED,
            )
        )
    return [Step(s.label, s.start, s.end, s.phase, current=s.phase == phase) for s in steps]


def duration_label(value: timedelta) -> str:
    minutes, seconds = divmod(int(value.total_seconds()), 60)
    if seconds:
        return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": seconds}
    return _("%(minutes)d min") % {"minutes": minutes}


def latest_palmares(user, festival: Festival | None = None) -> dict | None:
    """The palmarès published last (of `festival` if given), its awards with their posters:
    four queries."""
    publication = latest_publication(festival)
    if publication is None:
        return None
    edition = publication.edition
    posters = public_posters(edition, publication, user)
    sections = with_posters(palmares_sections(publication, set(posters)), posters)
    awards = [a for c in sections["categories"] for a in c["awards"]] + sections["specials"]
    return {
        "edition": edition,
        "title": (sections["snapshot"].get("edition") or {}).get("title") or edition.title,
        "awards": awards[:HOME_AWARDS],
        "more": len(awards) > HOME_AWARDS,
    }


@dataclass(frozen=True)
class FestivalCard:
    """A festival as the festivals list shows it: its current edition's phase and dates."""

    festival: Festival
    edition: Edition | None
    phase: EditionPhase | None


def home(request):
    """`/`: the festivals when the installation hosts several, else its only festival's home."""
    festivals = festivals_with_current_edition()
    if len(festivals) > 1:
        now = timezone.now()
        cards = [
            FestivalCard(f, f.current_edition, EditionPhase(f.current_edition.phase(now)))
            if f.current_edition
            else FestivalCard(f, None, None)
            for f in festivals
        ]
        # An installation-wide page: the header and footer name the platform.
        context = {"festivals": cards, "page_festival": None}
        return render(request, "public/festivals.html", context)
    festival = festivals[0] if festivals else None
    edition = festival.current_edition if festival else None
    return festival_page(request, festival, edition, several_festivals=False)


def festival_home(request, slug):
    festival = get_object_or_404(Festival, slug=slug)
    return festival_page(request, festival, current_edition(festival))


def festival_page(request, festival: Festival | None, edition: Edition | None, **extra):
    """A festival's home: its current edition, calendar, categories, latest palmarès."""
    context = extra | {
        "festival": festival,
        "edition": edition,
        "palmares": latest_palmares(request.user, festival) if festival else None,
        "page_festival": festival,
        "page_edition": edition,
    }
    if edition is not None:
        now = timezone.now()
        phase = edition.phase(now)
        context |= {
            "phase": EditionPhase(phase),
            "timeline": edition_timeline(edition, phase),
            # Reverse lookups reuse `edition`: one query whatever the number of categories.
            "categories": [
                (category, duration_label(category.effective_max_duration))
                for category in edition.categories.all()
            ],
            "submissions_open": edition.submissions_are_open(now),
            "ceremony": open_ceremony(edition),
            "finalists_round": announced_round(edition),
        }
    return render(request, "public/home.html", context)


@require_GET
def edition_calendar_file(request, slug, year):
    """The edition's calendar (.ics) for the visitor's agenda, named in their language."""
    edition = get_object_or_404(
        editions_with_public_calendar().select_related("festival"),
        festival__slug=slug,
        year=year,
    )
    ceremony = open_ceremony(edition)
    content = edition_calendar(
        edition,
        domain=request.get_host().split(":")[0],
        url=request.build_absolute_uri(reverse("public:festival", args=[slug])),
        ceremony=ceremony,
        ceremony_url=request.build_absolute_uri(reverse("public:ceremony", args=[slug, year]))
        if ceremony
        else "",
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(edition)}"'
    return response
