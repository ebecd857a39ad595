"""The organizers' judging pages: permissions, juries, settings, assignments, progress."""

import html
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from festival.enums import FilmStatus, Role
from festival.models import User
from judging.domain.assignment import compute_assignments
from judging.domain.juries import add_member, create_jury, ensure_judging_settings
from judging.enums import AssignmentEnd, AssignmentMode, AssignmentSource, EvaluationState
from judging.models import (
    Affiliation,
    Assignment,
    Criterion,
    Evaluation,
    JudgingSettings,
    Jury,
    JuryMember,
    Score,
    ScoreChange,
)
from judging.models_results import Prize
from tests import factories
from tests.judging.queries import writes


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.fixture
def jury(edition, category, juror):
    jury = create_jury(edition=edition, name="Jury lycée", categories=[category], president=juror)
    return jury


@pytest.fixture
def accepted_film(category):
    return factories.make_film(category=category, status=FilmStatus.ACCEPTED, title="Acier")


@pytest.fixture
def assignment(jury, accepted_film, juror):
    compute_assignments(jury=jury)
    return Assignment.objects.get(juror=juror, film=accepted_film)


@pytest.fixture
def evaluation(assignment):
    return Evaluation.objects.create(
        juror=assignment.juror,
        film=assignment.film,
        state=EvaluationState.VALIDATED,
        validated_at=timezone.now(),
    )


@pytest.fixture
def juror_client(client, juror):
    client.force_login(juror)
    return client


@pytest.fixture
def other_organizer_client(client, other_organizer):
    client.force_login(other_organizer)
    return client


