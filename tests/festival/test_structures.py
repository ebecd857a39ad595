"""Structures without a UAI code (écoles de la deuxième chance, missions locales, CFA,
associations…) sign up with a SIRET, wait for the organizers' approval like every school, and
take part in the "jeunes en insertion" category."""

import csv
import html
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from festival.enums import Academie, ApprovalStatus, FilmStatus, Role, StructureKind
from festival.models import Film, Membership, School, User
from tests import factories

SIGNUP = reverse("festival:signup")
LOGIN = reverse("festival:login")
PASSWORD = "Tournage-en-atelier-2027"
EMAIL = "nadia.benali@e2c-besancon.example"
SIRET = factories.valid_siret(7_812_345_678)
SPACED_SIRET = f"{SIRET[:3]} {SIRET[3:6]} {SIRET[6:9]} {SIRET[9:]}"
REQUIRED = "Ce champ est nécessaire pour inscrire votre structure."


def page(response) -> str:
    return html.unescape(response.content.decode())


def signup_data(festival, **kw):
    data = {
        "festival": festival.pk,
        "structure_type": "siret",
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": EMAIL,
        "phone": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "school": "",
        "uai": "",
        "school_name": "",
        "school_town": "",
        "school_academie": "",
        "school_kind": "",
        "siret": SPACED_SIRET,
        "structure_name": "École de la deuxième chance du Doubs",
        "structure_town": "Besançon",
        "structure_academie": Academie.BESANCON,
        "structure_kind": StructureKind.E2C,
    }
    return {**data, **kw}


def form_errors(response) -> dict:
    return response.context["form"].errors


@pytest.fixture
def structure(db):
    return factories.make_structure(name="Mission locale du Grand Besançon", kind="mission_locale")


@pytest.fixture
def structure_teacher(structure, festival):
    return factories.make_teacher(
        structure,
        first_name="Karim",
        last_name="Haddad",
        festivals=[festival],
        approval=ApprovalStatus.PENDING,
    )


# Sign-up with a SIRET


def test_signup_page_offers_both_paths(client, festival):
    content = page(client.get(SIGNUP))
    assert 'name="structure_type" value="uai"' in content
    assert "Un établissement de l'Éducation nationale (code UAI)" in content
    assert (
        "Une autre structure (école de la deuxième chance, mission locale, CFA, association… : "
        "numéro SIRET)" in content
    )
    # Both groups are in the page: the choice works without JavaScript.
    assert 'data-shown-when="structure_type=uai"' in content
    assert 'data-shown-when="structure_type=siret"' in content
    assert 'name="siret"' in content
    assert 'name="structure_kind"' in content


def test_signup_with_a_siret(
    client, festival, organizer, other_organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(festival))

    assert (response.status_code, response.url) == (302, LOGIN)
    structure = School.objects.get()
    assert (
        structure.uai,
        structure.siret,
        structure.kind,
        structure.name,
        structure.town,
        structure.academie,
    ) == (
        None,
        SIRET,
        StructureKind.E2C,
        "École de la deuxième chance du Doubs",
        "Besançon",
        Academie.BESANCON,
    )
    teacher = User.objects.get(email=EMAIL)
    assert (teacher.role, teacher.school) == (Role.TEACHER, structure)
    assert list(Membership.objects.filter(user=teacher).values_list("festival", "approval")) == [
        (festival.pk, ApprovalStatus.PENDING)
    ]
    # This festival's organizers only hear of it.
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([EMAIL], "FILM'IT : votre inscription est enregistrée"),
        (
            [organizer.email],
            "FILM'IT Franche-Comté : nouvelle inscription à valider (Nadia Benali)",
        ),
    ]
    body = mailoutbox[1].body
    assert (
        f"Nadia Benali ({EMAIL}), enseignant ou tuteur de l'établissement École de la deuxième "
        f"chance du Doubs (Besançon, SIRET {SIRET}), demande à participer au festival FILM'IT "
        "Franche-Comté." in body
    )
    assert "Type de structure : École de la deuxième chance (E2C)" in body


