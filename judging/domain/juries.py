"""Juries, their members and their conflicts of interest; the edition's judging settings and
scoring form; an organizer reopening a juror's validated scores.
"""

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from festival import emails
from festival.enums import Role
from festival.models import Category, Company, Edition, Film, School, User
from judging.domain import DomainError
from judging.domain.awards import seed_prizes
from judging.enums import AssignmentEnd, EvaluationState, JuryStage
from judging.models import (
    Affiliation,
    Assignment,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    JudgingSettings,
    Jury,
    JuryMember,
    ScoreChange,
)
from judging.selectors import criteria_locked

logger = logging.getLogger(__name__)

# The scoring form every edition starts with (name, description, weight, priority).
DEFAULT_CRITERIA = (
    (
        gettext_lazy("Scénario"),
        gettext_lazy("L'histoire, sa construction, son rythme : le film tient-il son public ?"),
        Decimal("1"),
        False,
    ),
    (
        gettext_lazy("Image"),
        gettext_lazy("Cadrage, lumière, qualité et lisibilité des plans."),
        Decimal("1"),
        False,
    ),
    (
        gettext_lazy("Son"),
        gettext_lazy("Prise de son, voix, musique et mixage."),
        Decimal("1"),
        False,
    ),
    (
        gettext_lazy("Mise en valeur des métiers"),
        gettext_lazy(
            "Les métiers de l'industrie sont-ils montrés avec justesse, et donnent-ils envie ?"
        ),
        Decimal("1.5"),
        True,
    ),
    (
        gettext_lazy("Créativité"),
        gettext_lazy("Originalité du propos et de la mise en scène."),
        Decimal("1"),
        False,
    ),
)
SETTINGS_FIELDS = {
    "assignment_mode",
    "jurors_per_film",
    "max_films_per_juror",
    "min_watched_ratio",
    "reminder_days_before",
}


# Settings and the scoring form


def seed_default_criteria(edition: Edition) -> list[Criterion]:
    """Give an edition without a scoring form the default one: five criteria on 0–10."""
    if edition.criteria.exists():
        return []
    criteria = []
    # Stored words are the festival's language, whoever triggers the seeding.
    with translation.override(django_settings.LANGUAGE_CODE):
        for position, (name, description, weight, priority) in enumerate(DEFAULT_CRITERIA):
            criteria.append(
                Criterion(
                    edition=edition,
                    name=str(name),
                    description=str(description),
                    weight=weight,
                    min_score=Decimal("0"),
                    max_score=Decimal("10"),
                    step=Decimal("0.5"),
                    required=True,
                    is_priority=priority,
                    position=position,
                )
            )
    return Criterion.objects.bulk_create(criteria)


def ensure_judging_settings(*, edition: Edition) -> JudgingSettings:
    """The edition's judging settings, created the first time with the default scoring form
    and, once the edition has its categories, the usual prizes (an edition set up before its
    categories gets its prizes from the button of its palmarès page)."""
    existing = JudgingSettings.objects.filter(edition=edition).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            judging_settings = JudgingSettings.objects.create(edition=edition)
            seed_default_criteria(edition)
            if edition.categories.exists():
                seed_prizes(edition=edition)
    except IntegrityError:  # created at the same moment by another request
        return JudgingSettings.objects.get(edition=edition)
    return judging_settings


def update_judging_settings(*, judging_settings: JudgingSettings, **changes) -> JudgingSettings:
    unknown = set(changes) - SETTINGS_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    cap = changes.get("max_films_per_juror", judging_settings.max_films_per_juror)
    if cap is not None and cap < 1:
        raise DomainError(
            _(
                "Un juré doit pouvoir recevoir au moins un film : laissez la limite vide ou "
                "indiquez 1 ou plus."
            ),
            code="cap",
        )
    for name, value in changes.items():
        setattr(judging_settings, name, value)
    judging_settings.save(update_fields=sorted(changes))
    return judging_settings


def check_criteria_editable(edition: Edition) -> None:
    if criteria_locked(edition):
        raise DomainError(
            _(
                "La grille d'évaluation ne peut plus être modifiée : des jurés ont déjà "
                "commencé à noter."
            ),
            code="criteria_locked",
        )


