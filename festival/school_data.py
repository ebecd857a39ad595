"""What a festival holds about a school, and what an erasure would remove: read, never written.

The `School` row itself is shared by every festival of the installation (a directory entry: a
name, a UAI or SIRET code, a town, an institutional address): no festival erases it. A festival
holds, about a school, its films in the festival's editions (with their consents, crews,
originals and history) and the teachers of the school who asked to take part in it. A teacher's
account that also belongs to another festival (in any role) is kept as it is; only the
festival's membership goes.

Whether a film is public is judging's rule: judging registers a reader here at start-up.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower

from festival.enums import FilmStatus, Role
from festival.filters import with_consent_counts
from festival.models import (
    CallRecipient,
    ConsentForm,
    Film,
    Membership,
    School,
    SchoolDataRequest,
    SchoolDataRequestKind,
    User,
)

# An erased teacher's address: unique, and never delivered (RFC 2606 keeps .invalid).
ERASED_EMAIL_DOMAIN = "efface.invalid"
ERASED_LAST_NAME = "Compte effacé"
# The films an erasure takes out of the competition (the workflow allows their withdrawal).
WITHDRAWABLE = (
    FilmStatus.DRAFT,
    FilmStatus.SUBMITTED,
    FilmStatus.NEEDS_CHANGES,
    FilmStatus.ACCEPTED,
)

PublicReader = Callable[[list[int]], set[int]]
_public_reader: PublicReader | None = None


def register_public_reader(reader: PublicReader) -> None:
    """Called once by judging: `reader(film_ids)` gives the ids of those the public may see."""
    global _public_reader
    _public_reader = reader


def public_film_ids(film_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(film_ids))
    if not ids or _public_reader is None:
        return set()
    return set(_public_reader(ids))


def is_erased_account(user: User) -> bool:
    return user.email.endswith("@" + ERASED_EMAIL_DOMAIN)


def school_films(*, school: School, festival_id: int):
    """The school's films in the festival's editions, and none of another festival."""
    return Film.objects.filter(school=school, edition__festival_id=festival_id)


def school_teachers(*, school: School, festival_id: int):
    """The school's teachers as the festival knows them: those who asked to take part in it,
    and those of the school's films there."""
    members = Membership.objects.filter(
        festival_id=festival_id, role=Role.TEACHER, user__school=school
    ).values("user_id")
    film_teachers = school_films(school=school, festival_id=festival_id).values("teacher_id")
    return User.objects.filter(Q(pk__in=members) | Q(pk__in=film_teachers))


def shared_account_ids(user_ids: Iterable[int], *, festival_id: int) -> set[int]:
    """The accounts that also belong to another festival, in any role: never erased by this
    festival."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    return set(
        Membership.objects.filter(user_id__in=ids)
        .exclude(festival_id=festival_id)
        .values_list("user_id", flat=True)
    )


@dataclass
class TeacherLine:
    user: User
    membership: Membership | None
    shared: bool
    erased: bool


@dataclass
class SchoolHoldings:
    """What the festival holds about the school, for its data page (a fixed number of
    queries, whatever the number of films and teachers)."""

    school: School
    films: list[Film]
    public_ids: set[int]
    teachers: list[TeacherLine]
    requests: list[SchoolDataRequest]

    @property
    def consent_count(self) -> int:
        return sum(film.consents_total for film in self.films)

    @property
    def last_erasure(self) -> SchoolDataRequest | None:
        return next((r for r in self.requests if r.kind == SchoolDataRequestKind.ERASURE), None)


def load_holdings(*, school: School, festival_id: int) -> SchoolHoldings:
    films = list(
        with_consent_counts(school_films(school=school, festival_id=festival_id))
        .select_related("edition", "category", "company", "teacher")
        .order_by("-edition__year", "category__position", "title", "pk")
    )
    teachers = list(
        school_teachers(school=school, festival_id=festival_id).order_by(
            "last_name", "first_name", "pk"
        )
    )
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(
            festival_id=festival_id, role=Role.TEACHER, user_id__in=[t.pk for t in teachers]
        )
    }
    shared = shared_account_ids((t.pk for t in teachers), festival_id=festival_id)
    requests = list(
        SchoolDataRequest.objects.filter(school=school, festival_id=festival_id).select_related(
            "made_by"
        )
    )
    return SchoolHoldings(
        school=school,
        films=films,
        public_ids=public_film_ids(film.pk for film in films),
        teachers=[
            TeacherLine(
                user=t,
                membership=memberships.get(t.pk),
                shared=t.pk in shared,
                erased=is_erased_account(t),
            )
            for t in teachers
        ],
        requests=requests,
    )


def schools_with_counts(schools, *, festival_id: int):
    """The organizers' list of schools: films and teachers counted in their festival only."""
    return schools.annotate(
        film_count=Count("films", filter=Q(films__edition__festival_id=festival_id), distinct=True),
        teacher_count=Count(
            "teachers",
            filter=Q(
                teachers__memberships__festival_id=festival_id,
                teachers__memberships__role=Role.TEACHER,
            ),
            distinct=True,
        ),
    )