def test_signup_with_the_siret_of_a_known_structure_uses_it(client, festival, structure):
    data = signup_data(
        festival,
        siret=structure.siret,
        structure_name="",
        structure_town="",
        structure_academie="",
        structure_kind="",
    )
    response = client.post(SIGNUP, data)
    assert response.url == LOGIN
    assert (School.objects.count(), User.objects.get(email=EMAIL).school) == (1, structure)


def test_signup_with_the_siret_of_a_known_structure_and_its_kind(client, festival, structure):
    response = client.post(
        SIGNUP, signup_data(festival, siret=structure.siret, structure_kind="mission_locale")
    )
    assert response.url == LOGIN
    # The structure as it was signed up first: a newcomer does not rename it.
    structure.refresh_from_db()
    assert (School.objects.count(), structure.name) == (1, "Mission locale du Grand Besançon")


def test_signup_with_the_siret_of_a_structure_of_another_kind(client, festival, structure):
    response = client.post(
        SIGNUP, signup_data(festival, siret=structure.siret, structure_kind=StructureKind.E2C)
    )
    assert form_errors(response) == {
        "siret": [
            "Ce numéro SIRET est déjà celui de « Mission locale du Grand Besançon », inscrite "
            "comme « Mission locale » et non comme « École de la deuxième chance (E2C) » : "
            "vérifiez le numéro, ou choisissez ce type de structure."
        ]
    }
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("1234567890123", "Le numéro SIRET doit comporter 14 chiffres."),
        ("12345678901234", "Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."),
    ],
)
def test_signup_with_an_invalid_siret(client, festival, siret, message):
    response = client.post(SIGNUP, signup_data(festival, siret=siret))
    assert form_errors(response) == {"siret": [message]}
    assert response.context["form"].with_siret is True
    assert (School.objects.count(), User.objects.count()) == (0, 0)
    # The error is listed at the top and beside the field, in French.
    content = page(response)
    assert "corrigez les champs signalés ci-dessous" in content
    assert message in content


def test_signup_with_siret_needs_the_number(client, festival):
    response = client.post(SIGNUP, signup_data(festival, siret=""))
    assert form_errors(response) == {
        "siret": [
            "Indiquez le numéro SIRET de votre structure, ou choisissez « Un établissement de "
            "l'Éducation nationale » s'il a un code UAI."
        ]
    }


def test_signup_with_a_new_siret_needs_the_structure_details(client, festival):
    data = signup_data(
        festival, structure_name="", structure_town="", structure_academie="", structure_kind=""
    )
    response = client.post(SIGNUP, data)
    assert form_errors(response) == {
        "structure_name": [REQUIRED],
        "structure_town": [REQUIRED],
        "structure_academie": [REQUIRED],
        "structure_kind": [REQUIRED],
    }
    assert School.objects.count() == 0


def test_siret_path_ignores_a_school_chosen_in_the_list(client, festival, school):
    response = client.post(SIGNUP, signup_data(festival, school=school.pk))
    assert response.url == LOGIN
    assert User.objects.get(email=EMAIL).school == School.objects.get(siret=SIRET)


# The UAI path, as before


def test_uai_path_from_the_list_is_unchanged(client, festival, school):
    data = signup_data(festival, school=school.pk)
    del data["structure_type"]  # a form posted before structures had a choice
    response = client.post(SIGNUP, data)
    assert response.url == LOGIN
    assert (School.objects.count(), User.objects.get(email=EMAIL).school) == (1, school)


def test_uai_path_adds_a_school_with_its_kind_and_no_siret(client, festival):
    data = signup_data(
        festival,
        structure_type="uai",
        uai="0250007x",
        school_name="Lycée Victor Hugo",
        school_town="Besançon",
        school_academie=Academie.BESANCON,
        school_kind=StructureKind.LYCEE_PRO,
    )
    response = client.post(SIGNUP, data)
    assert response.url == LOGIN
    school = School.objects.get()
    assert (school.uai, school.siret, school.kind, school.name) == (
        "0250007X",
        None,
        StructureKind.LYCEE_PRO,
        "Lycée Victor Hugo",
    )