def criteria_data(criteria, **changes) -> dict:
    """The scoring form's formset as posted, with `changes` ({index: {field: value}})."""
    data = {
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        values = {
            "id": criterion.pk,
            "position": criterion.position,
            "name": criterion.name,
            "description": criterion.description,
            "weight": criterion.weight,
            "min_score": criterion.min_score,
            "max_score": criterion.max_score,
            "step": criterion.step,
            "required": "on" if criterion.required else "",
            "is_priority": "on" if criterion.is_priority else "",
        }
        values.update(changes.get(str(index), {}))
        for name, value in values.items():
            if value != "":
                data[f"criteria-{index}-{name}"] = value
    return data


# Who may open what


@pytest.fixture
def pages(edition, jury, assignment, evaluation, juror, category):
    member = JuryMember.objects.get(jury=jury, juror=juror)
    other_category = factories.make_category(edition, name="Collège", slug="college")
    settings = ensure_judging_settings(edition=edition)
    return {
        "home": ("get", reverse("judging:organizer_home"), {}),
        "set_up": ("post", reverse("judging:organizer_set_up", args=[edition.pk]), {}),
        "juries": ("get", reverse("judging:organizer_juries", args=[edition.pk]), {}),
        "settings": ("get", reverse("judging:organizer_settings", args=[edition.pk]), {}),
        "settings_post": (
            "post",
            reverse("judging:organizer_settings", args=[edition.pk]),
            {
                "assignment_mode": AssignmentMode.AT_LEAST_K,
                "jurors_per_film": 2,
                "min_watched_percent": 50,
                "reminder_days_before": settings.reminder_days_before,
            },
        ),
        "criteria": ("get", reverse("judging:organizer_criteria", args=[edition.pk]), {}),
        "criteria_post": (
            "post",
            reverse("judging:organizer_criteria", args=[edition.pk]),
            criteria_data(list(edition.criteria.all()), **{"0": {"name": "Histoire"}}),
        ),
        "jury_create": ("get", reverse("judging:organizer_jury_create", args=[edition.pk]), {}),
        "jury_create_post": (
            "post",
            reverse("judging:organizer_jury_create", args=[edition.pk]),
            {"name": "Jury collège", "categories": [other_category.pk]},
        ),
        "reminders": ("post", reverse("judging:organizer_reminders", args=[edition.pk]), {}),
        "jury": ("get", reverse("judging:organizer_jury", args=[jury.pk]), {}),
        "jury_edit": ("get", reverse("judging:organizer_jury_edit", args=[jury.pk]), {}),
        "jury_edit_post": (
            "post",
            reverse("judging:organizer_jury_edit", args=[jury.pk]),
            {"name": "Jury renommé", "categories": [category.pk]},
        ),
        "member_add": (
            "post",
            reverse("judging:organizer_member_add", args=[jury.pk]),
            {"juror": juror.pk, "is_trainee": "on"},
        ),
        "member_invite": (
            "post",
            reverse("judging:organizer_member_invite", args=[jury.pk]),
            {"email": "nouveau@example.org", "first_name": "Zoé", "last_name": "Faure"},
        ),
        "member_trainee": (
            "post",
            reverse("judging:organizer_member_trainee", args=[member.pk]),
            {"is_trainee": "on"},
        ),
        "member_remove": (
            "post",
            reverse("judging:organizer_member_remove", args=[member.pk]),
            {},
        ),
        "compute": (
            "post",
            reverse("judging:organizer_assignments_compute", args=[jury.pk]),
            {},
        ),
        "progress": ("get", reverse("judging:organizer_progress", args=[jury.pk]), {}),
        "assignment_add": (
            "post",
            reverse("judging:organizer_assignment_add", args=[jury.pk]),
            {"juror": juror.pk, "film": assignment.film_id},
        ),
        "assignment_remove": (
            "post",
            reverse("judging:organizer_assignment_remove", args=[assignment.pk]),
            {},
        ),
        "evaluation_reopen": (
            "post",
            reverse("judging:organizer_evaluation_reopen", args=[evaluation.pk]),
            {},
        ),
        "affiliations": (
            "get",
            reverse("judging:organizer_juror_affiliations", args=[juror.pk]),
            {},
        ),
        "affiliations_post": (
            "post",
            reverse("judging:organizer_juror_affiliations", args=[juror.pk]),
            {"schools": [assignment.film.school_id]},
        ),
    }


ALL_PAGES = [
    "home",
    "set_up",
    "juries",
    "settings",
    "settings_post",
    "criteria",
    "criteria_post",
    "jury_create",
    "jury_create_post",
    "reminders",
    "jury",
    "jury_edit",
    "jury_edit_post",
    "member_add",
    "member_invite",
    "member_trainee",
    "member_remove",
    "compute",
    "progress",
    "assignment_add",
    "assignment_remove",
    "evaluation_reopen",
    "affiliations",
    "affiliations_post",
]
SCOPED_PAGES = [name for name in ALL_PAGES if name != "home"]
POST_ONLY = ["set_up", "reminders", "member_add", "member_invite", "member_trainee"]
POST_ONLY += ["member_remove"]
POST_ONLY += ["compute", "assignment_add", "assignment_remove", "evaluation_reopen"]


def request_page(client, pages, name):
    method, url, data = pages[name]
    return getattr(client, method)(url, data)


def snapshot(edition) -> dict:
    """Everything an organizer's page could change, to check a refused request changed nothing."""
    return {
        "juries": list(Jury.objects.values_list("pk", "name", "president_id")),
        "members": list(JuryMember.objects.values_list("pk", "active", "is_trainee")),
        "assignments": list(Assignment.objects.values_list("pk", "active", "ended_reason")),
        "evaluations": list(Evaluation.objects.values_list("pk", "state")),
        "criteria": list(Criterion.objects.values_list("pk", "name")),
        "affiliations": list(Affiliation.objects.values_list("pk")),
        "settings": ensure_judging_settings(edition=edition).assignment_mode,
        "users": User.objects.count(),
    }


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_is_sent_to_login(client, pages, name):
    response = request_page(client, pages, name)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('festival:login')}?next={pages[name][1]}"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_teacher_gets_404(teacher_client, pages, name, edition, mailoutbox):
    before = snapshot(edition)
    assert request_page(teacher_client, pages, name).status_code == 404
    assert snapshot(edition) == before


@pytest.mark.parametrize("name", ALL_PAGES)
def test_juror_gets_404(juror_client, pages, name, edition):
    before = snapshot(edition)
    assert request_page(juror_client, pages, name).status_code == 404
    assert snapshot(edition) == before


@pytest.mark.parametrize("name", SCOPED_PAGES)
def test_other_festivals_organizer_gets_404(other_organizer_client, pages, name, edition):
    before = snapshot(edition)
    assert request_page(other_organizer_client, pages, name).status_code == 404
    assert snapshot(edition) == before


