import pytest
from django.test import RequestFactory

from festival.enums import Academie, ConsentStatus, FilmStatus
from festival.filters import FilmFilter
from festival.rules import films_for_organizer
from tests import factories


def filtered_ids(organizer, **params) -> list[int]:
    request = RequestFactory().get("/", params)
    request.user = organizer
    filterset = FilmFilter(request.GET, queryset=films_for_organizer(organizer), request=request)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


def form_errors(organizer, **params) -> dict:
    request = RequestFactory().get("/", params)
    request.user = organizer
    filterset = FilmFilter(request.GET, queryset=films_for_organizer(organizer), request=request)
    return dict(filterset.errors)


def ids(*films) -> list[int]:
    return sorted(film.pk for film in films)


@pytest.fixture
def cast(festival, edition, category, teacher):
    """Films of two editions of the festival, in several schools, statuses and trades."""
    older = factories.make_edition(festival, year=2019, is_current=False, open_now=False)
    old_category = factories.make_category(older, name="Collège", slug="college")
    college = factories.make_category(edition, name="Collège", slug="college")
    dijon_school = factories.make_school(
        name="Lycée Hippolyte Fontaine", town="Dijon", academie=Academie.DIJON
    )
    dijon_teacher = factories.make_teacher(dijon_school, first_name="Nadia", last_name="Benali")
    welding, machining = factories.make_trade(name="Soudeur"), factories.make_trade(name="Usineur")
    films = {
        "submitted": factories.make_film(
            teacher=teacher, category=category, status=FilmStatus.SUBMITTED, title="Acier vivant"
        ),
        "accepted": factories.make_film(
            teacher=teacher, category=college, status=FilmStatus.ACCEPTED, title="Bielles"
        ),
        "dijon": factories.make_film(
            teacher=dijon_teacher, category=category, status=FilmStatus.DRAFT, title="Copeaux"
        ),
        "old": factories.make_film(
            teacher=teacher, category=old_category, status=FilmStatus.REJECTED, title="Décolleté"
        ),
    }
    films["submitted"].trades.add(welding)
    films["accepted"].trades.add(welding, machining)
    films["dijon"].trades.add(machining)
    return {
        "films": films,
        "older": older,
        "old_category": old_category,
        "college": college,
        "dijon_school": dijon_school,
        "welding": welding,
        "machining": machining,
    }


def test_no_filter_gives_every_film_of_the_festival(organizer, cast):
    factories.make_film()  # Another festival's film.
    assert sorted(filtered_ids(organizer)) == ids(*cast["films"].values())


def test_edition(organizer, edition, cast):
    f = cast["films"]
    assert sorted(filtered_ids(organizer, edition=edition.pk)) == ids(
        f["submitted"], f["accepted"], f["dijon"]
    )
    assert filtered_ids(organizer, edition=cast["older"].pk) == [f["old"].pk]


def test_edition_of_another_festival_is_not_a_choice(organizer, cast):
    stranger = factories.make_edition()
    assert list(form_errors(organizer, edition=stranger.pk)) == ["edition"]


def test_category(organizer, category, cast):
    f = cast["films"]
    assert sorted(filtered_ids(organizer, category=category.pk)) == ids(f["submitted"], f["dijon"])
    assert filtered_ids(organizer, category=cast["college"].pk) == [f["accepted"].pk]
    assert filtered_ids(organizer, category=cast["old_category"].pk) == [f["old"].pk]


def test_category_of_another_festival_is_not_a_choice(organizer, cast):
    stranger = factories.make_category()
    assert list(form_errors(organizer, category=stranger.pk)) == ["category"]


def test_status(organizer, cast):
    f = cast["films"]
    assert filtered_ids(organizer, status=FilmStatus.SUBMITTED) == [f["submitted"].pk]
    assert filtered_ids(organizer, status=FilmStatus.REJECTED) == [f["old"].pk]
    assert filtered_ids(organizer, status=FilmStatus.WITHDRAWN) == []


