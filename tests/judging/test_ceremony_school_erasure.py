"""A school's data erased by a festival: its teachers' ceremony invitations go with it (name,
address, school, film), and a kept answer link says the invitation no longer holds."""

import pytest
from django.urls import reverse

from festival.domain.school_erasure import erase_school_data
from judging.domain.ceremony_invitations import Guest, add_guests, sync_invitations
from judging.models_ceremony import CeremonyInvitation, InvitationKind
from tests.festival.factories_schooldata import school_world

pytestmark = pytest.mark.django_db
K = InvitationKind


@pytest.fixture
def world():
    world = school_world()
    edition = world.published.edition
    sync_invitations(edition=edition)  # both teachers' classes (no pre-selection round)
    sync_invitations(edition=world.elsewhere.edition)  # Paul's class in the other festival
    add_guests(
        edition=edition,
        organizer=world.organizer,
        guests=[
            Guest("Paul Roy", "Paul.Roy+jury@example.org", "Jury lycéen"),
            Guest("Mme la Maire", "maire@besancon.example", "Ville de Besançon"),
        ],
    )
    return world


def _erase(world):
    erase_school_data(
        school=world.school,
        festival=world.festival,
        organizer=world.organizer,
        asked_by="Mme Martin, proviseure",
        asked_on="2026-12-01",
        keep_published=False,
    )


def test_the_erased_schools_teachers_leave_the_festivals_ceremonies(world):
    edition = world.published.edition
    claire = CeremonyInvitation.objects.get(edition=edition, email="claire.girard@example.org")
    _erase(world)
    invitations = {
        i.email: i for i in CeremonyInvitation.objects.filter(edition__festival=world.festival)
    }
    # Claire's account is closed: her invitation is gone, name, address, school and film.
    assert not CeremonyInvitation.objects.filter(pk=claire.pk).exists()
    assert sorted(invitations) == ["maire@besancon.example", "paul.roy@example.org"]
    # Paul's account is kept (another festival's teacher): he stays a guest, without his class.
    paul = invitations["paul.roy@example.org"]
    assert (paul.roles, paul.kind, paul.film_id, paul.organisation) == (
        [K.GUEST],
        K.GUEST,
        None,
        "",
    )
    # The other festival's ceremony is not this festival's to erase.
    elsewhere = CeremonyInvitation.objects.get(edition=world.elsewhere.edition)
    assert (elsewhere.email, elsewhere.roles, elsewhere.film_id) == (
        "paul.roy@example.org",
        [K.CLASS],
        world.elsewhere.pk,
    )


def test_a_kept_answer_link_says_the_invitation_no_longer_holds(world, client):
    edition = world.published.edition
    token = CeremonyInvitation.objects.get(edition=edition, email="claire.girard@example.org").token
    _erase(world)
    for name in ("public:ceremony_answer", "public:ceremony_answered"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 404
        assert "Ce lien de réponse ne correspond à aucune invitation" in response.text
        assert "Claire" not in response.text
    response = client.post(reverse("public:ceremony_answer", args=[token]), {"coming": "yes"})
    assert response.status_code == 404
    # An unknown token reads the same page: a link tells nothing about other invitations.
    unknown = client.get(reverse("public:ceremony_answer", args=["x" * 43]))
    assert unknown.status_code == 404
    assert "Ce lien de réponse ne correspond à aucune invitation" in unknown.text