def test_other_festivals_organizer_has_no_edition(other_organizer_client, edition):
    response = other_organizer_client.get(reverse("judging:organizer_home"))
    assert response.status_code == 200
    assert "Votre festival n'a encore aucune édition" in response.text


def test_other_festivals_organizer_cannot_switch_to_our_edition(other_organizer_client, edition):
    response = other_organizer_client.get(
        reverse("judging:organizer_switch_edition"), {"edition": edition.pk}
    )
    assert response["Location"] == reverse("judging:organizer_home")


@pytest.mark.parametrize("who", ["teacher", "juror"])
def test_switching_edition_is_for_organizers(client, edition, teacher, juror, who):
    url = reverse("judging:organizer_switch_edition")
    response = client.get(url, {"edition": edition.pk})
    assert response["Location"].startswith(f"{reverse('festival:login')}?next=")
    client.force_login({"teacher": teacher, "juror": juror}[who])
    assert client.get(url, {"edition": edition.pk}).status_code == 404


def test_switching_edition(organizer_client, edition, festival):
    older = factories.make_edition(festival, is_current=False, year=2001)
    response = organizer_client.get(
        reverse("judging:organizer_switch_edition"), {"edition": older.pk}
    )
    assert response["Location"] == reverse("judging:organizer_juries", args=[older.pk])


def test_editions_are_links_on_the_jury_list(organizer_client, edition, festival):
    older = factories.make_edition(festival, is_current=False, year=2001)
    factories.make_edition(factories.make_festival(), year=2002)  # Another festival's.
    response = organizer_client.get(reverse("judging:organizer_juries", args=[edition.pk]))
    links = response.context["edition_links"]
    assert [(link.edition, link.current) for link in links] == [(edition, True), (older, False)]
    assert links[1].url == reverse("judging:organizer_juries", args=[older.pk])
    assert f'href="{links[1].url}"' in response.text
    assert organizer_client.get(links[1].url).context["edition"] == older


@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_get(organizer_client, pages, name):
    assert organizer_client.get(pages[name][1]).status_code == 405


def test_every_page_opens_for_the_organizer(organizer_client, pages):
    for name in ("juries", "settings", "criteria", "jury_create", "jury", "jury_edit"):
        assert request_page(organizer_client, pages, name).status_code == 200, name
    for name in ("progress", "affiliations"):
        assert request_page(organizer_client, pages, name).status_code == 200, name


# The edition's page


def test_home_opens_the_current_edition(organizer_client, edition, festival):
    factories.make_edition(festival, is_current=False, year=2001)
    response = organizer_client.get(reverse("judging:organizer_home"))
    assert response["Location"] == reverse("judging:organizer_juries", args=[edition.pk])


def test_the_menu_links_to_the_jury_pages(organizer_client, edition):
    # The dashboard shows an edition: the menu opens that edition's juries.
    response = organizer_client.get(reverse("festival:organizer_dashboard"))
    assert f'href="{reverse("judging:organizer_juries", args=[edition.pk])}"' in response.text
    # A page without an edition opens the current one's.
    response = organizer_client.get(reverse("festival:organizer_teachers"))
    assert f'href="{reverse("judging:organizer_home")}"' in response.text


def test_jury_list_shows_progress_and_uncovered_categories(
    organizer_client, edition, jury, evaluation, festival
):
    factories.make_category(edition, name="Apprentis", slug="apprentis")
    trainee = factories.make_juror(festival)
    add_member(jury=jury, juror=trainee, is_trainee=True)
    compute_assignments(jury=jury)
    response = organizer_client.get(reverse("judging:organizer_juries", args=[edition.pk]))
    (listed,) = response.context["juries"]
    assert (listed.member_count, listed.trainee_count) == (2, 1)
    # The trainee's film left to watch does not count: the only regular juror is done.
    assert listed.progress == {"assigned": 1, "validated": 1, "percent": 100}
    assert [category.name for category in response.context["uncovered"]] == ["Apprentis"]


