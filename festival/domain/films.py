"""Films: creation, edits and the submission workflow.

The film's video is the media pipeline's (media_pipeline.originals): this app never imports
it. What a submission asks of the video is a check the media pipeline registers here.
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from festival import emails
from festival.domain import DomainError
from festival.domain.rules_acceptance import check_rules_accepted, record_rules_acceptance
from festival.enums import ConsentStatus, FilmStatus, Role
from festival.models import Category, Edition, Film, FilmEvent, User
from festival.rules import is_film_organizer, is_film_teacher
from festival.signals import film_status_changed

logger = logging.getLogger(__name__)

TEACHER = "teacher"
ORGANIZER = "organizer"

# Who may move a film from one status to another.
TRANSITIONS: dict[tuple[str, str], set[str]] = {
    (FilmStatus.DRAFT, FilmStatus.SUBMITTED): {TEACHER},
    (FilmStatus.NEEDS_CHANGES, FilmStatus.SUBMITTED): {TEACHER},
    (FilmStatus.SUBMITTED, FilmStatus.ACCEPTED): {ORGANIZER},
    (FilmStatus.SUBMITTED, FilmStatus.NEEDS_CHANGES): {ORGANIZER},
    (FilmStatus.SUBMITTED, FilmStatus.REJECTED): {ORGANIZER},
    (FilmStatus.ACCEPTED, FilmStatus.NEEDS_CHANGES): {ORGANIZER},
    (FilmStatus.ACCEPTED, FilmStatus.REJECTED): {ORGANIZER},
    (FilmStatus.REJECTED, FilmStatus.SUBMITTED): {ORGANIZER},
    (FilmStatus.DRAFT, FilmStatus.WITHDRAWN): {TEACHER, ORGANIZER},
    (FilmStatus.SUBMITTED, FilmStatus.WITHDRAWN): {TEACHER, ORGANIZER},
    (FilmStatus.NEEDS_CHANGES, FilmStatus.WITHDRAWN): {TEACHER, ORGANIZER},
    (FilmStatus.ACCEPTED, FilmStatus.WITHDRAWN): {TEACHER, ORGANIZER},
    (FilmStatus.WITHDRAWN, FilmStatus.DRAFT): {TEACHER, ORGANIZER},
}
REASON_REQUIRED = {FilmStatus.NEEDS_CHANGES, FilmStatus.REJECTED}
STATUS_EMAILS = {
    FilmStatus.ACCEPTED: "film_accepted",
    FilmStatus.NEEDS_CHANGES: "film_needs_changes",
    FilmStatus.REJECTED: "film_rejected",
}


def actor_kind(*, film: Film, user: User) -> str | None:
    if is_film_organizer(user, film):
        return ORGANIZER
    if is_film_teacher(user, film):
        return TEACHER
    return None


def allowed_transitions(*, film: Film, user: User) -> list[str]:
    kind = actor_kind(film=film, user=user)
    return [to for (src, to), kinds in TRANSITIONS.items() if src == film.status and kind in kinds]


def set_film_status(*, film: Film, to: str, actor: User, reason: str = "") -> Film:
    """The one function that moves a film through its workflow."""
    kind = actor_kind(film=film, user=actor)
    allowed = TRANSITIONS.get((film.status, to))
    if kind is None or allowed is None or kind not in allowed:
        raise DomainError(
            _("Impossible de passer ce film de « %(src)s » à « %(dst)s ».")
            % {"src": FilmStatus(film.status).label, "dst": FilmStatus(to).label},
            code="transition",
        )
    reason = (reason or "").strip()
    if to in REASON_REQUIRED and not reason:
        raise DomainError(
            _("Indiquez un motif : l'enseignant le recevra par e-mail."), code="reason_required"
        )
    now = timezone.now()
    previous = film.status
    film.status = to
    film.status_reason = reason
    fields = ["status", "status_reason", "updated_at"]
    if to == FilmStatus.SUBMITTED:
        film.submitted_at = now
        fields.append("submitted_at")
    with transaction.atomic():
        film.save(update_fields=fields)
        FilmEvent.objects.create(
            film=film, actor=actor, from_status=previous, to_status=to, reason=reason
        )
    logger.info("Film %s: %s -> %s by user %s", film.pk, previous, to, actor.pk)
    film_status_changed.send(sender=Film, film=film, previous=previous, actor=actor)
    if to in STATUS_EMAILS:
        emails.send_to_user(
            template=STATUS_EMAILS[to], user=film.teacher, context={"film": film, "reason": reason}
        )
    return film


def check_category(*, edition: Edition, category: Category) -> None:
    if category.edition_id != edition.pk:
        raise DomainError(
            _("La catégorie « %(category)s » n'appartient pas à l'édition « %(edition)s ».")
            % {"category": category, "edition": edition},
            code="wrong_category",
        )


def check_submissions_window(*, edition: Edition, now=None) -> None:
    now = now or timezone.now()
    if edition.submissions_not_yet_open(now):
        raise DomainError(
            _("Les dépôts pour %(edition)s ouvrent le %(date)s.")
            % {
                "edition": edition,
                "date": date_format(
                    timezone.localtime(edition.submissions_open_at), "DATETIME_FORMAT"
                ),
            },
            code="not_open",
        )
    if edition.submissions_are_closed(now):
        raise DomainError(
            _("Les dépôts pour %(edition)s sont clos depuis le %(date)s.")
            % {
                "edition": edition,
                "date": date_format(
                    timezone.localtime(edition.submissions_close_at), "DATETIME_FORMAT"
                ),
            },
            code="late",
        )


def check_editable(film: Film) -> None:
    """Refuse changes to a film that is no longer a draft (or sent back for changes)."""
    if not film.is_editable:
        raise DomainError(
            _(
                "Ce film est « %(status)s » : il ne peut plus être modifié, sauf si "
                "l'organisation demande des compléments."
            )
            % {"status": film.get_status_display()},
            code="not_editable",
        )


def create_film(
    *,
    teacher: User,
    edition: Edition,
    category: Category,
    title: str,
    synopsis: str = "",
    company=None,
    trades=(),
    pupil_count: int | None = None,
    pupils_on_screen: int | None = None,
    crew: str = "",
) -> Film:
    if not teacher.is_teacher or teacher.school_id is None:
        raise DomainError(
            _("Votre compte enseignant doit être validé avant de créer un film."),
            code="not_approved",
        )
    if edition.festival_id not in teacher.festival_ids(Role.TEACHER):
        raise DomainError(
            _("Ce festival n'a pas encore validé votre participation."), code="not_member"
        )
    check_category(edition=edition, category=category)
    if edition.submissions_are_closed():  # a draft may be prepared before submissions open
        check_submissions_window(edition=edition)
    with transaction.atomic():
        film = Film.objects.create(
            edition=edition,
            category=category,
            school_id=teacher.school_id,
            teacher=teacher,
            company=company,
            title=title,
            synopsis=synopsis,
            pupil_count=pupil_count,
            pupils_on_screen=pupils_on_screen,
            crew=crew,
        )
        film.trades.set(trades)
        FilmEvent.objects.create(film=film, actor=teacher, to_status=FilmStatus.DRAFT)
    return film


EDITABLE_FIELDS = {
    "category",
    "title",
    "synopsis",
    "company",
    "pupil_count",
    "pupils_on_screen",
    "crew",
}


def update_film(*, film: Film, user: User, trades=None, **changes) -> Film:
    check_editable(film)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if "category" in changes:
        check_category(edition=film.edition, category=changes["category"])
    for name, value in changes.items():
        setattr(film, name, value)
    with transaction.atomic():
        film.save(update_fields=[*changes, "updated_at"])
        if trades is not None:
            film.trades.set(trades)
    return film


# What other apps ask of a film before it is submitted, through checks they register at
# start-up (the media pipeline: a video that its checks accepted). `check(film)` returns
# the missing items, in the words of the dashboard.
_submission_checks: list[Callable[[Film], list[str]]] = []
_submission_prefetch: list[str] = ["trades", "consents"]


def register_submission_check(
    check: Callable[[Film], list[str]], *, prefetch: tuple[str, ...] = ()
) -> None:
    """`prefetch`: the relations `check` reads, which list pages prefetch for many films."""
    if check not in _submission_checks:
        _submission_checks.append(check)
        _submission_prefetch.extend(name for name in prefetch if name not in _submission_prefetch)


def submission_prefetch() -> list[str]:
    """What `missing_for_submission()` reads: prefetch it to check many films."""
    return list(_submission_prefetch)


def missing_for_submission(film: Film) -> list[str]:
    """What the teacher still has to provide, in the words shown on the dashboard."""
    missing = []
    if not film.title.strip():
        missing.append(_("un titre"))
    if not film.synopsis.strip():
        missing.append(_("un synopsis"))
    if film.company_id is None:
        missing.append(_("l'entreprise partenaire"))
    if not film.trades.all():
        missing.append(_("au moins un métier présenté"))
    if not film.pupil_count:
        missing.append(_("le nombre d'élèves"))
    if film.pupils_on_screen is None:
        missing.append(_("le nombre d'élèves à l'écran"))
    for check in _submission_checks:
        missing.extend(check(film))
    consents = [c for c in film.consents.all() if c.status != ConsentStatus.REFUSED]
    if not consents:
        missing.append(_("les autorisations de droit à l'image"))
    if film.rights_declared_at is None:
        missing.append(_("la déclaration des droits (musique et contenus de tiers)"))
    return missing


def submit_film(*, film: Film, user: User, now=None, rules_accepted: bool = False) -> Film:
    """`rules_accepted`: the teacher ticked "J'ai lu et j'accepte le règlement de l'édition",
    needed when the edition has rules that the film's latest acceptance is not of."""
    # The deadline applies to first submissions; a film sent back for changes by the
    # organizers can be resubmitted after it.
    if film.status == FilmStatus.DRAFT:
        check_submissions_window(edition=film.edition, now=now)
    missing = missing_for_submission(film)
    if missing:
        raise DomainError(
            _("Il manque encore : %(items)s.") % {"items": ", ".join(missing)},
            code="incomplete",
        )
    check_rules_accepted(film=film, rules_accepted=rules_accepted)
    with transaction.atomic():
        # Rolled back with the acceptance if the move is refused.
        record_rules_acceptance(film=film, user=user, now=now)
        set_film_status(film=film, to=FilmStatus.SUBMITTED, actor=user)
    emails.send_to_user(template="film_submitted", user=film.teacher, context={"film": film})
    organizers = User.objects.members_of(film.edition.festival_id, Role.ORGANIZER)
    emails.send_to_users(
        template="film_submitted_organizers", users=organizers, context={"film": film}
    )
    return film


def withdraw_film(*, film: Film, user: User, reason: str = "") -> Film:
    return set_film_status(film=film, to=FilmStatus.WITHDRAWN, actor=user, reason=reason)
