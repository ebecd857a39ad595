import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from festival.enums import ApprovalStatus, ConsentStatus, FilmStatus, Role
from festival.models import (
    Category,
    Company,
    ConsentForm,
    Edition,
    Festival,
    Film,
    FilmEvent,
    Invitation,
    Membership,
    School,
    Trade,
    User,
    VolunteerCompany,
)
from tests import factories


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        email="admin@example.org", password=factories.PASSWORD, first_name="Ada", last_name="Admin"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def objects(complete_film, organizer, juror):
    """One object of every model of the festival admin."""
    film = complete_film
    FilmEvent.objects.create(film=film, actor=film.teacher, to_status=FilmStatus.DRAFT)
    return {
        User: organizer,
        Membership: film.teacher.memberships.get(),
        Festival: film.edition.festival,
        Edition: film.edition,
        Category: film.category,
        School: film.school,
        Company: film.company,
        Trade: film.trades.get(),
        Film: film,
        ConsentForm: film.consents.get(),
        Invitation: Invitation.objects.create(user=juror, invited_by=organizer),
        VolunteerCompany: VolunteerCompany.objects.create(
            festival=film.edition.festival, company=film.company, contact_name="Contact"
        ),
    }


def admin_url(model, view, *args):
    return reverse(f"admin:festival_{model._meta.model_name}_{view}", args=args)


