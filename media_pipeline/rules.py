"""Who may reach a film's media: every film a view works on is fetched through these lookups.

A stranger's film is a 404, never a 403. Who may watch a film is `delivery.can_watch()`,
the rule that also guards every signed media file.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from festival.domain.films import check_editable
from festival.models import Film, User
from festival.rules import file_owner_check, is_film_organizer, is_film_teacher
from media_pipeline.delivery import can_watch


def can_manage_media(user: User, film: Film) -> bool:
    """Teacher of the film or organizer of its festival: may pick the poster, add captions."""
    return user.is_authenticated and file_owner_check(user, film)


def get_film_for_media(user: User, pk: int) -> Film:
    film = get_object_or_404(Film.objects.select_related("edition", "category"), pk=pk)
    if not can_watch(user, film):
        raise Http404
    return film


def get_film_for_media_management(user: User, pk: int) -> Film:
    film = get_film_for_media(user, pk)
    if not can_manage_media(user, film):
        raise Http404
    return film


def film_for_upload(user: User, film_id: int) -> Film:
    """The film this user may send a video for: 404 for a stranger, DomainError if it is closed.

    Its festival's organizers may replace a film's video at any time; its teacher while the
    film is editable.
    """
    film = get_object_or_404(Film.objects.select_related("edition", "category"), pk=film_id)
    if is_film_organizer(user, film):
        return film
    if is_film_teacher(user, film):
        check_editable(film)
        return film
    raise Http404