def test_school(organizer, school, cast):
    f = cast["films"]
    assert sorted(filtered_ids(organizer, school=school.pk)) == ids(
        f["submitted"], f["accepted"], f["old"]
    )
    assert filtered_ids(organizer, school=cast["dijon_school"].pk) == [f["dijon"].pk]


def test_school_choices_are_the_festivals_schools(organizer, school, cast):
    factories.make_film()  # A school with films elsewhere only.
    request = RequestFactory().get("/")
    request.user = organizer
    filterset = FilmFilter(request.GET, queryset=films_for_organizer(organizer), request=request)
    choices = sorted(filterset.filters["school"].queryset.values_list("pk", flat=True))
    assert choices == sorted([school.pk, cast["dijon_school"].pk])


def test_academie(organizer, cast):
    f = cast["films"]
    assert filtered_ids(organizer, academie=Academie.DIJON) == [f["dijon"].pk]
    assert sorted(filtered_ids(organizer, academie=Academie.BESANCON)) == ids(
        f["submitted"], f["accepted"], f["old"]
    )
    assert filtered_ids(organizer, academie=Academie.LYON) == []


def test_trade(organizer, cast):
    f = cast["films"]
    assert sorted(filtered_ids(organizer, trade=cast["welding"].pk)) == ids(
        f["submitted"], f["accepted"]
    )
    assert sorted(filtered_ids(organizer, trade=cast["machining"].pk)) == ids(
        f["accepted"], f["dijon"]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acier", ["submitted"]),
        ("BIELLES", ["accepted"]),
        ("Fontaine", ["dijon"]),
        ("Benali", ["dijon"]),
        ("Nadia copeaux", ["dijon"]),
        ("Girard", ["submitted", "accepted", "old"]),
        ("Girard bielles", ["accepted"]),
        ("introuvable", []),
    ],
)
def test_search_over_title_school_and_teacher(organizer, cast, query, expected):
    f = cast["films"]
    assert sorted(filtered_ids(organizer, q=query)) == ids(*(f[name] for name in expected))


def test_search_by_uai(organizer, cast):
    uai = cast["dijon_school"].uai.lower()
    assert filtered_ids(organizer, q=uai) == [cast["films"]["dijon"].pk]


def test_consents(organizer, cast):
    f = cast["films"]
    factories.make_consent(f["submitted"], status=ConsentStatus.VALIDATED)
    factories.make_consent(f["accepted"], status=ConsentStatus.VALIDATED)
    factories.make_consent(f["accepted"], status=ConsentStatus.PENDING)
    factories.make_consent(f["dijon"], status=ConsentStatus.REFUSED)
    assert filtered_ids(organizer, consents="validated") == [f["submitted"].pk]
    assert sorted(filtered_ids(organizer, consents="missing")) == ids(
        f["accepted"], f["dijon"], f["old"]
    )


def test_consent_counts_are_not_inflated_by_the_trade_filter(organizer, cast):
    accepted = cast["films"]["accepted"]
    factories.make_consent(accepted, status=ConsentStatus.VALIDATED)
    factories.make_consent(accepted, status=ConsentStatus.PENDING)
    request = RequestFactory().get("/", {"trade": cast["welding"].pk, "status": "accepted"})
    request.user = organizer
    film = FilmFilter(
        request.GET, queryset=films_for_organizer(organizer), request=request
    ).qs.get()
    assert (film.consents_total, film.consents_validated, film.consents_pending) == (2, 1, 1)


def test_filters_combine(organizer, edition, category, cast):
    f = cast["films"]
    assert filtered_ids(
        organizer, edition=edition.pk, category=category.pk, academie=Academie.BESANCON
    ) == [f["submitted"].pk]


def test_ordering(organizer, cast):
    f = cast["films"]
    assert filtered_ids(organizer, o="title") == [
        f["submitted"].pk,
        f["accepted"].pk,
        f["dijon"].pk,
        f["old"].pk,
    ]


def test_default_ordering_is_latest_edition_first(organizer, cast):
    assert filtered_ids(organizer)[-1] == cast["films"]["old"].pk


def test_other_organizer_sees_nothing(other_organizer, cast):
    assert filtered_ids(other_organizer) == []
