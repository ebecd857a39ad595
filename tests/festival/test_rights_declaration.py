"""The music and third-party rights declaration: required before submission, credits required
for music the pupils did not make, shown to the film's organizers only."""

import html

import pytest
from django.urls import reverse

from festival.domain import DomainError
from festival.domain.films import missing_for_submission, submit_film
from festival.domain.rights import declare_rights
from festival.enums import FilmStatus, MusicRights
from festival.models import Film
from tests import factories

MISSING = "la déclaration des droits (musique et contenus de tiers)"
CREDITS_ERROR = (
    "Indiquez les crédits de la musique : titre, auteur, licence ou ayant droit qui l'a autorisée."
)


def page(response) -> str:
    return html.unescape(response.content.decode())


def rights_url(film):
    return reverse("festival:teacher_film_rights", kwargs={"pk": film.pk})


@pytest.fixture
def undeclared_film(complete_film):
    Film.objects.filter(pk=complete_film.pk).update(music_rights="", rights_declared_at=None)
    complete_film.refresh_from_db()
    return complete_film


# The domain.


def test_the_declaration_is_missing_until_made(undeclared_film, teacher):
    assert missing_for_submission(undeclared_film) == [MISSING]

    declare_rights(film=undeclared_film, user=teacher, music_rights=MusicRights.NONE)

    undeclared_film.refresh_from_db()
    assert missing_for_submission(undeclared_film) == []
    assert (undeclared_film.music_rights, undeclared_film.rights_declared_by) == (
        MusicRights.NONE,
        teacher,
    )
    assert undeclared_film.rights_declared_at is not None


def test_a_film_is_not_submitted_without_the_declaration(undeclared_film, teacher, sent_emails):
    with pytest.raises(DomainError) as excinfo:
        submit_film(film=undeclared_film, user=teacher)

    assert excinfo.value.messages == [f"Il manque encore : {MISSING}."]
    undeclared_film.refresh_from_db()
    assert undeclared_film.status == FilmStatus.DRAFT


@pytest.mark.parametrize("choice", [MusicRights.FREE_LICENCE, MusicRights.PERMISSION])
def test_music_made_by_others_needs_its_credits(undeclared_film, teacher, choice):
    with pytest.raises(DomainError) as excinfo:
        declare_rights(
            film=undeclared_film, user=teacher, music_rights=choice, third_party_credits="  "
        )
    assert (excinfo.value.code, excinfo.value.messages) == ("credits_required", [CREDITS_ERROR])

    declare_rights(
        film=undeclared_film,
        user=teacher,
        music_rights=choice,
        third_party_credits=" « Usine », Kevin MacLeod, CC BY 4.0 ",
    )
    undeclared_film.refresh_from_db()
    assert undeclared_film.third_party_credits == "« Usine », Kevin MacLeod, CC BY 4.0"


@pytest.mark.parametrize("choice", [MusicRights.NONE, MusicRights.ORIGINAL])
def test_no_music_or_the_pupils_own_needs_no_credits(undeclared_film, teacher, choice):
    declare_rights(film=undeclared_film, user=teacher, music_rights=choice)
    undeclared_film.refresh_from_db()
    assert (undeclared_film.music_rights, undeclared_film.third_party_credits) == (choice, "")


def test_an_unknown_choice_is_refused(undeclared_film, teacher):
    with pytest.raises(DomainError):
        declare_rights(film=undeclared_film, user=teacher, music_rights="radio")


def test_a_submitted_film_s_declaration_no_longer_changes(complete_film, teacher):
    Film.objects.filter(pk=complete_film.pk).update(status=FilmStatus.SUBMITTED)
    complete_film.refresh_from_db()
    with pytest.raises(DomainError) as excinfo:
        declare_rights(film=complete_film, user=teacher, music_rights=MusicRights.NONE)
    assert excinfo.value.code == "not_editable"


# The teacher's pages.


