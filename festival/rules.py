"""Who may see what: every object a user reaches is fetched through these lookups.

A stranger's object is a 404, never a 403: its existence is not leaked either.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from festival.enums import Role
from festival.models import (
    CallForEntries,
    Category,
    Company,
    CompanyContact,
    ConsentForm,
    Edition,
    Festival,
    Film,
    FilmTransfer,
    Membership,
    School,
    SchoolDataRequest,
    Trade,
    User,
    VolunteerCompany,
)

# Predicates: the one answer to "may this person…?" for every app.


def is_festival_organizer(user: User, festival_id: int | None) -> bool:
    """Organizer of this festival. Superusers (platform operators) organize every festival:
    deliberately, so that they can step in for a team."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.is_organizer
        and festival_id is not None
        and festival_id in user.festival_ids(Role.ORGANIZER)
    )


def is_film_organizer(user: User, film: Film) -> bool:
    return is_festival_organizer(user, film.edition.festival_id)


def is_film_teacher(user: User, film: Film) -> bool:
    """The film's teacher, still approved by the film's festival: a refusal there closes the
    film to them, a refusal elsewhere changes nothing."""
    return (
        user.is_authenticated
        and film.teacher_id == user.pk
        and user.is_teacher
        and film.edition.festival_id in user.festival_ids(Role.TEACHER)
    )


def is_forwarded_film_teacher(user: User, film: Film) -> bool:
    """The teacher of a film forwarded to another festival's edition (a national final), still
    approved by the festival it comes from: they see it there, even without being a member of
    that festival, and change nothing of it (only `is_film_teacher` acts on a film)."""
    return (
        user.is_authenticated
        and film.teacher_id == user.pk
        and film.forwarded_from_id is not None
        and user.is_teacher
        and Film.objects.filter(
            pk=film.forwarded_from_id,
            edition__festival_id__in=user.festival_ids(Role.TEACHER),
        ).exists()
    )


def is_offered_to_organizer(user: User, film: Film) -> bool:
    """An organizer of a festival this film is offered to and who has not answered yet: they
    watch it and read its consents before deciding."""
    if not user.is_authenticated or not user.is_active or not user.is_organizer:
        return False
    festivals = FilmTransfer.objects.filter(film=film, state="offered").values_list(
        "target_edition__festival_id", flat=True
    )
    return any(is_festival_organizer(user, festival_id) for festival_id in festivals)


def organized_festivals(user: User):
    """The festivals an organizer may switch to (every festival for platform operators)."""
    if user.is_superuser:
        return Festival.objects.all()
    return Festival.objects.filter(pk__in=user.festival_ids(Role.ORGANIZER))


def working_festival(user: User) -> int | None:
    """The festival whose organizer pages this person sees: the one they chose, if they still
    organize it, else the first of theirs (kept in memory for the request: a GET never
    writes)."""
    if user.is_superuser and user.festival_id is not None:
        return user.festival_id
    own = user.festival_ids(Role.ORGANIZER)
    if user.festival_id in own:
        return user.festival_id
    if user.is_superuser:
        return Festival.objects.order_by("name", "pk").values_list("pk", flat=True).first()
    return min(own) if own else None


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
        user = request.user
        if not user.is_organizer:
            raise Http404
        # Every organizer lookup scopes by user.festival_id: make it one of theirs.
        user.festival_id = working_festival(user)
        if user.festival_id is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def films_for_teacher(user: User):
    """The teacher's films in the festivals that approved them, and their films forwarded from
    there to another festival's edition (seen, not changed: see `is_forwarded_film_teacher`)."""
    festivals = user.festival_ids(Role.TEACHER)
    return Film.objects.filter(
        Q(edition__festival_id__in=festivals)
        | Q(forwarded_from__edition__festival_id__in=festivals),
        teacher=user,
    )


def get_film_for_teacher(user: User, pk: int) -> Film:
    return get_object_or_404(
        films_for_teacher(user).select_related("edition__festival", "category"), pk=pk
    )


