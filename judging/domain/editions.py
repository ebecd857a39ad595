"""Next year's edition, prepared from this one: judging copies its part of the set-up."""

import logging

from festival.domain.editions import one_year_later
from festival.models import Category, Edition
from judging.models import Criterion, JudgingSettings, Jury, JuryMember, SelectionRound
from judging.models_results import Prize

logger = logging.getLogger(__name__)

CRITERION_FIELDS = (
    "name",
    "description",
    "weight",
    "min_score",
    "max_score",
    "step",
    "required",
    "is_priority",
    "position",
)
SETTINGS_FIELDS = (
    "assignment_mode",
    "jurors_per_film",
    "max_films_per_juror",
    "min_watched_ratio",
    "reminder_days_before",
)


def copy_judging_setup(
    *, source: Edition, target: Edition, categories: dict[int, Category]
) -> None:
    """Scoring form, judging settings, pre-selection round (its announcement a year later, no
    finalist), prizes and juries (same members, same president) of `source` given to `target`;
    no assignment nor evaluation. Runs in the caller's transaction.
    `categories` maps each source category's pk to its copy."""
    Criterion.objects.bulk_create(
        Criterion(edition=target, **{name: getattr(c, name) for name in CRITERION_FIELDS})
        for c in source.criteria.all()
    )
    settings = JudgingSettings.objects.filter(edition=source).first()
    if settings is not None:
        JudgingSettings.objects.create(
            edition=target, **{name: getattr(settings, name) for name in SETTINGS_FIELDS}
        )
    selection_round = SelectionRound.objects.filter(edition=source).first()
    if selection_round is not None and selection_round.enabled:
        SelectionRound.objects.create(
            edition=target,
            enabled=True,
            finalists_per_category=selection_round.finalists_per_category,
            announce_at=selection_round.announce_at and one_year_later(selection_round.announce_at),
        )
    Prize.objects.bulk_create(
        Prize(
            edition=target,
            kind=prize.kind,
            category=categories.get(prize.category_id),
            name=prize.name,
            description=prize.description,
            position=prize.position,
        )
        for prize in source.prizes.all()
        if prize.category_id is None or prize.category_id in categories
    )
    for jury in source.juries.prefetch_related("categories", "members"):
        copy = Jury.objects.create(
            edition=target, name=jury.name, president_id=jury.president_id, stage=jury.stage
        )
        copy.categories.set([categories[c.pk] for c in jury.categories.all() if c.pk in categories])
        JuryMember.objects.bulk_create(
            JuryMember(
                jury=copy, juror_id=member.juror_id, is_trainee=member.is_trainee, active=True
            )
            for member in jury.members.all()
            if member.active
        )
    logger.info("Judging set-up of edition %s copied to %s", source.pk, target.pk)


def on_edition_prepared(sender, *, source, target, categories, **kwargs) -> None:
    copy_judging_setup(source=source, target=target, categories=categories)
