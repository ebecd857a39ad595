"""An organizer sets their festival up: its presentation, its editions and their calendar,
categories and trades, and the next edition prepared from the last one."""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import Category, Edition, Festival, Trade, TrainingLink, User
from festival.signals import edition_prepared
from festival.validators import validate_web_url

logger = logging.getLogger(__name__)

FESTIVAL_FIELDS = {"name", "region", "organizing_body", "description", "contact_email"}
EDITION_FIELDS = {
    "title",
    "year",
    "theme",
    "rules",
    "default_max_duration",
    "submissions_open_at",
    "submissions_close_at",
    "judging_start_at",
    "judging_end_at",
    "deliberation_at",
    "ceremony_at",
}
CATEGORY_FIELDS = {"name", "description", "max_duration", "position"}

# The calendar, in order: each date and whether it may equal the one before it.
CALENDAR = (
    ("submissions_open_at", False),
    ("submissions_close_at", False),
    ("judging_start_at", True),
    ("judging_end_at", False),
    ("deliberation_at", True),
    ("ceremony_at", True),
)


def calendar_errors(dates: dict) -> dict[str, str]:
    """The dates out of order, each with the message shown beside it (missing dates skipped)."""
    errors = {}
    previous_name = None
    for name, may_equal in CALENDAR:
        value = dates.get(name)
        if value is None:
            continue
        if previous_name is not None:
            before = dates[previous_name]
            if value < before or (value == before and not may_equal):
                label = Edition._meta.get_field(previous_name).verbose_name
                if may_equal:
                    text = _("Cette date doit être le même jour ou après la date « %(date)s ».")
                else:
                    text = _("Cette date doit être après la date « %(date)s ».")
                errors[name] = text % {"date": label}
        previous_name = name
    return errors


def _check_edition(edition: Edition) -> None:
    errors = {
        name: [text]
        for name, text in calendar_errors(
            {name: getattr(edition, name) for name, _may_equal in CALENDAR}
        ).items()
    }
    if (
        Edition.objects.filter(festival_id=edition.festival_id, year=edition.year)
        .exclude(pk=edition.pk)
        .exists()
    ):
        errors["year"] = [_("Le festival a déjà une édition cette année-là.")]
    if edition.default_max_duration is not None and edition.default_max_duration <= timedelta(0):
        errors["default_max_duration"] = [_("La durée maximale doit être positive.")]
    if errors:
        raise DomainError(errors)


# The festival


def update_festival(*, festival: Festival, organizer: User, **changes) -> Festival:
    unknown = set(changes) - FESTIVAL_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(festival, name, value.strip() if isinstance(value, str) else value)
    festival.save(update_fields=sorted(changes))
    logger.info("Festival %s presentation updated by user %s", festival.pk, organizer.pk)
    return festival


# Editions


def _make_current(edition: Edition) -> None:
    """Only one current edition per festival: the others stop being current first."""
    Edition.objects.filter(festival_id=edition.festival_id, is_current=True).exclude(
        pk=edition.pk
    ).update(is_current=False)


def _save_edition(edition: Edition, *, is_current: bool, update_fields=None) -> Edition:
    _check_edition(edition)
    try:
        with transaction.atomic():
            if is_current:
                _make_current(edition)
            edition.is_current = is_current
            if update_fields is None:
                edition.save()
            else:
                edition.save(update_fields=[*update_fields, "is_current"])
    except IntegrityError as error:  # the same year added at the same moment
        raise DomainError(
            {"year": [_("Le festival a déjà une édition cette année-là.")]}
        ) from error
    return edition


def create_edition(
    *, festival: Festival, organizer: User, is_current: bool = False, **values
) -> Edition:
    unknown = set(values) - EDITION_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    edition = Edition(festival=festival, **values)
    _save_edition(edition, is_current=is_current)
    logger.info("Edition %s created by user %s", edition.pk, organizer.pk)
    return edition


def update_edition(*, edition: Edition, organizer: User, is_current: bool, **changes) -> Edition:
    unknown = set(changes) - EDITION_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(edition, name, value)
    _save_edition(edition, is_current=is_current, update_fields=sorted(changes))
    logger.info("Edition %s updated by user %s", edition.pk, organizer.pk)
    return edition


def one_year_later(value: datetime) -> datetime:
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # the 29th of February
        return value.replace(year=value.year + 1, day=28)


def next_edition_title(edition: Edition) -> str:
    year = str(edition.year)
    if year in edition.title:
        return edition.title.replace(year, str(edition.year + 1))
    return f"{edition.festival.name} {edition.year + 1}"