def save_criteria(
    *, edition: Edition, criteria: Iterable[Criterion], deleted: Iterable[Criterion] = ()
) -> list[Criterion]:
    """Replace the edition's scoring form: `criteria` saved (new or changed), `deleted` gone."""
    check_criteria_editable(edition)
    criteria, deleted = list(criteria), list(deleted)
    deleted_ids = {criterion.pk for criterion in deleted if criterion.pk}
    kept = edition.criteria.exclude(pk__in=deleted_ids).exclude(
        pk__in=[criterion.pk for criterion in criteria if criterion.pk]
    )
    if not criteria and not kept.exists():
        raise DomainError(_("La grille doit compter au moins un critère."), code="empty")
    priorities = [criterion for criterion in criteria if criterion.is_priority]
    if len(priorities) + kept.filter(is_priority=True).count() > 1:
        raise DomainError(
            _("Un seul critère peut être prioritaire : il départage les ex aequo."),
            code="priority",
        )
    try:
        with transaction.atomic():
            Criterion.objects.filter(edition=edition, pk__in=deleted_ids).delete()
            if priorities:
                # The old priority gives way first: the database allows one at a time.
                edition.criteria.filter(is_priority=True).update(is_priority=False)
            for criterion in criteria:
                criterion.edition = edition
                criterion.save()
    except IntegrityError as error:
        raise DomainError(
            _("Deux critères portent le même nom : donnez-leur des noms différents."),
            code="duplicate",
        ) from error
    return list(edition.criteria.all())


# Juries and members


def _check_juror(juror: User, edition: Edition) -> None:
    if juror.role != Role.JUROR or edition.festival_id not in juror.festival_ids(Role.JUROR):
        raise DomainError(
            _("%(name)s n'est pas juré de ce festival.") % {"name": juror.get_full_name()},
            code="not_juror",
        )


def _check_jury_fields(
    *,
    edition: Edition,
    name: str,
    categories: list[Category],
    jury: Jury | None = None,
    stage: str = JuryStage.FINAL,
) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Donnez un nom au jury."), code="name_required")
    others = Jury.objects.filter(edition=edition)
    if jury is not None:
        others = others.exclude(pk=jury.pk)
    # Compared in Python: SQLite folds the case of ASCII letters only ("LYCÉE", "lycée").
    if name.casefold() in {other.casefold() for other in others.values_list("name", flat=True)}:
        raise DomainError(
            _("Un jury s'appelle déjà « %(name)s » dans cette édition.") % {"name": name},
            code="name_taken",
        )
    if not categories:
        raise DomainError(_("Choisissez au moins une catégorie."), code="categories_required")
    for category in categories:
        if category.edition_id != edition.pk:
            raise DomainError(
                _("La catégorie « %(category)s » n'appartient pas à cette édition.")
                % {"category": category.name},
                code="wrong_category",
            )
    # One jury per category and stage: a film is judged by exactly one jury at each stage.
    taken = (
        others.filter(stage=stage, categories__in=categories)
        .values_list("categories__name", "name")
        .order_by("categories__position", "categories__name")
    )
    for category_name, jury_name in taken:
        raise DomainError(
            _("La catégorie « %(category)s » est déjà jugée par le jury « %(jury)s ».")
            % {"category": category_name, "jury": jury_name},
            code="category_taken",
        )
    return name


def _set_president(jury: Jury, president: User | None) -> None:
    if president is not None:
        _check_juror(president, jury.edition)
        member = JuryMember.objects.filter(jury=jury, juror=president).first()
        if member is not None and member.active and member.is_trainee:
            raise DomainError(
                _("Un juré en formation ne peut pas présider le jury."), code="trainee_president"
            )
        if member is None or not member.active:
            add_member(jury=jury, juror=president)
    jury.president = president
    jury.save(update_fields=["president"])


def create_jury(
    *,
    edition: Edition,
    name: str,
    categories: Iterable[Category],
    president: User | None = None,
    organizer: User | None = None,
    stage: str = JuryStage.FINAL,
) -> Jury:
    """A jury of the final (the palmarès) or of the pre-selection (the finalists' choice)."""
    categories = list(categories)
    name = _check_jury_fields(edition=edition, name=name, categories=categories, stage=stage)
    ensure_judging_settings(edition=edition)
    with transaction.atomic():
        jury = Jury.objects.create(edition=edition, name=name, stage=stage)
        jury.categories.set(categories)
        if president is not None:
            _set_president(jury, president)
    logger.info("Jury %s created by user %s", jury.pk, getattr(organizer, "pk", None))
    return jury


def update_jury(
    *, jury: Jury, name: str, categories: Iterable[Category], president: User | None = None
) -> Jury:
    categories = list(categories)
    name = _check_jury_fields(
        edition=jury.edition, name=name, categories=categories, jury=jury, stage=jury.stage
    )
    with transaction.atomic():
        jury.name = name
        jury.save(update_fields=["name"])
        jury.categories.set(categories)
        _set_president(jury, president)
    return jury


def add_member(*, jury: Jury, juror: User, is_trainee: bool = False) -> JuryMember:
    """Make a juror a member of the jury, or bring a former member back. Idempotent."""
    _check_juror(juror, jury.edition)
    if is_trainee and jury.president_id == juror.pk:
        raise DomainError(
            _("Un juré en formation ne peut pas présider le jury."), code="trainee_president"
        )
    member, created = JuryMember.objects.get_or_create(
        jury=jury, juror=juror, defaults={"is_trainee": is_trainee}
    )
    if not created and (not member.active or member.is_trainee != is_trainee):
        member.active = True
        member.is_trainee = is_trainee
        member.save(update_fields=["active", "is_trainee"])
    return member


