"""The Django admin (config/admin_site.py) opens to active superusers only.

A staff flag, even with every model permission, opens no page: not the index, not a list, not a
form, not the login. Superusers still get every page of every registered model.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from config.admin_site import PlatformAdminSite
from festival.enums import Role
from festival.models import Invitation, User, VolunteerCompany
from judging.models import ScoreChange
from judging.tasks import send_due_jury_reminders
from tests import factories
from tests.judging import results_scenario
from tests.media_pipeline.versions import make_version

LOGIN_URL = reverse("admin:login")


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="ops@example.org", password=factories.PASSWORD)


@pytest.fixture
def staff(organizer):
    """An organizer given the staff flag and every permission of every model."""
    organizer.is_staff = True
    organizer.save(update_fields=["is_staff"])
    organizer.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=organizer.pk)  # permissions are cached on the instance


@pytest.fixture
def every_model(edition, teacher, organizer, juror):
    """At least one object of every model registered in the admin."""
    scenario = results_scenario.build(edition, teacher=teacher)
    film = scenario.films.a
    evaluation = film.evaluations.get(juror=scenario.jurors[0])
    ScoreChange.objects.create(
        evaluation=evaluation, changed_by=organizer, field="comment", before="", after="Bien."
    )
    factories.make_judging_settings(edition)
    factories.make_consent(film)
    make_version(film)
    Group.objects.create(name="Exploitation")
    send_due_jury_reminders.enqueue()
    Invitation.objects.create(user=juror, invited_by=organizer)
    film = factories.make_film(complete=True, category=scenario.lycee, teacher=teacher)
    VolunteerCompany.objects.create(
        festival=edition.festival, company=film.company, contact_name="Contact"
    )
    empty = [model for model in registered_models() if not model._default_manager.exists()]
    assert empty == []


def test_the_admin_site_is_the_operators_one():
    assert isinstance(admin.site._wrapped, PlatformAdminSite)
    labels = {model._meta.app_label for model in admin.site._registry}
    assert labels >= {"festival", "media_pipeline", "judging"}


def admin_pages():
    """Every page of the admin: index, app lists, each model's list, add, change, history and
    delete pages, the autocomplete and the password change."""
    pages = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:autocomplete"),
    ]
    pages += [
        reverse("admin:app_list", args=[label])
        for label in sorted({model._meta.app_label for model in admin.site._registry})
    ]
    for model in registered_models():
        pages += [admin_url(model, "changelist"), admin_url(model, "add")]
        # The check comes before the lookup: any key will do when the table is empty.
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 1
        pages += [admin_url(model, view, pk) for view in ("change", "history", "delete")]
    return pages


def assert_sent_to_login(response, url):
    assert (response.status_code, response["Location"].split("?")[0]) == (302, LOGIN_URL), url


def test_staff_with_every_permission_gets_no_admin_page(client, staff, every_model):
    assert staff.has_perm("festival.change_user") and staff.has_perm("judging.view_score")
    client.force_login(staff)
    pages = admin_pages()
    assert len(pages) > 3 + 4 * len(admin.site._registry)
    for url in pages:
        assert_sent_to_login(client.get(url), url)
        assert_sent_to_login(client.post(url, {}), url)


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.TEACHER, Role.JUROR])
def test_staff_of_any_role_gets_no_admin_page(client, festival, role):
    user = factories.make_user(role=role, festival=festival, is_staff=True)
    client.force_login(user)
    for url in admin_pages():
        assert_sent_to_login(client.get(url), url)


def test_anonymous_gets_no_admin_page(client, db):
    for url in admin_pages():
        assert_sent_to_login(client.get(url), url)


def test_staff_cannot_make_itself_superuser(client, staff):
    client.force_login(staff)
    url = admin_url(User, "change", staff.pk)
    data = {
        "email": staff.email,
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "role": staff.role,
        "festival": staff.festival_id,
        "language": staff.language,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    assert_sent_to_login(client.post(url, data), url)
    staff.refresh_from_db()
    assert staff.is_superuser is False


def test_the_admin_login_refuses_staff_that_are_not_superusers(client, staff):
    response = client.post(
        LOGIN_URL, {"username": staff.email, "password": factories.PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"][0].startswith("Veuillez compléter")
    assert "_auth_user_id" not in client.session


def test_the_admin_login_shows_the_form_to_a_logged_in_staff_account(client, staff):
    client.force_login(staff)
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert "form" in response.context


def test_the_admin_login_lets_superusers_in(client, superuser):
    response = client.post(
        LOGIN_URL, {"username": superuser.email, "password": factories.PASSWORD, "next": "/admin/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.session["_auth_user_id"] == str(superuser.pk)


def test_inactive_superuser_gets_no_admin_page(client, superuser):
    client.force_login(superuser)
    superuser.is_active = False
    superuser.save(update_fields=["is_active"])
    assert_sent_to_login(client.get(reverse("admin:index")), "index")


def test_superuser_without_the_staff_flag_gets_no_admin_page(client, superuser):
    superuser.is_staff = False
    superuser.save(update_fields=["is_staff"])
    client.force_login(superuser)
    assert_sent_to_login(client.get(reverse("admin:index")), "index")


def test_superuser_gets_every_page_of_every_model(client, superuser, every_model):
    client.force_login(superuser)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    request = index.wsgi_request
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: i[0]._meta.label):
        changelist = client.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, model
        assert changelist.context["cl"].result_count == model._default_manager.count(), model
        add = client.get(admin_url(model, "add"))
        # Some objects are made only by the platform's own pages (uploads, invitations, scores).
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert add.status_code == expected, model
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        for view in ("change", "history"):
            assert client.get(admin_url(model, view, pk)).status_code == 200, (model, view)
        delete = client.get(admin_url(model, "delete", pk))
        expected = 200 if model_admin.has_delete_permission(request) else 403
        assert delete.status_code == expected, model
    for label in sorted({model._meta.app_label for model in admin.site._registry}):
        assert client.get(reverse("admin:app_list", args=[label])).status_code == 200