def prepare_next_edition(*, source: Edition, organizer: User) -> Edition:
    """Next year's edition: the calendar a year later, the same rules, categories and, through
    `edition_prepared`, what the apps above copy (scoring form, prizes, juries). Not current yet:
    the organizers check it, then switch it on."""
    if Edition.objects.filter(festival_id=source.festival_id, year=source.year + 1).exists():
        raise DomainError(
            _("L'édition %(year)s existe déjà : ouvrez-la pour la préparer.")
            % {"year": source.year + 1},
            code="next_exists",
        )
    with transaction.atomic():
        target = Edition(
            festival_id=source.festival_id,
            year=source.year + 1,
            title=next_edition_title(source),
            theme="",
            rules=source.rules,
            is_current=False,
            default_max_duration=source.default_max_duration,
            **{name: one_year_later(getattr(source, name)) for name, _may in CALENDAR},
        )
        _save_edition(target, is_current=False)
        categories = {}
        for category in source.categories.order_by("position", "pk"):
            categories[category.pk] = Category.objects.create(
                edition=target,
                name=category.name,
                slug=category.slug,
                description=category.description,
                max_duration=category.max_duration,
                position=category.position,
            )
        edition_prepared.send(sender=Edition, source=source, target=target, categories=categories)
    logger.info("Edition %s prepared from %s by user %s", target.pk, source.pk, organizer.pk)
    return target


# Categories


def _free_slug(edition: Edition, name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:45] or "categorie"
    taken = set(
        Category.objects.filter(edition=edition, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_category(category: Category) -> None:
    taken = (
        Category.objects.filter(edition_id=category.edition_id, name__iexact=category.name)
        .exclude(pk=category.pk)
        .exists()
    )
    if taken:
        raise DomainError({"name": [_("L'édition a déjà une catégorie de ce nom.")]})
    if category.max_duration is not None and category.max_duration <= timedelta(0):
        raise DomainError({"max_duration": [_("La durée maximale doit être positive.")]})


def create_category(*, edition: Edition, organizer: User, **values) -> Category:
    unknown = set(values) - CATEGORY_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    category = Category(edition=edition, **values)
    category.name = category.name.strip()
    _check_category(category)
    category.slug = _free_slug(edition, category.name)
    category.save()
    logger.info("Category %s created by user %s", category.pk, organizer.pk)
    return category


def update_category(*, category: Category, organizer: User, **changes) -> Category:
    """The slug follows the name while no film is in the category: public addresses use it."""
    unknown = set(changes) - CATEGORY_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(category, name, value.strip() if isinstance(value, str) else value)
    _check_category(category)
    fields = sorted(changes)
    if "name" in changes and not category.films.exists():
        category.slug = _free_slug(category.edition, category.name, exclude_pk=category.pk)
        fields.append("slug")
    category.save(update_fields=fields)
    logger.info("Category %s updated by user %s", category.pk, organizer.pk)
    return category


def category_in_use(category: Category) -> bool:
    return category.films.exists()


def delete_category(*, category: Category, organizer: User) -> None:
    if category_in_use(category):
        raise DomainError(
            _("Des films sont inscrits dans cette catégorie : elle ne peut pas être supprimée."),
            code="category_used",
        )
    pk = category.pk
    category.delete()
    logger.info("Category %s deleted by user %s", pk, organizer.pk)


# Trades


def _check_trade_name(name: str, *, exclude_pk: int | None = None) -> None:
    if Trade.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise DomainError({"name": [_("Ce métier est déjà dans la liste.")]})


def create_trade(*, name: str, description: str = "", organizer: User) -> Trade:
    name = name.strip()
    _check_trade_name(name)
    try:
        trade = Trade.objects.create(
            name=name, description=description.strip(), festival_id=organizer.festival_id
        )
    except IntegrityError as error:
        raise DomainError({"name": [_("Ce métier est déjà dans la liste.")]}) from error
    logger.info("Trade %s created by user %s", trade.pk, organizer.pk)
    return trade


def update_trade(
    *,
    trade: Trade,
    name: str,
    description: str = "",
    organizer: User,
    training_links: list[tuple[str, str]] | None = None,
) -> Trade:
    """Rename a trade, describe it and, when given, replace its training paths (label, URL),
    in the order given. Its page keeps its address (the slug) whatever its new name."""
    trade.name, trade.description = name.strip(), description.strip()
    _check_trade_name(trade.name, exclude_pk=trade.pk)
    with transaction.atomic():
        trade.save(update_fields=["name", "description"])
        if training_links is not None:
            set_training_links(trade=trade, links=training_links)
    logger.info("Trade %s updated by user %s", trade.pk, organizer.pk)
    return trade


def set_training_links(*, trade: Trade, links: list[tuple[str, str]]) -> None:
    # Saved one by one, never in bulk: each save and deletion drops the public pages' cache.
    for link in trade.training_links.all():
        link.delete()
    for position, (label, url) in enumerate(links):
        validate_web_url(url.strip())  # the form's rule, kept here for every other caller
        TrainingLink.objects.create(
            trade=trade, label=label.strip(), url=url.strip(), position=position
        )


def trade_in_use(trade: Trade) -> bool:
    return trade.films.exists()


def delete_trade(*, trade: Trade, organizer: User) -> None:
    with transaction.atomic():
        # Locked, so that a teacher ticking it meanwhile never loses it from their film silently.
        trade = Trade.objects.select_for_update().get(pk=trade.pk)
        if trade_in_use(trade):
            raise DomainError(
                _("Des films présentent ce métier : il ne peut pas être supprimé."),
                code="trade_used",
            )
        pk = trade.pk
        trade.delete()
    logger.info("Trade %s deleted by user %s", pk, organizer.pk)