def test_the_dashboard_lists_the_missing_declaration(teacher_client, undeclared_film):
    response = teacher_client.get(reverse("festival:teacher_dashboard"))
    missing = {f.pk: [str(item) for item in f.missing] for f in response.context["films"]}
    assert missing == {undeclared_film.pk: [MISSING]}
    assert MISSING in page(response)


def test_the_film_page_has_the_declaration_form(teacher_client, undeclared_film):
    content = page(teacher_client.get(undeclared_film.get_absolute_url()))
    assert '<section id="droits" aria-labelledby="rights-title">' in content
    assert f'<form method="post" action="{rights_url(undeclared_film)}">' in content
    assert "Musique sous licence libre" in content
    assert "Enregistrer la déclaration" in content


def test_declaring_from_the_form(teacher_client, teacher, undeclared_film):
    response = teacher_client.post(
        rights_url(undeclared_film),
        {
            "music_rights": MusicRights.PERMISSION,
            "third_party_credits": "Musique : Les Forges, avec l'accord du groupe.",
            "certify": "on",
        },
    )

    assert response["Location"] == f"{undeclared_film.get_absolute_url()}#droits"
    undeclared_film.refresh_from_db()
    assert (
        undeclared_film.music_rights,
        undeclared_film.third_party_credits,
        undeclared_film.rights_declared_by,
    ) == (MusicRights.PERMISSION, "Musique : Les Forges, avec l'accord du groupe.", teacher)
    content = page(teacher_client.get(undeclared_film.get_absolute_url()))
    assert "Musique utilisée avec l'autorisation de l'ayant droit" in content
    assert "Musique : Les Forges, avec l'accord du groupe." in content


def test_the_form_asks_for_credits_and_the_confirmation(teacher_client, undeclared_film):
    response = teacher_client.post(
        rights_url(undeclared_film), {"music_rights": MusicRights.FREE_LICENCE}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "third_party_credits": [CREDITS_ERROR],
        "certify": ["Cochez la case pour confirmer votre déclaration."],
    }
    assert "La déclaration n'est pas enregistrée" in page(response)
    undeclared_film.refresh_from_db()
    assert undeclared_film.rights_declared_at is None


def test_a_submitted_film_s_form_sends_back_to_the_film(teacher_client, complete_film):
    Film.objects.filter(pk=complete_film.pk).update(status=FilmStatus.SUBMITTED)
    response = teacher_client.post(
        rights_url(complete_film), {"music_rights": MusicRights.NONE, "certify": "on"}
    )
    assert response["Location"] == complete_film.get_absolute_url()
    complete_film.refresh_from_db()
    assert complete_film.music_rights == MusicRights.ORIGINAL


@pytest.mark.parametrize("stranger", ["other_teacher", "organizer", "other_organizer", "juror"])
def test_only_the_film_s_teacher_declares(request, client, undeclared_film, stranger):
    client.force_login(request.getfixturevalue(stranger))
    data = {"music_rights": MusicRights.NONE, "certify": "on"}
    assert client.post(rights_url(undeclared_film), data).status_code == 404
    undeclared_film.refresh_from_db()
    assert undeclared_film.rights_declared_at is None


def test_anonymous_is_sent_to_login(client, undeclared_film):
    response = client.get(rights_url(undeclared_film))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("festival:login"))


# What organizers read.


def test_organizers_see_the_declaration(organizer_client, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, complete=True)
    declare_rights(
        film=film,
        user=teacher,
        music_rights=MusicRights.FREE_LICENCE,
        third_party_credits="« Atelier », Chloé Martin, CC BY-SA 4.0",
    )

    content = page(organizer_client.get(reverse("festival:organizer_film", args=[film.pk])))

    assert "Musique sous licence libre" in content
    assert "« Atelier », Chloé Martin, CC BY-SA 4.0" in content
    assert "par Claire Girard" in content
