"""Next year's edition gets judging's set-up through festival's `edition_prepared` signal."""

from decimal import Decimal

import pytest
from django.urls import reverse

from festival.domain.editions import prepare_next_edition
from festival.models import Edition
from judging.enums import AssignmentMode
from judging.models import Assignment, Criterion, Evaluation, JudgingSettings, Jury
from judging.models_results import Prize
from tests import factories


@pytest.fixture
def set_up_edition(edition, category, juror, festival, film):
    apprentis = factories.make_category(edition, name="Apprentis", slug="apprentis")
    factories.make_criterion(edition, name="Scénario", weight=Decimal("2"), is_priority=True)
    factories.make_criterion(edition, name="Image")
    factories.make_judging_settings(
        edition, assignment_mode=AssignmentMode.EVERYONE, jurors_per_film=4
    )
    Prize.objects.create(edition=edition, kind="jury", category=category, name="Prix du jury")
    Prize.objects.create(edition=edition, kind="special", name="Coup de cœur")
    other_juror = factories.make_juror(festival)
    jury = factories.make_jury(
        edition,
        name="Jury lycées",
        categories=[category, apprentis],
        president=juror,
        members=[other_juror],
    )
    factories.make_assignment(jury=jury, juror=other_juror, film=film)
    factories.make_evaluation(juror=other_juror, film=film)
    return edition


def test_judging_set_up_is_copied(organizer, set_up_edition, juror):
    target = prepare_next_edition(source=set_up_edition, organizer=organizer)
    assert list(
        Criterion.objects.filter(edition=target).values_list("name", "weight", "is_priority")
    ) == [("Scénario", Decimal("2"), True), ("Image", Decimal("1"), False)]
    assert JudgingSettings.objects.get(edition=target).jurors_per_film == 4
    assert sorted(
        Prize.objects.filter(edition=target).values_list("name", "category__edition_id")
    ) == [("Coup de cœur", None), ("Prix du jury", target.pk)]
    jury = Jury.objects.get(edition=target)
    source_jury = Jury.objects.get(edition=set_up_edition)
    assert (jury.name, jury.president_id) == ("Jury lycées", juror.pk)
    assert sorted(c.slug for c in jury.categories.all()) == ["apprentis", "lycee"]
    assert {c.edition_id for c in jury.categories.all()} == {target.pk}
    assert sorted(jury.members.values_list("juror_id", flat=True)) == sorted(
        source_jury.members.values_list("juror_id", flat=True)
    )
    assert Assignment.objects.filter(jury=jury).count() == 0
    assert Evaluation.objects.filter(film__edition=target).count() == 0
    assert source_jury.members.count() == 2


def test_copy_is_one_transaction(organizer, set_up_edition, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Prize.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        prepare_next_edition(source=set_up_edition, organizer=organizer)
    assert not Edition.objects.filter(year=set_up_edition.year + 1).exists()
    assert Criterion.objects.count() == 2


def test_prepared_edition_page_shows_the_copied_set_up(client, organizer, set_up_edition):
    client.force_login(organizer)
    response = client.post(
        reverse("festival:organizer_edition_prepare_next", args=[set_up_edition.pk])
    )
    target = Edition.objects.get(year=set_up_edition.year + 1)
    response = client.get(response["Location"])
    assert response.context["edition"] == target
    assert [(str(step.label), step.done) for step in response.context["steps"]] == [
        ("Calendrier", True),
        ("Catégories", True),
        ("Grille d'évaluation", True),
        ("Prix", True),
        ("Jurys", True),
        ("Prix du public", False),
    ]