def set_trainee(*, member: JuryMember, is_trainee: bool) -> JuryMember:
    return add_member(jury=member.jury, juror=member.juror, is_trainee=is_trainee)


def remove_member(*, member: JuryMember, organizer: User | None = None) -> int:
    """A juror drops out: their membership ends, and so do their active assignments.

    Scores already given stay where they are. Returns how many assignments ended; a
    computation of the assignments then shares their films among the others.
    """
    with transaction.atomic():
        member.active = False
        member.save(update_fields=["active"])
        ended = Assignment.objects.filter(
            jury_id=member.jury_id, juror_id=member.juror_id, active=True
        ).update(active=False, ended_reason=AssignmentEnd.DROPPED_OUT)
        jury = member.jury
        if jury.president_id == member.juror_id:
            jury.president = None
            jury.save(update_fields=["president"])
    logger.info(
        "Juror %s left jury %s (%s assignments ended) by user %s",
        member.juror_id,
        member.jury_id,
        ended,
        getattr(organizer, "pk", None),
    )
    return ended


# Conflicts of interest


def set_affiliations(
    *, juror: User, schools: Iterable[School] = (), companies: Iterable[Company] = ()
) -> int:
    """Record the schools and companies a juror is linked to.

    Their films become conflicts at once: active assignments on them end (scores are kept).
    Returns how many assignments ended.
    """
    if juror.role != Role.JUROR:
        raise DomainError(_("Seuls les jurés ont des affiliations."), code="not_juror")
    school_ids = {school.pk for school in schools}
    company_ids = {company.pk for company in companies}
    with transaction.atomic():
        current = Affiliation.objects.filter(juror=juror)
        current.filter(school__isnull=False).exclude(school_id__in=school_ids).delete()
        current.filter(company__isnull=False).exclude(company_id__in=company_ids).delete()
        known_schools = set(current.values_list("school_id", flat=True))
        known_companies = set(current.values_list("company_id", flat=True))
        Affiliation.objects.bulk_create(
            [Affiliation(juror=juror, school_id=pk) for pk in school_ids - known_schools]
            + [Affiliation(juror=juror, company_id=pk) for pk in company_ids - known_companies]
        )
        ended = Assignment.objects.filter(juror=juror, active=True).filter(
            Q(film__school_id__in=school_ids) | Q(film__company_id__in=company_ids)
        )
        count = ended.update(active=False, ended_reason=AssignmentEnd.CONFLICT)
    return count


def declare_conflict(*, juror: User, film: Film, reason: str) -> ConflictDeclaration:
    """A juror declares a conflict of interest on a film and is withdrawn from it.

    Scores already given are kept (and no longer count: the assignment has ended). The
    festival's organizers are told, so that they can rebalance.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Indiquez en quelques mots la raison du conflit d'intérêts."),
            code="reason_required",
        )
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            juror=juror, film=film, defaults={"reason": reason}
        )
        Assignment.objects.filter(juror=juror, film=film, active=True).update(
            active=False, ended_reason=AssignmentEnd.CONFLICT
        )
    if created:
        logger.info("Juror %s declared a conflict on film %s", juror.pk, film.pk)
        organizers = User.objects.members_of(film.edition.festival_id, Role.ORGANIZER)
        emails.send_to_users(
            template="jury_conflict_declared",
            users=organizers,
            context={"juror": juror, "film": film, "reason": declaration.reason},
        )
    return declaration


# Scores


def reopen_evaluation(*, evaluation: Evaluation, organizer: User) -> Evaluation:
    """Unlock a juror's validated scores so they can change them; the juror is told."""
    if evaluation.state != EvaluationState.VALIDATED:
        raise DomainError(
            _("Ces notes ne sont pas validées : il n'y a rien à rouvrir."), code="not_validated"
        )
    edition = evaluation.film.edition
    if edition.palmares_is_published():
        raise DomainError(
            _("Le palmarès est publié : les notes ne peuvent plus être rouvertes."),
            code="published",
        )
    with transaction.atomic():
        evaluation.state = EvaluationState.DRAFT
        evaluation.validated_at = None
        evaluation.save(update_fields=["state", "validated_at", "updated_at"])
        ScoreChange.objects.create(
            evaluation=evaluation,
            field="state",
            before=EvaluationState.VALIDATED,
            after=EvaluationState.DRAFT,
            changed_by=organizer,
        )
    logger.info("Evaluation %s reopened by user %s", evaluation.pk, organizer.pk)
    emails.send_to_user(
        template="jury_evaluation_reopened",
        user=evaluation.juror,
        context={"film": evaluation.film, "edition": edition, "organizer": organizer},
    )
    return evaluation