MODELS = [
    User,
    Membership,
    Festival,
    Edition,
    Category,
    School,
    Company,
    Trade,
    Film,
    ConsentForm,
    Invitation,
    VolunteerCompany,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_loads(admin_client, objects, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_change_page_loads(admin_client, objects, model):
    response = admin_client.get(admin_url(model, "change", objects[model].pk))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model",
    [User, Festival, Edition, Category, School, Company, Trade, Film],
    ids=lambda model: model.__name__,
)
def test_add_page_loads(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", [ConsentForm, Invitation], ids=lambda model: model.__name__)
def test_consents_and_invitations_are_not_created_in_the_admin(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 403


def test_every_festival_model_is_registered():
    registered = {model for model in admin.site._registry if model._meta.app_label == "festival"}
    assert registered == set(MODELS)


def test_changelist_search(admin_client, school):
    factories.make_school(name="Collège Victor Hugo")
    response = admin_client.get(admin_url(School, "changelist"), {"q": school.uai})
    assert list(response.context["cl"].result_list) == [school]


def form_data(response) -> dict:
    """The POST data of an admin change form as the browser would send it back."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value
    return data


def test_film_status_is_read_only(admin_client, category, teacher):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)
    url = admin_url(Film, "change", film.pk)
    page = admin_client.get(url)
    assert "status" not in page.context["adminform"].form.fields
    assert "original_video" not in page.context["adminform"].form.fields
    data = {**form_data(page), "title": "Nouveau titre", "status": FilmStatus.ACCEPTED}
    response = admin_client.post(url, data)
    assert response.status_code == 302
    film.refresh_from_db()
    assert (film.title, film.status) == ("Nouveau titre", FilmStatus.SUBMITTED)


def test_film_added_in_the_admin_starts_its_history(admin_client, superuser, category, teacher):
    page = admin_client.get(admin_url(Film, "add"))
    data = {
        **form_data(page),
        "edition": category.edition_id,
        "category": category.pk,
        "school": teacher.school_id,
        "teacher": teacher.pk,
        "title": "Le tour et la fraiseuse",
    }
    response = admin_client.post(admin_url(Film, "add"), data)
    assert response.status_code == 302
    film = Film.objects.get()
    assert film.status == FilmStatus.DRAFT
    assert list(film.events.values_list("actor", "to_status")) == [(superuser.pk, FilmStatus.DRAFT)]


def test_film_category_must_belong_to_its_edition(admin_client, category, teacher):
    other = factories.make_category()
    page = admin_client.get(admin_url(Film, "add"))
    data = {
        **form_data(page),
        "edition": category.edition_id,
        "category": other.pk,
        "school": teacher.school_id,
        "teacher": teacher.pk,
        "title": "Mauvaise catégorie",
    }
    response = admin_client.post(admin_url(Film, "add"), data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["category"]
    assert Film.objects.count() == 0


def test_film_changelist_shows_consent_counts(admin_client, complete_film):
    factories.make_consent(complete_film, status=ConsentStatus.VALIDATED)
    response = admin_client.get(admin_url(Film, "changelist"))
    film = response.context["cl"].result_list[0]
    assert (film.consents_validated, film.consents_total) == (1, 2)


def test_films_can_be_deleted_from_the_changelist(admin_client, category, teacher):
    film = factories.make_film(teacher=teacher, category=category)
    response = admin_client.post(
        admin_url(Film, "changelist"),
        {"action": "delete_selected", "_selected_action": [film.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Film.objects.count() == 0


def test_consent_inline_links_to_the_protected_file(admin_client, complete_film):
    consent = complete_film.consents.get()
    response = admin_client.get(admin_url(Film, "change", complete_film.pk))
    page = response.content.decode()
    assert page.count(reverse("festival:file_consent", args=[consent.pk])) == 1
    assert page.count(consent.file.url) == 0


def test_add_user(admin_client, festival):
    page = admin_client.get(admin_url(User, "add"))
    data = {
        **form_data(page),
        "email": "Lucie.Bernard@Example.org",
        "first_name": "Lucie",
        "last_name": "Bernard",
        "role": Role.ORGANIZER,
        "festival": festival.pk,
        "usable_password": "false",
    }
    response = admin_client.post(admin_url(User, "add"), data)
    assert response.status_code == 302
    user = User.objects.get(email="lucie.bernard@example.org")
    assert (user.role, user.festival, user.has_usable_password()) == (
        Role.ORGANIZER,
        festival,
        False,
    )
    # Given a festival, an organizer is a member of it: their pages open.
    assert user.festival_ids(Role.ORGANIZER) == {festival.pk}


def test_add_user_with_a_taken_email(admin_client, teacher):
    page = admin_client.get(admin_url(User, "add"))
    data = {
        **form_data(page),
        "email": teacher.email.upper(),
        "first_name": "Autre",
        "last_name": "Personne",
        "role": Role.TEACHER,
        "usable_password": "false",
    }
    response = admin_client.post(admin_url(User, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Un compte existe déjà avec cette adresse e-mail."
    ]


def test_user_list_filters(admin_client, teacher, pending_teacher, organizer, festival):
    other = factories.make_festival()
    outsider = factories.make_teacher(festivals=[other])
    response = admin_client.get(
        admin_url(User, "changelist"),
        {"role__exact": "teacher", "memberships__festival__id__exact": other.pk},
    )
    assert set(response.context["cl"].result_list) == {teacher, pending_teacher, outsider}
    response = admin_client.get(
        admin_url(Membership, "changelist"),
        {"approval__exact": "pending", "festival__id__exact": festival.pk},
    )
    assert [m.user for m in response.context["cl"].result_list] == [pending_teacher]


def test_approve_teachers_action_goes_through_the_domain(
    admin_client, pending_teacher, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    selected = [
        pending_teacher.memberships.get().pk,
        organizer.memberships.get().pk,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            admin_url(Membership, "changelist"),
            {"action": "approve_teachers", "_selected_action": selected},
        )
    assert response.status_code == 302
    assert pending_teacher.memberships.get().approval == ApprovalStatus.APPROVED
    assert organizer.memberships.get().role == Role.ORGANIZER
    assert [message.to for message in mailoutbox] == [[pending_teacher.email]]


def test_invitation_list_filter_on_answer(admin_client, juror, organizer):
    pending = Invitation.objects.create(user=juror, invited_by=organizer)
    accepted = Invitation.objects.create(
        user=factories.make_juror(organizer.festival),
        invited_by=organizer,
        accepted_at=timezone.now(),
    )
    url = admin_url(Invitation, "changelist")
    assert list(admin_client.get(url, {"accepted": "no"}).context["cl"].result_list) == [pending]
    assert list(admin_client.get(url, {"accepted": "yes"}).context["cl"].result_list) == [accepted]


@pytest.mark.parametrize("with_permissions", [False, True])
def test_staff_organizer_cannot_use_the_admin(client, organizer, with_permissions):
    """The admin is for superusers: a staff flag opens nothing, whatever the permissions."""
    organizer.is_staff = True
    organizer.save()
    if with_permissions:
        organizer.user_permissions.set(Permission.objects.all())
    client.force_login(organizer)
    login = reverse("admin:login")
    for url in (
        reverse("admin:index"),
        admin_url(Film, "changelist"),
        admin_url(User, "change", organizer.pk),
    ):
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, login)


def test_edition_changelist_queries_do_not_grow_with_editions(admin_client, festival):
    factories.make_publication(factories.make_edition(festival, year=2000, is_current=False))
    url = admin_url(Edition, "changelist")
    admin_client.get(url)  # the session and content types, read once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url)
        return len(captured), response.text.count("Palmarès publié")

    one = queries()
    for n in range(1, 6):
        factories.make_edition(festival, year=2000 + n, is_current=False)
    # The phase column reads every edition's palmarès date at once.
    assert (one[1], queries()) == (1, (one[0], 1))
