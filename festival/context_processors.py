from django.utils.functional import SimpleLazyObject

# The installation's name, shown where a page belongs to no festival in particular.
from festival.domain.privacy import PLATFORM_NAME
from festival.navigation import menu_section
from festival.rules import current_edition
from festival.selectors_public import first_two_festivals


def festival(request):
    """The festival of the page for the header and footer, and for organizers the section of
    their menu the page belongs to.

    A view names its page's festival by putting `page_festival` in its context, which wins
    over the default below; `page_edition` likewise. Without it, the page belongs to the
    installation: to its only festival if there is one, else to none (the platform name shows).
    Every default is lazy: a page that never reads one costs no query.
    """
    # Read at most once per page, by whichever of the two defaults is read first.
    festivals = SimpleLazyObject(first_two_festivals)
    context = {
        "platform_name": PLATFORM_NAME,
        "page_festival": SimpleLazyObject(lambda: festivals[0] if len(festivals) == 1 else None),
        "page_edition": None,
        "several_festivals": SimpleLazyObject(lambda: len(festivals) > 1),
        # Read by the account pages (their festival's contact).
        "current_edition": SimpleLazyObject(current_edition),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_organizer:
        match = request.resolver_match
        context["menu_section"] = menu_section(match.view_name if match else None)
    return context
