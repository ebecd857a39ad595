"""The "Données personnelles" and "Mentions légales" pages, per festival.

`/donnees-personnelles/` and `/mentions-legales/` belong to the installation: its only
festival's texts when it hosts one, else the default wording alone. Under
`/festivals/<slug>/` they are that festival's. Not kept in the shared page cache: an
organizer's change shows at once.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from festival.domain.privacy import legal_page_context, legal_texts_of
from festival.models import Festival
from festival.selectors_public import first_two_festivals


def _festival(slug: str | None) -> Festival | None:
    if slug is not None:
        return get_object_or_404(Festival, slug=slug)
    festivals = first_two_festivals()
    return festivals[0] if len(festivals) == 1 else None


def _render(request, template: str, slug: str | None):
    festival = _festival(slug)
    context = legal_page_context(festival, legal_texts_of(festival))
    context["page_festival"] = festival
    return render(request, template, context)


@require_GET
def privacy(request, slug=None):
    return _render(request, "public/privacy.html", slug)


@require_GET
def legal_notice(request, slug=None):
    return _render(request, "public/legal_notice.html", slug)
