"""The festival an organizer's pages show, and the others they may switch to."""

from django import template

from festival.enums import Role
from festival.rules import organized_festivals

register = template.Library()


@register.simple_tag(takes_context=True)
def working_festivals(context):
    """The organizer's festivals, the one their pages show first; empty for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_organizer:
        return []
    if user.is_superuser:
        pairs = organized_festivals(user).order_by("name").values_list("pk", "name")
    else:
        # Read with the memberships already: no query of its own.
        pairs = sorted(user.festival_names(Role.ORGANIZER).items(), key=lambda pair: pair[1])
    festivals = [{"pk": pk, "name": name} for pk, name in pairs]
    festivals.sort(key=lambda festival: festival["pk"] != user.festival_id)
    return festivals
