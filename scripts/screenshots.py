"""Takes the README's screenshots from a running demo (`make demo`), in Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL [INVITATION_TOKEN]]
(default http://127.0.0.1:8000; with a ceremony invitation's token, its answer page on a phone)
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "filmit-demo-2027"


def log_in(page, email):
    page.goto(f"{BASE}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")


def shot(page, name, url=None):
    if url:
        page.goto(f"{BASE}{url}")
        page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}.png", full_page=False)
    print(OUT / f"{name}.png")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def context():
            return browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 860})

        visitor = context().new_page()
        shot(visitor, "home", "/")
        shot(visitor, "gallery", "/galerie/")
        visitor.goto(f"{BASE}/palmares/")
        visitor.locator("main a[href^='/palmares/']").first.click()
        visitor.wait_for_load_state("networkidle")
        shot(visitor, "palmares")

        teacher = context().new_page()
        log_in(teacher, "claire.girard@filmit.example")
        shot(teacher, "teacher-dashboard")
        teacher.get_by_role("link", name="Les mains de l'atelier").first.click()
        teacher.wait_for_load_state("networkidle")
        shot(teacher, "teacher-film")

        organizer = context().new_page()
        log_in(organizer, "organisation@filmit.example")
        shot(organizer, "organizer-dashboard")
        shot(organizer, "organizer-films", "/organisation/films/")
        organizer.locator("main table a[href^='/organisation/films/']").first.click()
        organizer.wait_for_load_state("networkidle")
        shot(organizer, "organizer-film")
        organizer.goto(f"{BASE}/organisation/editions/")
        organizer.locator("main a[href^='/organisation/editions/']").first.click()
        organizer.wait_for_load_state("networkidle")
        shot(organizer, "organizer-edition")
        # The ceremony's page opens on the current edition: its address names the edition.
        shot(organizer, "organizer-ceremony", "/jury/remise-des-prix/")
        edition_pk = organizer.url.rstrip("/").rsplit("/", 1)[-1]
        shot(organizer, "organizer-impact", "/organisation/bilan/")
        shot(organizer, "organizer-finals", "/organisation/finales/")
        shot(
            organizer,
            "organizer-preselection",
            f"/jury/preselection/editions/{edition_pk}/classement/",
        )
        visitor.goto(f"{BASE}/festivals/filmit-franche-comte/")  # the demo's first festival
        visitor.locator("a[href$='/finalistes/']").first.click()
        visitor.wait_for_load_state("networkidle")
        shot(visitor, "finalists")

        operator = context().new_page()
        log_in(operator, "exploitation@filmit.example")
        shot(operator, "platform-impact", "/organisation/bilan/plateforme/")

        juror = context().new_page()
        log_in(juror, "marc.petit@filmit.example")
        shot(juror, "juror-dashboard")
        juror.locator("main a[href*='/jury/jure/films/']").first.click()
        juror.wait_for_load_state("networkidle")
        shot(juror, "juror-watch")

        phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        shot(phone.new_page(), "phone-home", "/")
        if len(sys.argv) > 2:  # an invitation's token (manage.py shell), for its answer page
            shot(
                phone.new_page(),
                "phone-ceremony-answer",
                f"/remise-des-prix/reponse/{sys.argv[2]}/",
            )
        organizer_phone = phone.new_page()
        log_in(organizer_phone, "organisation@filmit.example")
        organizer_phone.locator(".org-menu > summary").click()
        shot(organizer_phone, "phone-organizer-menu")
        browser.close()


if __name__ == "__main__":
    main()
