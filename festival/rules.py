"""Who may see what: every object a user reaches is fetched through these lookups.

A stranger's object is a 404, never a 403: its existence is not leaked either.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from festival.models import Category, ConsentForm, Edition, Festival, Film, Trade, User

# Predicates: the one answer to "may this person…?" for every app.


def is_festival_organizer(user: User, festival_id: int | None) -> bool:
    """Organizer of this festival. Superusers (platform operators) organize every festival:
    deliberately, so that they can step in for a team."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_organizer and festival_id is not None and user.festival_id == festival_id


def is_film_organizer(user: User, film: Film) -> bool:
    return is_festival_organizer(user, film.edition.festival_id)


def is_film_teacher(user: User, film: Film) -> bool:
    return user.is_authenticated and user.is_teacher and film.teacher_id == user.pk


def teacher_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_teacher:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def organizer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_organizer or request.user.festival_id is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def films_for_teacher(user: User):
    return Film.objects.filter(teacher=user)


def get_film_for_teacher(user: User, pk: int) -> Film:
    return get_object_or_404(films_for_teacher(user).select_related("edition", "category"), pk=pk)


def get_consent_for_teacher(user: User, film_pk: int, pk: int) -> ConsentForm:
    return get_object_or_404(
        ConsentForm.objects.select_related("film"), film__teacher=user, film_id=film_pk, pk=pk
    )


def editions_for_organizer(user: User):
    return Edition.objects.filter(festival_id=user.festival_id)


def default_edition_for_organizer(user: User) -> Edition | None:
    """The edition an organizer's pages open on: their festival's current one, else its latest."""
    editions = editions_for_organizer(user).order_by("-year")
    return editions.filter(is_current=True).first() or editions.first()


def get_edition_for_organizer(user: User, pk: int) -> Edition:
    return get_object_or_404(editions_for_organizer(user).select_related("festival"), pk=pk)


def categories_for_organizer(user: User):
    return Category.objects.filter(edition__festival_id=user.festival_id)


def get_category_for_organizer(user: User, pk: int) -> Category:
    return get_object_or_404(categories_for_organizer(user).select_related("edition"), pk=pk)


def trades_for_organizer(user: User):
    """The list of trades is shared by every festival: each organizer sees all of it."""
    return Trade.objects.all()


def editable_trades_for_organizer(user: User):
    """The trades an organizer may rename or delete: the ones their festival added, as long as
    no film of another festival shows them. The common list is the platform operators'."""
    shown_elsewhere = Film.trades.through.objects.exclude(
        film__edition__festival_id=user.festival_id
    ).values("trade_id")
    if user.festival_id is None:
        return Trade.objects.none()
    return Trade.objects.filter(festival_id=user.festival_id).exclude(pk__in=shown_elsewhere)


def get_trade_for_organizer(user: User, pk: int) -> Trade:
    return get_object_or_404(editable_trades_for_organizer(user), pk=pk)


def films_for_organizer(user: User):
    return Film.objects.filter(edition__festival_id=user.festival_id)


def get_film_for_organizer(user: User, pk: int) -> Film:
    return get_object_or_404(
        films_for_organizer(user).select_related(
            "edition", "category", "school", "company", "teacher"
        ),
        pk=pk,
    )


def get_consent_for_organizer(user: User, pk: int) -> ConsentForm:
    return get_object_or_404(
        ConsentForm.objects.select_related("film", "film__teacher"),
        film__edition__festival_id=user.festival_id,
        pk=pk,
    )


def teachers_for_organizer(user: User):
    """Teachers are not bound to one festival: any organizer reviews sign-ups."""
    return User.objects.filter(role="teacher").select_related("school")


def get_teacher_for_organizer(user: User, pk: int) -> User:
    return get_object_or_404(teachers_for_organizer(user), pk=pk)


def current_edition(festival: Festival | None = None) -> Edition | None:
    editions = Edition.objects.filter(is_current=True).select_related("festival")
    if festival is not None:
        editions = editions.filter(festival=festival)
    return editions.order_by("festival_id").first()


def open_editions():
    """Current editions of every festival, the ones a teacher can create a film for."""
    return (
        Edition.objects.filter(is_current=True)
        .select_related("festival")
        .order_by("festival__name")
    )


def file_owner_check(user: User, film: Film) -> bool:
    """Who may download a film's original and consents (teacher, the festival's organizers)."""
    return is_film_organizer(user, film) or is_film_teacher(user, film)


def get_film_for_files(user: User, pk: int) -> Film:
    film = get_object_or_404(Film.objects.select_related("edition"), pk=pk)
    if not file_owner_check(user, film):
        raise Http404
    return film


def get_consent_for_files(user: User, pk: int) -> ConsentForm:
    """A consent form to download: its film's teacher and its festival's organizers."""
    consent = get_object_or_404(ConsentForm.objects.select_related("film__edition"), pk=pk)
    if not file_owner_check(user, consent.film):
        raise Http404
    return consent
