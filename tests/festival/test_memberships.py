"""Several festivals on one installation: teachers approved per festival, people who hold roles
in several festivals, and pages that say which festival they show."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from festival.enums import ApprovalStatus, FilmStatus, Role
from festival.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

FESTIVALS = reverse("festival:teacher_festivals")
SWITCH = reverse("festival:organizer_switch_festival")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_festivals(db):
    doubs = factories.make_festival(name="FILM'IT Doubs", contact_email="doubs@example.org")
    jura = factories.make_festival(name="FILM'IT Jura", contact_email="jura@example.org")
    return doubs, jura


# Teachers, approved by each festival


def test_a_teacher_refused_in_one_festival_keeps_their_films_of_the_other(two_festivals):
    doubs, jura = two_festivals
    teacher = factories.make_teacher(festivals=[doubs, jura])
    doubs_film = factories.make_film(
        teacher=teacher, category=factories.make_category(factories.make_edition(doubs))
    )
    jura_film = factories.make_film(
        teacher=teacher, category=factories.make_category(factories.make_edition(jura))
    )
    client = logged_in(teacher)
    assert client.get(doubs_film.get_absolute_url()).status_code == 200
    Membership.objects.filter(user=teacher, festival=doubs).update(approval=ApprovalStatus.REFUSED)
    assert client.get(doubs_film.get_absolute_url()).status_code == 404
    assert client.get(jura_film.get_absolute_url()).status_code == 200
    dashboard = client.get(reverse("festival:teacher_dashboard"))
    assert [film.pk for film in dashboard.context["films"]] == [jura_film.pk]


def test_a_teacher_creates_films_only_for_the_festivals_that_approved_them(two_festivals):
    doubs, jura = two_festivals
    doubs_edition = factories.make_edition(doubs)
    jura_edition = factories.make_edition(jura)
    teacher = factories.make_teacher(festivals=[doubs])
    factories.join(teacher, jura, approval=ApprovalStatus.PENDING)
    response = logged_in(teacher).get(reverse("festival:teacher_film_create"))
    offered = list(response.context["form"].fields["edition"].queryset)
    assert offered == [doubs_edition]
    assert jura_edition not in offered


def test_the_dashboard_names_the_festival_of_each_film_when_there_are_several(two_festivals):
    doubs, jura = two_festivals
    teacher = factories.make_teacher(festivals=[doubs, jura])
    for festival in two_festivals:
        factories.make_film(
            teacher=teacher,
            category=factories.make_category(factories.make_edition(festival)),
            status=FilmStatus.DRAFT,
        )
    page = logged_in(teacher).get(reverse("festival:teacher_dashboard")).content.decode()
    assert "FILM&#x27;IT Doubs" in page and "FILM&#x27;IT Jura" in page
    assert f'href="{FESTIVALS}"' in page


def test_my_festivals_lists_answers_and_asks_another_festival(
    two_festivals, mailoutbox, django_capture_on_commit_callbacks
):
    doubs, jura = two_festivals
    teacher = factories.make_teacher(festivals=[doubs])
    jura_organizer = factories.make_organizer(jura)
    factories.make_organizer(doubs)
    client = logged_in(teacher)
    page = client.get(FESTIVALS)
    assert [m.festival for m in page.context["memberships"]] == [doubs]
    assert list(page.context["form"].fields["festival"].queryset) == [jura]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FESTIVALS, {"festival": jura.pk})
    assert response.url == FESTIVALS
    assert messages_of(response) == [
        "Votre demande est envoyée à l'organisation du festival FILM'IT Jura : vous recevrez "
        "sa réponse par e-mail."
    ]
    assert teacher.memberships.get(festival=jura).approval == ApprovalStatus.PENDING
    # Only the Jura's organizers hear of it.
    assert [m.to for m in mailoutbox] == [[jura_organizer.email]]
    page = client.get(FESTIVALS)
    assert list(page.context["form"].fields["festival"].queryset) == []
    assert "Vous avez déjà demandé à participer à tous les festivals" in page.content.decode()


def test_my_festivals_refuses_a_festival_already_asked(two_festivals):
    doubs, _jura = two_festivals
    teacher = factories.make_teacher(festivals=[doubs])
    response = logged_in(teacher).post(FESTIVALS, {"festival": doubs.pk})
    assert response.status_code == 200
    assert "festival" in response.context["form"].errors
    assert Membership.objects.filter(user=teacher).count() == 1


def test_my_festivals_is_for_teachers_only(two_festivals):
    doubs, _jura = two_festivals
    assert logged_in(factories.make_juror(doubs)).get(FESTIVALS).status_code == 404
    assert logged_in(factories.make_organizer(doubs)).get(FESTIVALS).status_code == 404
    response = Client().get(FESTIVALS)
    assert response.status_code == 302 and "/compte/connexion/" in response.url


def test_a_pending_teacher_sees_each_festival_s_answer(two_festivals):
    doubs, jura = two_festivals
    teacher = factories.make_teacher(festivals=[doubs], approval=ApprovalStatus.PENDING)
    factories.join(teacher, jura, approval=ApprovalStatus.REFUSED)
    Membership.objects.filter(user=teacher, festival=jura).update(refusal_reason="Hors région")
    response = logged_in(teacher).get(reverse("festival:after_login"))
    assert response.templates[0].name == "festival/accounts/account_pending.html"
    page = response.content.decode()
    assert "FILM&#x27;IT Doubs" in page and "Hors région" in page and FESTIVALS in page


def test_signup_offers_a_choice_of_festival_only_when_there_are_several(db):
    only = factories.make_festival()
    form = Client().get(reverse("festival:signup")).context["form"]
    assert form.fields["festival"].widget.input_type == "hidden"
    assert form.fields["festival"].initial == only.pk
    second = factories.make_festival(slug="filmit-jura")
    response = Client().get(reverse("festival:signup"), {"festival": "filmit-jura"})
    form = response.context["form"]
    assert form.fields["festival"].widget.input_type == "select"
    assert form.fields["festival"].initial == second.pk


# Organizers of several festivals


def test_an_organizer_of_two_festivals_switches_between_them(two_festivals):
    doubs, jura = two_festivals
    organizer = factories.make_organizer(doubs)
    factories.join(organizer, jura)
    doubs_film = factories.make_film(
        category=factories.make_category(factories.make_edition(doubs))
    )
    jura_film = factories.make_film(category=factories.make_category(factories.make_edition(jura)))
    client = logged_in(organizer)
    page = client.get(reverse("festival:organizer_dashboard")).content.decode()
    assert 'id="working-festival"' in page
    films = client.get(reverse("festival:organizer_films"))
    assert [film.pk for film in films.context["films"]] == [doubs_film.pk]
    response = client.post(SWITCH, {"festival": jura.pk})
    assert response.url == reverse("festival:organizer_dashboard")
    assert messages_of(response) == ["Vous travaillez maintenant sur le festival FILM'IT Jura."]
    films = client.get(reverse("festival:organizer_films"))
    assert [film.pk for film in films.context["films"]] == [jura_film.pk]
    organizer.refresh_from_db()
    assert organizer.festival == jura


def test_an_organizer_cannot_switch_to_a_festival_they_do_not_organize(two_festivals):
    doubs, jura = two_festivals
    organizer = factories.make_organizer(doubs)
    client = logged_in(organizer)
    assert client.post(SWITCH, {"festival": jura.pk}).status_code == 404
    for typed in ("abc", ""):
        response = client.post(SWITCH, {"festival": typed})
        assert messages_of(response)[-1] == "Choisissez un festival dans la liste."
    organizer.refresh_from_db()
    assert organizer.festival == doubs
    assert client.get(SWITCH).status_code == 405


def test_an_organizer_who_left_a_festival_sees_their_other_one(two_festivals):
    doubs, jura = two_festivals
    organizer = factories.make_organizer(doubs)
    factories.join(organizer, jura)
    Membership.objects.filter(user=organizer, festival=doubs).delete()
    jura_film = factories.make_film(category=factories.make_category(factories.make_edition(jura)))
    doubs_film = factories.make_film(
        category=factories.make_category(factories.make_edition(doubs))
    )
    client = logged_in(organizer)
    films = client.get(reverse("festival:organizer_films"))
    assert [film.pk for film in films.context["films"]] == [jura_film.pk]
    url = reverse("festival:organizer_film", args=[doubs_film.pk])
    assert client.get(url).status_code == 404


def test_an_organizer_with_no_festival_left_gets_nothing(two_festivals):
    doubs, _jura = two_festivals
    organizer = factories.make_organizer(doubs)
    Membership.objects.filter(user=organizer).delete()
    assert logged_in(organizer).get(reverse("festival:organizer_dashboard")).status_code == 404


def test_the_organizer_menu_names_the_festival(organizer_client, festival):
    page = organizer_client.get(reverse("festival:organizer_dashboard")).content.decode()
    assert "FILM&#x27;IT Franche-Comté</strong>" in page
    assert 'id="working-festival"' not in page


# Jurors of several festivals


def test_a_juror_of_two_festivals_reads_which_festival_each_edition_is(two_festivals):
    doubs, jura = two_festivals
    juror = factories.make_juror(doubs)
    factories.join(juror, jura)
    for festival in two_festivals:
        edition = factories.make_edition(festival, title=f"Édition {festival.name}")
        category = factories.make_category(edition)
        jury = factories.make_jury(edition, categories=[category])
        factories.make_jury_member(jury, juror)
        film = factories.make_film(category=category, status=FilmStatus.ACCEPTED)
        factories.make_assignment(jury=jury, juror=juror, film=film)
    page = logged_in(juror).get(reverse("judging:juror_dashboard")).content.decode()
    assert "FILM&#x27;IT Doubs — Édition" in page
    assert "FILM&#x27;IT Jura — Édition" in page


def test_a_juror_joins_a_jury_only_of_a_festival_they_belong_to(two_festivals):
    from festival.domain import DomainError
    from judging.domain.juries import add_member

    doubs, jura = two_festivals
    juror = factories.make_juror(doubs)
    jury = factories.make_jury(factories.make_edition(jura))
    with pytest.raises(DomainError):
        add_member(jury=jury, juror=juror)
    factories.join(juror, jura)
    assert add_member(jury=jury, juror=juror).juror == juror


def test_members_of_counts_only_approved_members(two_festivals):
    from festival.models import User

    doubs, jura = two_festivals
    organizer = factories.make_organizer(doubs)
    factories.make_organizer(jura)
    factories.join(factories.make_organizer(jura), doubs, approval=ApprovalStatus.PENDING)
    assert list(User.objects.members_of(doubs.pk, Role.ORGANIZER)) == [organizer]


# The migration that made memberships from the accounts of one festival


@pytest.fixture
def latest_schema_after():
    """Whatever a test migrates back to, the database has every migration again after it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_account_s_place(latest_schema_after):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("festival", "0003_trade_added_by_festival")]
    after = [("festival", "0004_memberships")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Festival = old.get_model("festival", "Festival")
    User = old.get_model("festival", "User")
    festival = Festival.objects.create(name="FILM'IT", slug="filmit")
    other = Festival.objects.create(name="FILM'IT Jura", slug="jura")
    people = {
        name: User.objects.create(
            email=f"{name}@example.org", role=role, approval=approval, festival=where
        )
        for name, role, approval, where in [
            ("teacher", "teacher", "approved", None),
            ("refused", "teacher", "refused", None),
            ("juror", "juror", "approved", festival),
            ("organizer", "organizer", "approved", other),
        ]
    }
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    rows = set(
        new.get_model("festival", "Membership").objects.values_list(
            "user__email", "festival__slug", "role", "approval"
        )
    )
    assert rows == {
        # Teachers without films yet keep their answer in every festival.
        ("teacher@example.org", "filmit", "teacher", "approved"),
        ("teacher@example.org", "jura", "teacher", "approved"),
        ("refused@example.org", "filmit", "teacher", "refused"),
        ("refused@example.org", "jura", "teacher", "refused"),
        ("juror@example.org", "filmit", "juror", "approved"),
        ("organizer@example.org", "jura", "organizer", "approved"),
    }
    assert len(people) == 4