def test_uai_path_needs_the_kind_of_a_new_school(client, festival):
    data = signup_data(
        festival,
        structure_type="uai",
        uai="0250007X",
        school_name="Lycée Victor Hugo",
        school_town="Besançon",
        school_academie=Academie.BESANCON,
    )
    response = client.post(SIGNUP, data)
    assert form_errors(response) == {
        "school_kind": ["Ce champ est nécessaire pour ajouter votre établissement."]
    }


# The structure in the database


def test_a_structure_with_neither_uai_nor_siret_is_refused(db):
    structure = School(name="Association Tremplin", town="Dole", academie=Academie.BESANCON)
    with pytest.raises(ValidationError) as error:
        structure.full_clean()
    assert error.value.messages == [
        "Un établissement a un code UAI ou, pour une autre structure, un numéro SIRET."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        School.objects.create(
            uai="", siret="", name="Association Tremplin", town="Dole", academie="besancon"
        )


def test_identifiers_are_unique_when_present(db, structure):
    # Many structures have no UAI, many schools no SIRET.
    other = factories.make_structure()
    factories.make_school(siret=None)
    factories.make_school(siret=None)
    assert (structure.uai, other.uai) == (None, None)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_structure(siret=f" {structure.siret[:7]} {structure.siret[7:]}")


def test_a_structure_shows_its_siret_a_school_its_uai(structure, school):
    both = factories.make_school(siret=factories.valid_siret(9_123))
    assert (structure.identifier, school.identifier, both.identifier) == (
        f"SIRET {structure.siret}",
        f"UAI {school.uai}",
        f"UAI {both.uai}",
    )


# The organizers' approval


def test_the_approval_pages_show_the_kind_and_the_siret(organizer_client, structure_teacher):
    structure = structure_teacher.school
    for name in ("festival:organizer_teachers", "festival:organizer_dashboard"):
        content = page(organizer_client.get(reverse(name)))
        assert f"SIRET {structure.siret}" in content
        assert "Mission locale" in content
    search = organizer_client.get(reverse("festival:organizer_teachers"), {"q": structure.siret})
    assert [m.user for m in search.context["memberships"]] == [structure_teacher]


def test_another_festival_s_organizer_does_not_see_the_structure(
    client, other_organizer, structure_teacher
):
    client.force_login(other_organizer)
    content = page(client.get(reverse("festival:organizer_teachers")))
    assert structure_teacher.school.siret not in content
    decide = reverse("festival:organizer_teacher_decide", args=[structure_teacher.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert structure_teacher.memberships.get().approval == ApprovalStatus.PENDING


def test_teachers_and_anonymous_do_not_reach_the_approval_page(client, teacher, structure_teacher):
    url = reverse("festival:organizer_teachers")
    assert client.get(url).url == f"{LOGIN}?next={url}"
    client.force_login(teacher)
    assert client.get(url).status_code == 404


def test_the_pending_page_shows_the_siret(client, structure_teacher):
    client.force_login(structure_teacher)
    content = page(client.get(reverse("festival:after_login"), follow=True))
    assert (
        f"Mission locale du Grand Besançon — Besançon (SIRET {structure_teacher.school.siret})"
        in (content)
    )


def test_the_sign_up_search_finds_a_structure_by_its_siret(client, structure, school):
    response = client.get(reverse("festival:school_search"), {"q": structure.siret[:9]})
    assert f"(SIRET {structure.siret})" in page(response)
    assert school.name not in page(response)


# The "jeunes en insertion" category, end to end


def test_a_structure_s_teacher_submits_an_insertion_film(
    client, festival, edition, organizer, sent_emails, django_capture_on_commit_callbacks
):
    insertion = factories.make_category(edition, name="Jeunes en insertion", slug="insertion")
    company, trade = factories.make_company(), factories.make_trade()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data(festival))
    teacher = User.objects.get(email=EMAIL)

    client.force_login(organizer)
    client.post(
        reverse("festival:organizer_teacher_decide", args=[teacher.pk]), {"decision": "approve"}
    )
    client.logout()
    assert client.login(username=EMAIL, password=PASSWORD)
    response = client.post(
        reverse("festival:teacher_film_create"),
        {
            "category": insertion.pk,
            "title": "Des copeaux et des rêves",
            "synopsis": "Six stagiaires découvrent l'usinage.",
            "company": company.pk,
            "trades": [trade.pk],
            "pupil_count": "6",
            "pupils_on_screen": "2",
            "crew": "Léa\nTom B.",
        },
    )
    film = Film.objects.get()
    assert response.url == reverse("festival:teacher_film", args=[film.pk])
    client.post(
        reverse("festival:teacher_consent_upload", args=[film.pk]),
        {"files": [SimpleUploadedFile("autorisations.pdf", factories.PDF_BYTES)]},
    )
    # The video's upload is the media pipeline's own journey: its file is attached here.
    film.original_video.save("original", ContentFile(factories.tiny_video_bytes()), save=True)
    client.post(
        reverse("festival:teacher_film_rights", args=[film.pk]),
        {"music_rights": "none", "certify": "on"},
    )
    response = client.post(
        reverse("festival:teacher_film_submit", args=[film.pk]), {"accept_rules": "on"}
    )

    film.refresh_from_db()
    assert response.url == reverse("festival:teacher_film_submitted", args=[film.pk])
    assert (film.status, film.category, film.school, film.teacher) == (
        FilmStatus.SUBMITTED,
        insertion,
        School.objects.get(siret=SIRET),
        teacher,
    )
    assert sent_emails[-2:] == [
        ("film_submitted", [EMAIL]),
        ("film_submitted_organizers", [organizer.email]),
    ]


# Exports and lists


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_the_films_export_shows_the_kind_and_the_siret(organizer_client, structure, category):
    teacher = factories.make_teacher(structure)
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)
    rows = csv_rows(organizer_client.get(reverse("festival:organizer_films_csv")))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert (row["titre"], row["établissement"], row["type de structure"]) == (
        film.title,
        "Mission locale du Grand Besançon",
        "Mission locale",
    )
    assert (row["UAI"], row["SIRET de l'établissement"]) == ("", structure.siret)


def test_the_film_pages_and_filters_show_the_siret(organizer_client, structure, category):
    teacher = factories.make_teacher(structure)
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)
    factories.make_film(category=category, status=FilmStatus.SUBMITTED)
    content = page(organizer_client.get(reverse("festival:organizer_film", args=[film.pk])))
    assert f"SIRET {structure.siret}" in content
    assert "Mission locale" in content
    found = organizer_client.get(reverse("festival:organizer_films"), {"q": structure.siret})
    assert [f.pk for f in found.context["films"]] == [film.pk]


def test_the_admin_finds_a_structure_by_its_siret(admin_client, structure, school):
    response = admin_client.get(reverse("admin:festival_school_changelist"), {"q": structure.siret})
    assert list(response.context["cl"].result_list) == [structure]


def test_the_structure_speaks_english_to_english_readers(client, organizer, structure_teacher):
    english = {"accept-language": "en"}
    content = page(client.get(SIGNUP, headers=english))
    assert "A school of the Éducation nationale (UAI code)" in content
    assert (
        "Another structure (second chance school, mission locale, apprentice training centre, "
        "association…: SIRET number)" in content
    )
    client.force_login(organizer)
    content = page(client.get(reverse("festival:organizer_teachers"), headers=english))
    siret = structure_teacher.school.siret
    assert f"Mission locale (youth employment centre) · Besançon · SIRET {siret}" in content
