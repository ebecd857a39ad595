"""The organizers' pages about a school's data: the list, the data page, the export and the
erasure journey (form, check your answers, confirmation)."""

import io
import zipfile

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festival.enums import FilmStatus
from festival.models import ConsentForm, Film, SchoolDataRequest
from tests import factories
from tests.conftest import login
from tests.festival.factories_schooldata import school_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return school_world()


def url(name, school):
    return reverse(f"festival:{name}", args=[school.pk])


ANSWERS = {
    "asked_by": "Mme Martin, proviseure",
    "asked_on": "2026-12-01",
    "keep_published": "no",
    "note": "Par courrier.",
}


def test_the_list_shows_the_festivals_schools_only(client, world):
    stranger = factories.make_school(name="Collège d'ailleurs")
    factories.make_teacher(stranger, festivals=[world.other_festival])
    login(client, world.organizer)
    response = client.get(reverse("festival:organizer_schools"))
    assert response.status_code == 200
    assert [s.name for s in response.context["schools"]] == ["Lycée Jules Haag"]
    school = response.context["schools"][0]
    assert (school.film_count, school.teacher_count) == (2, 2)


def test_the_teacher_list_links_to_the_school(client, world):
    login(client, world.organizer)
    response = client.get(reverse("festival:organizer_teachers"))
    assert url("organizer_school", world.school) in response.content.decode()


def test_the_data_page_shows_what_is_held(client, world):
    login(client, world.organizer)
    response = client.get(url("organizer_school", world.school))
    assert response.status_code == 200
    holdings = response.context["holdings"]
    assert sorted(f.title for f in holdings.films) == sorted(
        ["Les mains de l'usine", world.accepted.title]
    )
    assert holdings.consent_count == 3
    assert holdings.public_ids == {world.published.pk}
    assert [(t.user.email, t.shared) for t in holdings.teachers] == [
        ("claire.girard@example.org", False),
        ("paul.roy@example.org", True),
    ]
    html = response.content.decode()
    assert "Film du Grand Est" not in html
    assert "ce@ac-besancon.fr" in html
    assert "elle est conservée" in html


def test_the_data_page_queries_do_not_grow_with_films(client, world):
    login(client, world.organizer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("organizer_school", world.school)).status_code == 200
        return len(queries)

    one = count()
    category = world.published.category
    for _ in range(4):
        film = factories.make_film(teacher=world.teacher, category=category, crew="Léo")
        factories.make_consent(film)
        factories.make_teacher(world.school, festivals=[world.festival])
    assert count() == one


def test_a_school_without_film_or_teacher_in_the_festival_is_a_404(client, world):
    stranger = factories.make_school()
    factories.make_teacher(stranger, festivals=[world.other_festival])
    login(client, world.organizer)
    for name in ("organizer_school", "organizer_school_erasure"):
        assert client.get(url(name, stranger)).status_code == 404
    assert client.post(url("organizer_school_export", stranger)).status_code == 404
    assert client.post(url("organizer_school_erase", stranger), ANSWERS).status_code == 404


def test_another_festivals_organizer_gets_a_404(client, world):
    login(client, factories.make_organizer(world.other_festival))
    # The school has a film in the other festival: its organizer sees their own data only.
    response = client.get(url("organizer_school", world.school))
    assert response.status_code == 200
    assert [f.title for f in response.context["holdings"].films] == ["Film du Grand Est"]
    other = factories.make_organizer(factories.make_festival())
    login(client, other)
    assert client.get(url("organizer_school", world.school)).status_code == 404
    assert client.post(url("organizer_school_export", world.school)).status_code == 404


def test_teachers_and_anonymous_visitors_are_turned_away(client, world):
    response = client.get(url("organizer_school", world.school))
    assert response.status_code == 302
    login(client, world.teacher)
    assert client.get(url("organizer_school", world.school)).status_code == 404
    assert client.post(url("organizer_school_export", world.school)).status_code == 404
    assert client.post(url("organizer_school_erase", world.school), ANSWERS).status_code == 404
    assert ConsentForm.objects.count() == 4


