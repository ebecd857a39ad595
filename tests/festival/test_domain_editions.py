from datetime import UTC, datetime, timedelta

import pytest

from festival.domain import DomainError
from festival.domain.editions import (
    calendar_errors,
    create_category,
    prepare_next_edition,
    update_edition,
)
from festival.models import Edition
from tests import factories


def at(day: int, month: int = 3) -> datetime:
    return datetime(2031, month, day, 9, tzinfo=UTC)


def test_calendar_in_order_has_no_error():
    dates = {
        "submissions_open_at": at(1),
        "submissions_close_at": at(2),
        "judging_start_at": at(2),
        "judging_end_at": at(3),
        "deliberation_at": at(3),
        "ceremony_at": at(3),
    }
    assert calendar_errors(dates) == {}


def test_calendar_needs_strict_order_for_windows():
    dates = {
        "submissions_open_at": at(2),
        "submissions_close_at": at(2),
        "judging_start_at": at(5),
        "judging_end_at": at(5),
    }
    assert calendar_errors(dates) == {
        "submissions_close_at": "Cette date doit être après la date « ouverture des dépôts ».",
        "judging_end_at": "Cette date doit être après la date « début de l'évaluation ».",
    }


def test_only_one_current_edition(organizer, edition):
    other = factories.make_edition(edition.festival, year=2090, is_current=False)
    update_edition(edition=other, organizer=organizer, is_current=True)
    edition.refresh_from_db()
    other.refresh_from_db()
    assert (edition.is_current, other.is_current) == (False, True)


def test_other_festivals_current_edition_stays(organizer, edition):
    elsewhere = factories.make_edition(factories.make_festival(), year=2090, is_current=True)
    other = factories.make_edition(edition.festival, year=2091, is_current=False)
    update_edition(edition=other, organizer=organizer, is_current=True)
    elsewhere.refresh_from_db()
    assert elsewhere.is_current is True


def test_update_refuses_calendar_out_of_order(organizer, edition):
    with pytest.raises(DomainError) as error:
        update_edition(
            edition=edition,
            organizer=organizer,
            is_current=True,
            ceremony_at=edition.judging_start_at - timedelta(days=1),
        )
    assert list(error.value.message_dict) == ["ceremony_at"]


def test_category_slug_is_free_in_the_edition(organizer, edition):
    factories.make_category(edition, name="Collège (ancien)", slug="college")
    category = create_category(edition=edition, organizer=organizer, name="Collège ", position=1)
    assert (category.name, category.slug) == ("Collège", "college-2")


def test_prepare_next_edition_shifts_dates_and_copies_categories(organizer, festival):
    edition = factories.make_edition(
        festival,
        year=2028,
        submissions_open_at=datetime(2028, 2, 29, 9, tzinfo=UTC),
        submissions_close_at=datetime(2028, 3, 15, 9, tzinfo=UTC),
        judging_start_at=datetime(2028, 3, 20, 9, tzinfo=UTC),
        judging_end_at=datetime(2028, 4, 20, 9, tzinfo=UTC),
        deliberation_at=datetime(2028, 4, 25, 9, tzinfo=UTC),
        ceremony_at=datetime(2028, 5, 20, 18, tzinfo=UTC),
        rules="Cinq minutes au plus.",
    )
    factories.make_category(
        edition, name="Apprentis", slug="apprentis", max_duration=timedelta(minutes=3)
    )
    target = prepare_next_edition(source=edition, organizer=organizer)
    assert target.year == edition.year + 1
    assert target.submissions_open_at == datetime(2029, 2, 28, 9, tzinfo=UTC)
    assert target.ceremony_at == datetime(2029, 5, 20, 18, tzinfo=UTC)
    assert (target.rules, target.theme, target.is_current) == ("Cinq minutes au plus.", "", False)
    assert list(target.categories.values_list("name", "slug", "max_duration")) == [
        ("Apprentis", "apprentis", timedelta(minutes=3))
    ]


def test_prepare_next_title(organizer, festival):
    edition = factories.make_edition(festival, year=2030, title="FILM'IT 2030")
    target = prepare_next_edition(source=edition, organizer=organizer)
    assert target.title == "FILM'IT 2031"


def test_prepare_next_refused_when_it_exists(organizer, edition):
    factories.make_edition(edition.festival, year=edition.year + 1, is_current=False)
    with pytest.raises(DomainError):
        prepare_next_edition(source=edition, organizer=organizer)
    assert Edition.objects.filter(festival=edition.festival).count() == 2
