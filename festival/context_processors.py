from festival.navigation import menu_section
from festival.rules import current_edition


def festival(request):
    """The current edition, for the header and footer of every page, and for organizers the
    section of their menu the page belongs to."""
    context = {"current_edition": current_edition()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_organizer:
        match = request.resolver_match
        context["menu_section"] = menu_section(match.view_name if match else None)
    return context
