"""The whole festival on a production-like installation, in a real Chromium.

gunicorn with DEBUG off, PostgreSQL, S3 (moto over HTTP), RQ workers on Redis, static files
collected and served by WhiteNoise (tests/production/conftest.py). A teacher uploads a film
through the resumable uploader, the RQ worker prepares it, the teacher submits it, the
organizer accepts it, the juror watches it (HLS from S3 through the app) and validates the
notes, the organizer publishes the palmarès and a visitor watches the winning film.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import close_when_idle, log_in
from tests.media_pipeline import clips

pytestmark = [
    pytest.mark.browser,
    # `make test` runs the suite twice, on SQLite then on PostgreSQL. This test brings its own
    # PostgreSQL database, S3 and Redis and never uses the pass's database: it runs once, in
    # the PostgreSQL pass (the installation it checks runs on PostgreSQL anyway).
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs once, in the PostgreSQL pass of the suite",
    ),
]

PLAYER = "document.querySelector('video.film-player')"
TITLE = "Souder l'avenir"


def new_page(browser, site):
    context = browser.new_context(locale="fr-FR", base_url=site.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )  # noqa: E501
    return context, page, problems


def test_a_film_from_upload_to_the_public_gallery(browser, production_site, tmp_path):
    site = production_site
    people = site.scenario("create()")
    password = people["password"]
    clip = clips.compliant_mp4(tmp_path, size="320x180", duration=3)
    consent = tmp_path / "autorisations.pdf"
    consent.write_bytes(factories.PDF_BYTES)

    # The teacher creates the film and uploads its video with the resumable uploader.
    context, page, problems = new_page(browser, site)
    try:
        log_in(page, people["teacher"], password)
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes films")
        page.get_by_role("link", name="Créer un film").first.click()
        page.get_by_label("Catégorie").select_option(label="Lycée")
        page.get_by_label("Titre du film").fill(TITLE)
        page.get_by_label("Synopsis").fill("Une semaine avec les soudeurs de la forge.")
        page.get_by_label("Entreprise partenaire").select_option(index=1)
        page.get_by_label("Soudeur").check()
        page.get_by_label(re.compile(r"^Nombre d'élèves\W*$")).fill("3")
        page.get_by_label("Nombre d'élèves à l'écran").fill("1")
        page.get_by_label("Équipe").fill("Léa\nTom B.\nInès")
        page.get_by_role("button", name="Créer le film").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        film_url = page.url
        expect(page.locator("[data-tus-upload]")).to_be_visible()
        page.locator("[data-tus-file]").set_input_files(str(clip))
        page.locator("[data-tus-start]").click()
        expect(page.locator("[data-tus-status]")).to_contain_text("Vidéo reçue")

        # The RQ worker prepares it; the page follows the processing by itself.
        page.goto(film_url)
        expect(page.get_by_text("La vidéo est prête.")).to_be_visible(timeout=60_000)
        state = site.scenario(f"state({TITLE!r})")
        [(status, attempts, original)] = state["versions"]
        assert (status, attempts) == ("ready", 1)
        assert original.startswith("originals/")

        page.get_by_label("Autorisations signées (PDF ou photos)").set_input_files(str(consent))
        page.get_by_role("button", name="Envoyer les autorisations").click()
        expect(page.get_by_role("cell", name="autorisations.pdf", exact=True)).to_be_visible()
        page.get_by_label("Pas de musique").check()
        page.get_by_label("Je déclare que ces informations sont exactes").check()
        page.get_by_role("button", name="Enregistrer la déclaration").click()
        expect(page.locator("#droits")).to_contain_text("Pas de musique")
        page.get_by_role("link", name="Vérifier puis déposer le film").click()
        page.get_by_role("button", name="Déposer le film").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Film déposé")
        assert problems == []
    finally:
        close_when_idle(context)
    film = site.scenario(f"state({TITLE!r})")
    assert film["status"] == "submitted"

    # The organizer accepts it: it goes to the jury.
    context, page, problems = new_page(browser, site)
    try:
        log_in(page, people["organizer"], password)
        page.goto(f"/organisation/films/{film['pk']}/")
        page.get_by_role("button", name="Accepter le film").click()
        page.get_by_role("button", name="Confirmer : Accepter le film").click()
        expect(page.locator(".messages")).to_contain_text("est maintenant « Accepté »")
        assert problems == []
    finally:
        close_when_idle(context)

    # The juror watches the whole film (HLS through the app, segments from S3), scores it
    # and validates the notes.
    context, page, problems = new_page(browser, site)
    try:
        fetched = []
        page.on("response", lambda r: fetched.append((r.status, r.url)))
        log_in(page, people["juror"], password)
        page.wait_for_url("**/jury/jure/")
        page.get_by_role("link", name=TITLE).click()
        video = page.locator("video.film-player")
        expect(video).to_be_visible()
        video.evaluate("v => { v.muted = true; return v.play(); }")
        expect(video).to_have_js_property("ended", True)
        # The manifest comes from the app, the segments straight from the object store.
        store = site.env["AWS_S3_ENDPOINT_URL"]
        assert any(s == 200 and u.startswith(site.url) and ".m3u8" in u for s, u in fetched)
        assert any(s == 200 and u.startswith(store) and ".m4s" in u for s, u in fetched), fetched
        page.get_by_label("Scénario").press_sequentially("7.5")
        page.get_by_label("Qualité de l'image").press_sequentially("8")
        expect(page.locator("#draft-status")).to_contain_text("Brouillon enregistré à")
        page.get_by_role("button", name="Valider mes notes", exact=True).click()
        page.get_by_role("dialog").get_by_role("button", name="Oui, valider mes notes").click()
        expect(page.get_by_text(f"Vos notes pour « {TITLE} » sont validées.")).to_be_visible()
        assert problems == []
    finally:
        close_when_idle(context)
    assert site.scenario(f"state({TITLE!r})")["evaluations"] == ["validated"]

    # The deliberation's decision, then the organizer publishes the palmarès.
    site.scenario(f"award({TITLE!r}, {people['organizer']!r})")
    context, page, problems = new_page(browser, site)
    try:
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, people["organizer"], password)
        page.goto(f"/jury/palmares/editions/{people['edition']}/apercu/")
        page.get_by_role("button", name="Publier le palmarès").click()
        page.wait_for_load_state()
        assert problems == []
    finally:
        close_when_idle(context)

    # A visitor finds the winning film from the home page and watches it.
    context, visitor, problems = new_page(browser, site)
    try:
        visitor.goto("/")
        visitor.get_by_role("navigation", name="Navigation principale").get_by_role(
            "link", name="Palmarès"
        ).click()
        visitor.get_by_role("link", name="FILM'IT 2027", exact=True).click()
        visitor.get_by_role("link", name=TITLE).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        # Static files: collected with hashed names, served by WhiteNoise from gunicorn.
        sheets = visitor.evaluate(
            "() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)"
        )
        assert sheets and all(re.search(r"/static/.+\.[0-9a-f]{12}\.css$", s) for s in sheets)
        assert {visitor.request.get(s).status for s in sheets} == {200}
        visitor.wait_for_function(f"() => {PLAYER} && {PLAYER}.readyState >= 2")
        visitor.evaluate(f"() => {{ {PLAYER}.muted = true; {PLAYER}.play(); }}")
        visitor.wait_for_function(f"() => {PLAYER}.currentTime > 0.5")
        assert [p for p in problems if "Content Security Policy" in p or p[:1] == "5"] == []
    finally:
        close_when_idle(context)