def get_consent_for_teacher(user: User, film_pk: int, pk: int) -> ConsentForm:
    return get_object_or_404(
        ConsentForm.objects.select_related("film"),
        film__in=films_for_teacher(user),
        film_id=film_pk,
        pk=pk,
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


def teacher_memberships_for_organizer(user: User):
    """The teachers who asked to take part in the organizer's festival, and only those: an
    organizer never sees nor decides on another festival's teachers."""
    return Membership.objects.filter(
        festival_id=user.festival_id, role=Role.TEACHER, user__role=Role.TEACHER
    ).select_related("user", "user__school", "festival")


def get_teacher_membership_for_organizer(user: User, pk: int) -> Membership:
    """A teacher's membership of the organizer's festival, by the teacher's account id."""
    return get_object_or_404(teacher_memberships_for_organizer(user), user_id=pk)


def calls_for_organizer(user: User):
    """The calls for entries of the organizer's festival's editions, and only those."""
    return CallForEntries.objects.filter(edition__festival_id=user.festival_id)


def get_call_for_organizer(user: User, pk: int) -> CallForEntries:
    return get_object_or_404(
        calls_for_organizer(user).select_related("edition__festival", "created_by"), pk=pk
    )


def current_edition(festival: Festival | None = None) -> Edition | None:
    editions = Edition.objects.filter(is_current=True).select_related("festival")
    if festival is not None:
        editions = editions.filter(festival=festival)
    return editions.order_by("festival_id").first()


def open_editions(user: User | None = None):
    """Current editions, the ones a teacher can create a film for: with a teacher, only those
    of the festivals that approved them."""
    editions = Edition.objects.filter(is_current=True)
    if user is not None:
        editions = editions.filter(festival_id__in=user.festival_ids(Role.TEACHER))
    return editions.select_related("festival").order_by("festival__name")


def file_owner_check(user: User, film: Film) -> bool:
    """Who may download a film's original and consents (teacher, the festival's organizers)."""
    return is_film_organizer(user, film) or is_film_teacher(user, film)


def file_reader_check(user: User, film: Film) -> bool:
    """Who may read a film's original and consents: their owners (`file_owner_check`), the
    organizers of a festival the film is offered to, and the teacher of a forwarded film."""
    return (
        file_owner_check(user, film)
        or is_offered_to_organizer(user, film)
        or is_forwarded_film_teacher(user, film)
    )


def get_film_for_files(user: User, pk: int) -> Film:
    film = get_object_or_404(Film.objects.select_related("edition"), pk=pk)
    if not file_reader_check(user, film):
        raise Http404
    return film


def get_film_for_consent_kit(user: User, pk: int) -> Film:
    """A film whose consent kit one may read: the people who handle its consents."""
    film = get_object_or_404(
        Film.objects.select_related(
            "edition__festival", "category", "school", "company", "teacher"
        ),
        pk=pk,
    )
    if not file_owner_check(user, film):
        raise Http404
    return film


def get_consent_for_files(user: User, pk: int) -> ConsentForm:
    """A consent form to download: its film's teacher and its festival's organizers."""
    consent = get_object_or_404(ConsentForm.objects.select_related("film__edition"), pk=pk)
    if not file_reader_check(user, consent.film):
        raise Http404
    return consent


# Partner companies


def may_edit_film_contacts(user: User, film: Film) -> bool:
    """The film's teacher enters its company's contacts while the film is editable."""
    return film.company_id is not None and film.is_editable and is_film_teacher(user, film)


def get_contact_for_teacher(user: User, film_pk: int, pk: int) -> CompanyContact:
    """A contact of the teacher's film's company, one the teacher added: a teacher never
    removes what an organizer or another teacher entered."""
    film = get_film_for_teacher(user, film_pk)
    if not may_edit_film_contacts(user, film):
        raise Http404
    return get_object_or_404(
        CompanyContact.objects.select_related("company"),
        company_id=film.company_id,
        added_by=user,
        pk=pk,
    )


def companies_for_organizer(user: User):
    """The companies of the organizer's festival: those its films were shot in and those in its
    list of volunteer companies."""
    shot_here = Film.objects.filter(edition__festival_id=user.festival_id).values("company_id")
    listed = VolunteerCompany.objects.filter(festival_id=user.festival_id).values("company_id")
    return Company.objects.filter(Q(pk__in=shot_here) | Q(pk__in=listed))


def get_company_for_organizer(user: User, pk: int) -> Company:
    return get_object_or_404(companies_for_organizer(user), pk=pk)


def get_contact_for_organizer(user: User, company_pk: int, pk: int) -> CompanyContact:
    company = get_company_for_organizer(user, company_pk)
    return get_object_or_404(company.contacts.select_related("company"), pk=pk)


def volunteers_for_organizer(user: User):
    return VolunteerCompany.objects.filter(festival_id=user.festival_id)


def get_volunteer_for_organizer(user: User, company_pk: int) -> VolunteerCompany:
    """The festival's entry for this company (one per company and festival)."""
    return get_object_or_404(
        volunteers_for_organizer(user).select_related("company"), company_id=company_pk
    )


def volunteers_for_teacher(user: User):
    """The active volunteer companies of the festivals that approved the teacher."""
    return VolunteerCompany.objects.filter(
        festival_id__in=user.festival_ids(Role.TEACHER), active=True
    )


# Films sent to another festival's edition (festival.domain.transfers)


def transfers_sent_by_organizer(user: User):
    """The offers of the organizer's festival's films, and only those."""
    return FilmTransfer.objects.filter(film__edition__festival_id=user.festival_id)


def transfers_received_by_organizer(user: User):
    """The offers made to the organizer's festival's editions, and only those."""
    return FilmTransfer.objects.filter(target_edition__festival_id=user.festival_id)


def get_sent_transfer_for_organizer(user: User, pk: int) -> FilmTransfer:
    """One of the offers of the organizer's festival's films (a 404 for anyone else's)."""
    return get_object_or_404(
        transfers_sent_by_organizer(user).select_related(
            "film__edition__festival", "film__category", "target_edition__festival"
        ),
        pk=pk,
    )


def get_received_transfer_for_organizer(user: User, pk: int) -> FilmTransfer:
    return get_object_or_404(
        transfers_received_by_organizer(user).select_related(
            "film__edition__festival",
            "film__category",
            "film__school",
            "film__company",
            "film__teacher",
            "target_edition__festival",
            "target_category",
            "offered_by",
            "decided_by",
            "resulting_film",
        ),
        pk=pk,
    )


# A school's data (RGPD export and erasure)


def schools_for_organizer(user: User):
    """The schools the organizer's festival holds something about: a film in one of its
    editions, a teacher who asked to take part in it, or an export or erasure it made. The
    school's row is shared by every festival; what an organizer sees of it is their own."""
    festival_id = user.festival_id
    with_films = Film.objects.filter(edition__festival_id=festival_id).values("school_id")
    with_teachers = Membership.objects.filter(
        festival_id=festival_id, role=Role.TEACHER, user__school__isnull=False
    ).values("user__school_id")
    with_requests = SchoolDataRequest.objects.filter(festival_id=festival_id).values("school_id")
    return School.objects.filter(
        Q(pk__in=with_films) | Q(pk__in=with_teachers) | Q(pk__in=with_requests)
    )


def get_school_for_organizer(user: User, pk: int) -> School:
    return get_object_or_404(schools_for_organizer(user), pk=pk)
