"""The demo's privacy data: the festival's legal texts, the pupils on screen of every submitted
film, and one film short of consents that its organizers see, while public films stay public."""

from html import unescape

from django.test import Client
from django.urls import reverse

from festival.enums import FilmStatus
from festival.models import FestivalLegalTexts, Film, User
from judging.visibility import public_films
from public import demo


def test_demo_fills_the_texts_and_shows_a_consent_gap(db):
    created = demo.load(with_videos=False)

    festival = created["festival"]
    texts = FestivalLegalTexts.objects.get(festival=festival)
    assert texts.rights_email == "donnees-personnelles@filmit-fc.example"
    submitted = Film.objects.filter(edition__festival=festival).exclude(status=FilmStatus.DRAFT)
    assert not submitted.filter(pupils_on_screen__isnull=True).exists()
    # The gate still lets the demo's winners and open gallery through.
    assert public_films().filter(edition__festival=festival).exists()

    organizer = User.objects.get(email=demo.ORGANIZER_EMAIL)
    client = Client()
    client.force_login(organizer)
    html = unescape(client.get(reverse("festival:organizer_films")).content.decode())
    assert "1 autorisation validée sur 3 élèves à l'écran : il en manque 2" in html
    url = reverse("public:festival_privacy", args=[festival.slug])
    assert "donnees-personnelles@filmit-fc.example" in Client().get(url).content.decode()