def test_jury_list_queries_do_not_grow_with_juries(organizer_client, edition, festival):
    def add_jury(n):
        category = factories.make_category(edition, name=f"Catégorie {n}", slug=f"cat-{n}")
        jury = create_jury(
            edition=edition,
            name=f"Jury {n}",
            categories=[category],
            president=factories.make_juror(festival),
        )
        factories.make_film(category=category, status=FilmStatus.ACCEPTED)
        compute_assignments(jury=jury)

    add_jury(0)
    url = reverse("judging:organizer_juries", args=[edition.pk])
    expected = count_queries(organizer_client, url)
    for n in range(1, 8):
        add_jury(n)
    assert count_queries(organizer_client, url) == expected


def test_settings_are_saved(organizer_client, edition):
    response = organizer_client.post(
        reverse("judging:organizer_settings", args=[edition.pk]),
        {
            "assignment_mode": AssignmentMode.AT_LEAST_K,
            "jurors_per_film": 4,
            "max_films_per_juror": 9,
            "min_watched_percent": 80,
            "reminder_days_before": 5,
        },
    )
    assert response["Location"] == reverse("judging:organizer_juries", args=[edition.pk])
    settings = ensure_judging_settings(edition=edition)
    assert (
        settings.assignment_mode,
        settings.jurors_per_film,
        settings.max_films_per_juror,
        settings.min_watched_ratio,
        settings.reminder_days_before,
    ) == (AssignmentMode.AT_LEAST_K, 4, 9, Decimal("0.80"), 5)