# Erasure


@dataclass
class ErasurePlan:
    """Exactly what an erasure removes, listed on the check page and done by
    `festival.domain.school_erasure.erase_school_data` (which reads it again)."""

    keep_published: bool
    kept_films: list[Film] = field(default_factory=list)
    taken_down: list[Film] = field(default_factory=list)
    withdrawn: list[Film] = field(default_factory=list)
    consents: list[ConsentForm] = field(default_factory=list)
    crews: list[Film] = field(default_factory=list)
    originals: list[Film] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    anonymised: list[User] = field(default_factory=list)
    accounts_kept: list[User] = field(default_factory=list)
    recipients: list[User] = field(default_factory=list)
    # The teachers' addresses in the festival's calls for entries (unsubscriptions stay: they
    # keep the person from being written to again).
    call_recipients: list[CallRecipient] = field(default_factory=list)

    @property
    def nothing_left(self) -> bool:
        return not (
            self.taken_down
            or self.withdrawn
            or self.consents
            or self.crews
            or self.originals
            or self.memberships
            or self.anonymised
            or self.call_recipients
        )

    @property
    def film_count(self) -> int:
        touched = {f.pk for f in self.taken_down + self.withdrawn + self.crews + self.originals}
        touched |= {c.film_id for c in self.consents}
        return len(touched)


def erasure_plan(*, school: School, festival_id: int, keep_published: bool) -> ErasurePlan:
    plan = ErasurePlan(keep_published=keep_published)
    films = list(
        school_films(school=school, festival_id=festival_id)
        .select_related("edition", "category")
        .order_by("-edition__year", "title", "pk")
    )
    public = public_film_ids(film.pk for film in films)
    kept = {film.pk for film in films if keep_published and film.pk in public}
    for film in films:
        if film.pk in kept:
            plan.kept_films.append(film)
            continue
        if film.pk in public:
            plan.taken_down.append(film)
        if film.status in WITHDRAWABLE:
            plan.withdrawn.append(film)
        if film.original_video:
            plan.originals.append(film)
    plan.crews = [film for film in films if film.crew.strip()]
    plan.consents = list(
        ConsentForm.objects.filter(film__in=[f for f in films if f.pk not in kept])
        .select_related("film")
        .order_by("film__title", "film_id", "uploaded_at", "pk")
    )
    teachers = list(
        school_teachers(school=school, festival_id=festival_id).order_by(
            "last_name", "first_name", "pk"
        )
    )
    plan.memberships = list(
        Membership.objects.filter(
            festival_id=festival_id, role=Role.TEACHER, user_id__in=[t.pk for t in teachers]
        ).select_related("user")
    )
    shared = shared_account_ids((t.pk for t in teachers), festival_id=festival_id)
    for teacher in teachers:
        if is_erased_account(teacher):
            continue
        if teacher.is_active:
            plan.recipients.append(teacher)
        if teacher.pk in shared:
            plan.accounts_kept.append(teacher)
        else:
            plan.anonymised.append(teacher)
    addresses = sorted({t.email.lower() for t in teachers if not is_erased_account(t)})
    plan.call_recipients = list(
        CallRecipient.objects.annotate(address=Lower("email")).filter(
            call__edition__festival_id=festival_id, address__in=addresses
        )
    )
    return plan
