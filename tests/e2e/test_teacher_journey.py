"""A teacher, in a real Chromium, from login to a submitted film."""

import re

import pytest
from playwright.sync_api import expect

from festival.enums import FilmStatus
from festival.models import Film
from media_pipeline.models import VideoVersion
from tests import factories
from tests.e2e.conftest import log_in
from tests.e2e.test_public_share import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_creates_uploads_and_submits_a_film(page, tmp_path):
    festival = factories.make_festival(name="FILM'IT Franche-Comté", slug="filmit-fc")
    edition = factories.make_edition(
        festival, rules="Article 1. Un film de 5 minutes au plus, tourné en entreprise."
    )
    factories.make_category(edition, name="Lycée", slug="lycee")
    company = factories.make_company(name="Forges de Franche-Comté")
    factories.make_trade(name="Soudeur")
    teacher = factories.make_teacher(first_name="Claire", last_name="Girard")
    video = tmp_path / "notre-film.mp4"
    video.write_bytes(factories.tiny_video_bytes())
    consent = tmp_path / "autorisations.pdf"
    consent.write_bytes(factories.PDF_BYTES)

    log_in(page, teacher.email, factories.PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes films")
    page.get_by_role("link", name="Créer un film").first.click()
    page.get_by_label("Catégorie").select_option(label="Lycée")
    page.get_by_label("Titre du film").fill("Souder l'avenir")
    page.get_by_label("Synopsis").fill("Une semaine avec les soudeurs de la forge.")
    page.get_by_label("Entreprise partenaire").select_option(label=str(company))
    page.get_by_label("Soudeur").check()
    page.get_by_label(re.compile(r"^Nombre d'élèves\W*$")).fill("3")
    # One pupil on screen: the one consent form the journey sends covers it.
    page.get_by_label("Nombre d'élèves à l'écran").fill("1")
    page.get_by_label("Équipe").fill("Léa\nTom B.\nInès")
    page.get_by_role("button", name="Créer le film").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Souder l'avenir")

    # The resumable (tus) upload replaces the plain form once its script runs.
    expect(page.locator("[data-tus-upload]")).to_be_visible()
    page.locator("[data-tus-file]").set_input_files(str(video))
    expect(page.locator("[data-tus-start]")).to_be_enabled()
    page.locator("[data-tus-start]").click()
    expect(page.locator("[data-tus-status]")).to_contain_text("Vidéo reçue")
    # One state at a time: "no video yet" is gone while the widget says it was received.
    expect(page.locator("[data-film-media-empty]")).to_be_hidden()
    film = Film.objects.get(title="Souder l'avenir")
    version = VideoVersion.objects.get(film=film)
    assert version.original_size == video.stat().st_size

    page.goto(film.get_absolute_url())
    page.get_by_label("Autorisations signées (PDF ou photos)").set_input_files(str(consent))
    page.get_by_role("button", name="Envoyer les autorisations").click()
    expect(page.get_by_role("cell", name="autorisations.pdf", exact=True)).to_be_visible()

    # The music and third-party rights declaration.
    page.get_by_label("Musique originale composée par les élèves").check()
    page.get_by_label("Je déclare que ces informations sont exactes").check()
    page.get_by_role("button", name="Enregistrer la déclaration").click()
    expect(page.locator("#droits")).to_contain_text("Musique originale composée par les élèves")

    # Check your answers: what is sent, the rules to accept, then the button.
    page.get_by_role("link", name="Vérifier puis déposer le film").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez avant de déposer le film")
    answers = page.locator(".check-answers").first
    expect(answers).to_contain_text("Souder l'avenir")
    expect(answers).to_contain_text("Forges de Franche-Comté")
    expect(page.locator(".check-answers").nth(1)).to_contain_text("notre-film.mp4")
    assert Film.objects.get(pk=film.pk).status == FilmStatus.DRAFT
    expect(page.locator("#reglement")).to_contain_text("Un film de 5 minutes au plus")
    page.get_by_label("J'ai lu et j'accepte le règlement de l'édition").check()
    shoot(page, "teacher-check")
    page.get_by_role("button", name="Déposer le film").click()

    # What happens next.
    expect(page.get_by_role("heading", level=1)).to_have_text("Film déposé")
    expect(page.get_by_role("heading", name="Et maintenant ?")).to_be_visible()
    expect(page.get_by_text("L'organisation du festival vérifie le film")).to_be_visible()
    expect(page.get_by_text(f"à l'adresse {teacher.email}")).to_be_visible()
    shoot(page, "teacher-submitted")
    page.get_by_role("link", name="Voir le film").click()
    expect(page.locator("#historique")).to_contain_text("Vous avez déposé le film")
    shoot(page, "teacher-film")
    film.refresh_from_db()
    assert (film.status, film.teacher_id, film.company_id) == (
        FilmStatus.SUBMITTED,
        teacher.pk,
        company.pk,
    )
    assert list(film.trades.values_list("name", flat=True)) == ["Soudeur"]
    assert film.crew == "Léa\nTom B.\nInès"
    assert list(film.rules_acceptances.values_list("user", "rules_text")) == [
        (teacher.pk, "Article 1. Un film de 5 minutes au plus, tourné en entreprise.")
    ]
