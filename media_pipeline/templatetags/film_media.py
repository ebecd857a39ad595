from django import template

from media_pipeline.selectors import film_media as build

register = template.Library()


@register.simple_tag(takes_context=True)
def film_media(context, film):
    """`{% film_media film as media %}`: what the media block shows to the current user."""
    request = context["request"]
    return build(film=film, user=request.user, next_url=request.get_full_path())