def test_settings_refuse_a_zero_cap(organizer_client, edition):
    response = organizer_client.post(
        reverse("judging:organizer_settings", args=[edition.pk]),
        {
            "assignment_mode": AssignmentMode.AT_LEAST_K,
            "jurors_per_film": 4,
            "max_films_per_juror": 0,
            "min_watched_percent": 80,
            "reminder_days_before": 5,
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["max_films_per_juror"]


# The scoring form


def test_criteria_are_edited(organizer_client, edition):
    ensure_judging_settings(edition=edition)
    criteria = list(edition.criteria.all())
    data = criteria_data(
        criteria,
        **{
            "0": {"name": "Histoire", "weight": "2"},
            "1": {"DELETE": "on"},
            "3": {"is_priority": ""},
            "4": {"is_priority": "on"},
        },
    )
    response = organizer_client.post(reverse("judging:organizer_criteria", args=[edition.pk]), data)
    assert response.status_code == 302
    assert list(edition.criteria.values_list("name", "weight", "is_priority")) == [
        ("Histoire", Decimal("2"), False),
        ("Son", Decimal("1"), False),
        ("Mise en valeur des métiers", Decimal("1.5"), False),
        ("Créativité", Decimal("1"), True),
    ]


def test_criteria_refuse_two_priorities_and_a_bad_scale(organizer_client, edition):
    ensure_judging_settings(edition=edition)
    criteria = list(edition.criteria.all())
    url = reverse("judging:organizer_criteria", args=[edition.pk])
    response = organizer_client.post(url, criteria_data(criteria, **{"0": {"is_priority": "on"}}))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        "Un seul critère peut être prioritaire : il départage les ex aequo."
    ]
    response = organizer_client.post(url, criteria_data(criteria, **{"0": {"step": "0.7"}}))
    assert response.context["formset"].errors[0] == {
        "step": ["L'écart entre la note minimale et la note maximale doit être un multiple du pas."]
    }
    assert edition.criteria.filter(is_priority=True).count() == 1


def test_criteria_are_read_only_once_scored(organizer_client, edition, evaluation):
    criterion = edition.criteria.first()
    Score.objects.create(evaluation=evaluation, criterion=criterion, value=5)
    url = reverse("judging:organizer_criteria", args=[edition.pk])
    response = organizer_client.get(url)
    assert response.context["locked"] is True
    response = organizer_client.post(
        url, criteria_data(list(edition.criteria.all()), **{"0": {"name": "Autre"}})
    )
    assert messages_of(response) == [
        "La grille d'évaluation ne peut plus être modifiée : des jurés ont déjà commencé à noter."
    ]
    criterion.refresh_from_db()
    assert criterion.name == "Scénario"


# Juries and members


def test_create_a_jury(organizer_client, edition, juror):
    category = factories.make_category(edition, name="Collège", slug="college")
    response = organizer_client.post(
        reverse("judging:organizer_jury_create", args=[edition.pk]),
        {"name": "Jury collège", "categories": [category.pk], "president": juror.pk},
    )
    jury = Jury.objects.get()
    assert response["Location"] == reverse("judging:organizer_jury", args=[jury.pk])
    assert (jury.edition, jury.president, list(jury.categories.all())) == (
        edition,
        juror,
        [category],
    )


def test_a_taken_category_is_explained(organizer_client, edition, jury, category):
    response = organizer_client.post(
        reverse("judging:organizer_jury_create", args=[edition.pk]),
        {"name": "Second jury", "categories": [category.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "La catégorie « Lycée » est déjà jugée par le jury « Jury lycée »."
    ]


def test_categories_and_jurors_of_other_festivals_are_not_offered(organizer_client, edition):
    factories.make_category()
    stranger = factories.make_juror(factories.make_festival())
    response = organizer_client.get(reverse("judging:organizer_jury_create", args=[edition.pk]))
    form = response.context["form"]
    assert list(form.fields["categories"].queryset) == list(edition.categories.all())
    assert stranger not in form.fields["president"].queryset


def test_edit_a_jury(organizer_client, jury, category):
    response = organizer_client.post(
        reverse("judging:organizer_jury_edit", args=[jury.pk]),
        {"name": "Jury des lycées", "categories": [category.pk]},
    )
    assert response.status_code == 302
    jury.refresh_from_db()
    assert (jury.name, jury.president) == ("Jury des lycées", None)


def test_add_a_member(organizer_client, jury, festival):
    newcomer = factories.make_juror(festival)
    response = organizer_client.post(
        reverse("judging:organizer_member_add", args=[jury.pk]),
        {"juror": newcomer.pk, "is_trainee": "on"},
    )
    assert response.status_code == 302
    assert JuryMember.objects.get(jury=jury, juror=newcomer).is_trainee is True


def test_another_festivals_juror_cannot_be_added(organizer_client, jury):
    stranger = factories.make_juror(factories.make_festival())
    response = organizer_client.post(
        reverse("judging:organizer_member_add", args=[jury.pk]), {"juror": stranger.pk}
    )
    assert response.status_code == 400
    assert not JuryMember.objects.filter(juror=stranger).exists()


def test_invite_a_new_juror(
    organizer_client, jury, festival, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("judging:organizer_member_invite", args=[jury.pk]),
            {"email": "Zoe.Faure@Example.org", "first_name": "Zoé", "last_name": "Faure"},
        )
    assert response.status_code == 302
    invited = User.objects.get(email="zoe.faure@example.org")
    assert (invited.role, invited.festival) == (Role.JUROR, festival)
    assert JuryMember.objects.filter(jury=jury, juror=invited, active=True).exists()
    assert [message.to for message in mailoutbox] == [["zoe.faure@example.org"]]


def test_inviting_someone_with_an_account_is_explained(organizer_client, jury, teacher):
    response = organizer_client.post(
        reverse("judging:organizer_member_invite", args=[jury.pk]),
        {"email": teacher.email, "first_name": "A", "last_name": "B"},
    )
    assert response.status_code == 400
    assert response.context["invite_form"].non_field_errors() == [
        f"{teacher.email} a déjà un compte sur la plateforme, avec un autre rôle."
    ]


def test_trainee_flag_toggles(organizer_client, jury, festival):
    member = add_member(jury=jury, juror=factories.make_juror(festival))
    url = reverse("judging:organizer_member_trainee", args=[member.pk])
    organizer_client.post(url, {"is_trainee": "on"})
    member.refresh_from_db()
    assert member.is_trainee is True
    organizer_client.post(url, {})
    member.refresh_from_db()
    assert member.is_trainee is False


def test_remove_a_member(organizer_client, jury, assignment, evaluation, juror):
    member = JuryMember.objects.get(jury=jury, juror=juror)
    response = organizer_client.post(reverse("judging:organizer_member_remove", args=[member.pk]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.active, assignment.ended_reason) == (False, AssignmentEnd.DROPPED_OUT)
    assert Evaluation.objects.get(pk=evaluation.pk).state == EvaluationState.VALIDATED
    assert messages_of(response) == [
        "Marc Petit ne fait plus partie du jury ; 1 film lui a été retiré, ses notes déjà "
        "données sont conservées. Recalculez les attributions pour le confier à d'autres jurés."
    ]


def test_affiliations_are_saved_and_conflicted_films_withdrawn(organizer_client, juror, assignment):
    company = factories.make_company()
    response = organizer_client.post(
        reverse("judging:organizer_juror_affiliations", args=[juror.pk]),
        {"schools": [assignment.film.school_id], "companies": [company.pk]},
    )
    assert response.status_code == 302
    assert set(Affiliation.objects.values_list("school_id", "company_id")) == {
        (assignment.film.school_id, None),
        (None, company.pk),
    }
    assignment.refresh_from_db()
    assert (assignment.active, assignment.ended_reason) == (False, AssignmentEnd.CONFLICT)
    response = organizer_client.get(
        reverse("judging:organizer_juror_affiliations", args=[juror.pk])
    )
    assert response.context["form"].initial == {
        "schools": [assignment.film.school_id],
        "companies": [company.pk],
    }


# Assignments


def test_compute_reports_short_films(organizer_client, edition, jury, accepted_film, juror):
    settings = ensure_judging_settings(edition=edition)
    settings.assignment_mode = AssignmentMode.AT_LEAST_K
    settings.jurors_per_film = 2
    settings.save()
    response = organizer_client.post(
        reverse("judging:organizer_assignments_compute", args=[jury.pk])
    )
    assert response["Location"] == reverse("judging:organizer_progress", args=[jury.pk])
    assert messages_of(response) == [
        "Attributions calculées : 1 ajoutée(s), 0 retirée(s), 0 inchangée(s).",
        "« Acier » n'a que 1 juré sur les 2 demandés : le jury ne compte que 1 juré titulaire. "
        "Ajoutez des jurés au jury ou baissez le nombre de jurés par film.",
    ]


def test_a_conflicted_assignment_by_hand_is_refused(organizer_client, jury, accepted_film, juror):
    Affiliation.objects.create(juror=juror, school=accepted_film.school)
    response = organizer_client.post(
        reverse("judging:organizer_assignment_add", args=[jury.pk]),
        {"juror": juror.pk, "film": accepted_film.pk},
    )
    assert response["Location"] == reverse("judging:organizer_progress", args=[jury.pk])
    assert messages_of(response) == [
        f"Impossible d'attribuer « Acier » à Marc Petit : ce juré est lié à l'établissement du "
        f"film, {accepted_film.school}."
    ]
    assert not Assignment.objects.exists()


def test_an_assignment_by_hand(organizer_client, jury, accepted_film, juror):
    response = organizer_client.post(
        reverse("judging:organizer_assignment_add", args=[jury.pk]),
        {"juror": juror.pk, "film": accepted_film.pk},
    )
    assert messages_of(response) == ["« Acier » est attribué à Marc Petit."]
    assignment = Assignment.objects.get()
    assert (assignment.active, assignment.source) == (True, AssignmentSource.MANUAL)


def test_an_assignment_by_hand_outside_the_jury_is_refused(organizer_client, jury, juror):
    other_film = factories.make_film(status=FilmStatus.ACCEPTED)
    response = organizer_client.post(
        reverse("judging:organizer_assignment_add", args=[jury.pk]),
        {"juror": juror.pk, "film": other_film.pk},
    )
    assert messages_of(response) == ["Ce juré ou ce film ne fait pas partie du jury."]
    assert not Assignment.objects.exists()


def test_remove_an_assignment_keeps_the_scores(organizer_client, assignment, evaluation):
    response = organizer_client.post(
        reverse("judging:organizer_assignment_remove", args=[assignment.pk])
    )
    assert response["Location"] == reverse("judging:organizer_progress", args=[assignment.jury_id])
    assignment.refresh_from_db()
    assert (assignment.active, assignment.ended_reason, assignment.source) == (
        False,
        AssignmentEnd.REMOVED,
        AssignmentSource.MANUAL,
    )
    assert Evaluation.objects.get(pk=evaluation.pk).state == EvaluationState.VALIDATED


def test_reopen_an_evaluation(
    organizer_client, organizer, evaluation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("judging:organizer_evaluation_reopen", args=[evaluation.pk])
        )
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.validated_at) == (EvaluationState.DRAFT, None)
    assert ScoreChange.objects.get().changed_by == organizer
    assert [message.to for message in mailoutbox] == [[evaluation.juror.email]]
    assert messages_of(response) == [
        "Les notes de Marc Petit pour « Acier » sont rouvertes : un e-mail l'en informe."
    ]


def test_reopening_a_draft_is_explained(organizer_client, evaluation):
    evaluation.state = EvaluationState.DRAFT
    evaluation.save()
    response = organizer_client.post(
        reverse("judging:organizer_evaluation_reopen", args=[evaluation.pk])
    )
    assert messages_of(response) == ["Ces notes ne sont pas validées : il n'y a rien à rouvrir."]
    assert not ScoreChange.objects.exists()


def test_send_reminders_from_the_page(
    organizer_client, edition, assignment, mailoutbox, django_capture_on_commit_callbacks
):
    progress_url = reverse("judging:organizer_progress", args=[assignment.jury_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("judging:organizer_reminders", args=[edition.pk]), {"next": progress_url}
        )
    assert response["Location"] == progress_url
    assert [message.to for message in mailoutbox] == [[assignment.juror.email]]
    assert messages_of(response) == ["Rappel envoyé au juré qui a encore des films à noter."]


def test_reminders_never_redirect_elsewhere(organizer_client, edition):
    response = organizer_client.post(
        reverse("judging:organizer_reminders", args=[edition.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("judging:organizer_juries", args=[edition.pk])


# The progress matrix


def test_progress_matrix_states(organizer_client, jury, category, juror, festival, evaluation):
    trainee = factories.make_juror(festival, last_name="Zola")
    add_member(jury=jury, juror=trainee, is_trainee=True)
    drafted = factories.make_film(category=category, status=FilmStatus.ACCEPTED, title="Bielle")
    conflicted = factories.make_film(category=category, status=FilmStatus.SUBMITTED, title="Cric")
    factories.make_film(category=category, status=FilmStatus.DRAFT, title="Pas encore déposé")
    Affiliation.objects.create(juror=trainee, school=conflicted.school)
    compute_assignments(jury=jury)
    Evaluation.objects.create(juror=juror, film=drafted, state=EvaluationState.DRAFT)
    Assignment.objects.filter(juror=trainee, film=drafted).update(
        active=False, ended_reason=AssignmentEnd.REMOVED
    )

    response = organizer_client.get(reverse("judging:organizer_progress", args=[jury.pk]))

    matrix = response.context["matrix"]
    assert [column.member.juror for column in matrix.members] == [juror, trainee]
    assert [(row.film.title, [cell.state for cell in row.cells]) for row in matrix.rows] == [
        ("Acier", ["validated", "to_watch"]),
        ("Bielle", ["draft", "not_assigned"]),
        ("Cric", ["to_watch", "conflict"]),
    ]
    assert (matrix.validated, matrix.assigned, matrix.percent) == (1, 3, 33)
    assert [(c.validated, c.assigned, c.drafts) for c in matrix.members] == [(1, 3, 1), (0, 1, 0)]
    assert "lié à l&#x27;établissement" in response.text


def test_progress_matrix_queries_do_not_grow_with_films(
    organizer_client, jury, category, juror, festival, django_assert_num_queries
):
    other = factories.make_juror(festival)
    add_member(jury=jury, juror=other)

    def add_film():
        film = factories.make_film(category=category, status=FilmStatus.ACCEPTED)
        compute_assignments(jury=jury)
        Evaluation.objects.create(juror=juror, film=film, state=EvaluationState.VALIDATED)
        Affiliation.objects.create(juror=other, school=film.school)
        return film

    add_film()
    url = reverse("judging:organizer_progress", args=[jury.pk])
    expected = count_queries(organizer_client, url)
    for _ in range(29):
        add_film()
    with django_assert_num_queries(expected):
        response = organizer_client.get(url)
    assert len(response.context["matrix"].rows) == 30


# Admin


def test_admin_lists_open(client, edition, evaluation):
    admin = factories.make_organizer(edition.festival, is_staff=True, is_superuser=True)
    client.force_login(admin)
    Score.objects.create(evaluation=evaluation, criterion=edition.criteria.first(), value=5)
    for model in (
        "judgingsettings",
        "criterion",
        "jury",
        "jurymember",
        "affiliation",
        "conflictdeclaration",
        "assignment",
        "evaluation",
        "score",
        "scorechange",
    ):
        assert client.get(reverse(f"admin:judging_{model}_changelist")).status_code == 200, model
    response = client.get(reverse("admin:judging_evaluation_change", args=[evaluation.pk]))
    assert response.status_code == 200
    assert client.get(reverse("admin:judging_score_add")).status_code == 403


# Setting judging up is an action; opening a page never writes.


def test_pages_of_an_edition_not_set_up_write_nothing(organizer_client, edition, category):
    urls = [
        reverse("judging:organizer_juries", args=[edition.pk]),
        reverse("judging:organizer_settings", args=[edition.pk]),
        reverse("judging:organizer_criteria", args=[edition.pk]),
        reverse("judging:organizer_jury_create", args=[edition.pk]),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = organizer_client.get(url)
        assert (url, response.status_code, writes(captured)) == (url, 200, [])
    assert (JudgingSettings.objects.count(), Criterion.objects.count(), Prize.objects.count()) == (
        0,
        0,
        0,
    )
    set_up_url = reverse("judging:organizer_set_up", args=[edition.pk])
    for url in (urls[0], urls[2]):  # the jury list and the scoring form offer the action
        page = html.unescape(organizer_client.get(url).text)
        assert ("Préparer l'évaluation" in page, set_up_url in page) == (True, True)


def test_pages_of_a_jury_write_nothing(organizer_client, jury, assignment, evaluation):
    urls = [
        reverse("judging:organizer_juries", args=[jury.edition_id]),
        reverse("judging:organizer_jury", args=[jury.pk]),
        reverse("judging:organizer_progress", args=[jury.pk]),
        reverse("judging:organizer_criteria", args=[jury.edition_id]),
        reverse("judging:organizer_settings", args=[jury.edition_id]),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = organizer_client.get(url)
        assert (url, response.status_code, writes(captured)) == (url, 200, [])


def test_set_up_creates_the_scoring_form_and_the_usual_prizes(organizer_client, edition, category):
    response = organizer_client.post(reverse("judging:organizer_set_up", args=[edition.pk]))
    assert response.url == reverse("judging:organizer_juries", args=[edition.pk])
    assert JudgingSettings.objects.filter(edition=edition).count() == 1
    assert edition.criteria.count() == 5
    assert Prize.objects.filter(edition=edition, category=category).exists()
    page = organizer_client.get(response.url).text
    assert reverse("judging:organizer_set_up", args=[edition.pk]) not in page
    # Twice (a double click) changes nothing.
    organizer_client.post(reverse("judging:organizer_set_up", args=[edition.pk]))
    assert (edition.criteria.count(), JudgingSettings.objects.filter(edition=edition).count()) == (
        5,
        1,
    )


def test_settings_saved_before_set_up_set_judging_up(organizer_client, edition):
    response = organizer_client.post(
        reverse("judging:organizer_settings", args=[edition.pk]),
        {
            "assignment_mode": AssignmentMode.AT_LEAST_K,
            "jurors_per_film": 2,
            "min_watched_percent": 60,
            "reminder_days_before": 3,
        },
    )
    assert response.status_code == 302
    assert JudgingSettings.objects.get(edition=edition).min_watched_ratio == Decimal("0.6")
    assert edition.criteria.count() == 5


def test_set_up_before_the_categories_says_where_prizes_come_from(organizer_client, edition):
    response = organizer_client.post(
        reverse("judging:organizer_set_up", args=[edition.pk]), follow=True
    )
    assert (edition.criteria.count(), Prize.objects.filter(edition=edition).count()) == (5, 0)
    assert messages_of(response) == [
        "L'évaluation est préparée : la grille par défaut est créée. Les prix habituels se "
        "créent depuis la page Palmarès, une fois les catégories de l'édition définies."
    ]
