"""The answer link of a ceremony invitation: no login, works until the ceremony, a count within
the role's bounds, a confirmation page that says what happens next, an agenda file."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from festival.domain.ceremony import save_ceremony
from judging.domain.ceremony_invitations import Guest, add_guests, sync_invitations
from judging.models_ceremony import Answer, CeremonyInvitation, InvitationKind
from tests.judging.factories_ceremony import make_cast


@pytest.fixture
def guest(edition, organizer):
    add_guests(
        edition=edition,
        organizer=organizer,
        guests=[Guest("Mme la Maire", "maire@besancon.example", "Ville de Besançon")],
    )
    return CeremonyInvitation.objects.get()


@pytest.fixture
def class_invitation(edition, category, teacher, juror, organizer):
    cast = make_cast(edition, category, teacher, juror, organizer)
    sync_invitations(edition=edition)
    return CeremonyInvitation.objects.get(email=cast.other_finalist.teacher.email.lower())


def answer_url(invitation, name="public:ceremony_answer"):
    return reverse(name, args=[invitation.token])


def test_a_guest_answers_coming_without_an_account(client, guest, edition, organizer):
    save_ceremony(
        edition=edition,
        organizer=organizer,
        ceremony_at=edition.ceremony_at,
        place="Théâtre Ledoux",
        address="1 place du Théâtre\n25000 Besançon",
    )
    page = client.get(answer_url(guest))
    assert page.status_code == 200
    assert "Théâtre Ledoux" in page.text
    response = client.post(answer_url(guest), {"coming": "yes", "people": "3", "note": "Fauteuil"})
    assert response["Location"] == answer_url(guest, "public:ceremony_answered")
    guest.refresh_from_db()
    assert (guest.answer, guest.people, guest.note) == (Answer.YES, 3, "Fauteuil")
    assert guest.answered_at is not None

    done = client.get(response["Location"])
    assert "Nous vous attendons : 3 personnes." in done.text
    assert "25000 Besançon" in done.text
    assert answer_url(guest, "public:ceremony_calendar") in done.text
    assert "Modifier ma réponse" in done.text


def test_the_answer_can_change_until_the_ceremony(client, guest):
    client.post(answer_url(guest), {"coming": "yes", "people": "2"})
    client.post(answer_url(guest), {"coming": "no", "people": "2"})
    guest.refresh_from_db()
    assert (guest.answer, guest.people) == (Answer.NO, 0)
    assert "Vous avez déjà répondu" in client.get(answer_url(guest)).text


@pytest.mark.parametrize("people", ["0", "6", ""])
def test_a_guest_brings_five_people_at_most(client, guest, people):
    response = client.post(answer_url(guest), {"coming": "yes", "people": people})
    assert response.status_code == 200
    assert "Indiquez un nombre de personnes entre 1 et 5." in response.text
    guest.refresh_from_db()
    assert guest.answer == Answer.PENDING


def test_a_class_may_bring_sixty(client, class_invitation):
    assert class_invitation.roles == [InvitationKind.CLASS]
    response = client.post(answer_url(class_invitation), {"coming": "yes", "people": "61"})
    assert "Indiquez un nombre de personnes entre 1 et 60." in response.text
    response = client.post(answer_url(class_invitation), {"coming": "yes", "people": "60"})
    assert response.status_code == 302
    class_invitation.refresh_from_db()
    assert class_invitation.people == 60


def test_a_word_instead_of_a_number_is_explained(client, guest):
    response = client.post(answer_url(guest), {"coming": "yes", "people": "trois"})
    assert "Indiquez un nombre entier, par exemple 3." in response.text


def test_a_bad_token_is_a_404(client, guest):
    assert client.get(reverse("public:ceremony_answer", args=["nope"])).status_code == 404
    assert client.post(reverse("public:ceremony_answer", args=["nope"])).status_code == 404
    assert client.get(reverse("public:ceremony_calendar", args=["nope"])).status_code == 404


def test_after_the_ceremony_answers_are_closed(client, guest, edition):
    edition.ceremony_at = timezone.now() - timedelta(minutes=1)
    edition.save(update_fields=["ceremony_at"])
    page = client.get(answer_url(guest))
    assert "les réponses sont closes" in page.text
    response = client.post(answer_url(guest), {"coming": "yes", "people": "2"})
    assert "les réponses sont closes" in response.text
    guest.refresh_from_db()
    assert guest.answer == Answer.PENDING


def test_the_confirmation_before_answering_goes_to_the_form(client, guest):
    response = client.get(answer_url(guest, "public:ceremony_answered"))
    assert response["Location"] == answer_url(guest)


def test_the_agenda_file_has_the_ceremony_with_its_place(client, guest, edition, organizer):
    save_ceremony(
        edition=edition,
        organizer=organizer,
        ceremony_at=edition.ceremony_at,
        place="Théâtre Ledoux",
        address="Besançon",
    )
    response = client.get(answer_url(guest, "public:ceremony_calendar"))
    text = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert text.count("BEGIN:VEVENT") == 1
    assert f"UID:filmit-edition-{edition.pk}-ceremony@testserver" in text
    assert "LOCATION:Théâtre Ledoux\\, Besançon" in text