def test_both_actions_are_post_only(client, world):
    login(client, world.organizer)
    assert client.get(url("organizer_school_export", world.school)).status_code == 405
    assert client.get(url("organizer_school_erase", world.school)).status_code == 405


def test_both_actions_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, world.organizer)
    assert client.post(url("organizer_school_export", world.school)).status_code == 403
    assert client.post(url("organizer_school_erase", world.school), ANSWERS).status_code == 403
    assert SchoolDataRequest.objects.count() == 0


def test_the_export_downloads_a_zip(client, world, django_capture_on_commit_callbacks):
    login(client, world.organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organizer_school_export", world.school))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="donnees-Lycee-Jules-Haag-'
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "films.csv" in archive.namelist()
    assert SchoolDataRequest.objects.get().kind == "export"
    assert len(mail.outbox) == 2


def test_the_erasure_form_asks_again_on_errors(client, world):
    login(client, world.organizer)
    assert client.get(url("organizer_school_erasure", world.school)).status_code == 200
    response = client.post(
        url("organizer_school_erasure", world.school), {**ANSWERS, "asked_on": "2999-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "asked_on": ["La date de la demande ne peut pas être dans le futur."]
    }


def test_the_check_page_lists_what_will_be_removed(client, world):
    login(client, world.organizer)
    response = client.post(url("organizer_school_erasure", world.school), ANSWERS)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [f.pk for f in plan.taken_down] == [world.published.pk]
    assert [u.email for u in plan.anonymised] == ["claire.girard@example.org"]
    assert [u.email for u in plan.accounts_kept] == ["paul.roy@example.org"]
    html = response.content.decode()
    assert "passwd.pdf" in html
    assert "Le compte de Paul Roy est conservé" in html
    assert "commune à tous les festivals" in html
    assert "Les invitations de ses enseignants aux remises des prix du festival" in html
    # Nothing is erased yet.
    assert ConsentForm.objects.count() == 4
    # "Modifier la demande" brings the answers back.
    response = client.post(
        url("organizer_school_erasure", world.school), {**ANSWERS, "change": "1"}
    )
    assert response.context["form"]["asked_by"].value() == "Mme Martin, proviseure"


def test_confirming_erases_and_the_page_says_so(client, world, django_capture_on_commit_callbacks):
    login(client, world.organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organizer_school_erase", world.school), ANSWERS)
    assert response.status_code == 302
    assert Film.objects.get(pk=world.published.pk).status == FilmStatus.WITHDRAWN
    assert ConsentForm.objects.filter(film__edition__festival=world.festival).count() == 0
    page = client.get(url("organizer_school", world.school)).content.decode()
    assert "Les données de cet établissement ont été effacées le" in page
    # A second time: nothing left, said on the check page and refused by the action.
    response = client.post(url("organizer_school_erasure", world.school), ANSWERS)
    assert response.context["plan"].nothing_left
    response = client.post(url("organizer_school_erase", world.school), ANSWERS, follow=True)
    assert "Il ne reste rien à effacer" in response.content.decode()
    assert SchoolDataRequest.objects.filter(kind="erasure").count() == 1


def test_the_list_queries_do_not_grow_with_schools(client, world):
    login(client, world.organizer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("festival:organizer_schools")).status_code == 200
        return len(queries)

    one = count()
    for _ in range(4):
        teacher = factories.make_teacher(festivals=[world.festival])
        factories.make_film(teacher=teacher, category=world.published.category)
    assert count() == one


def test_the_school_pages_belong_to_the_teachers_section():
    from festival.navigation import menu_section

    names = ["organizer_schools", "organizer_school", "organizer_school_erasure"]
    assert [menu_section(f"festival:{name}") for name in names] == ["teachers"] * 3
