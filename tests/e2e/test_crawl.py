"""Every page a visitor, two teachers, a juror and an organizer can reach from their landing
page, crawled in Debian's Chromium over the demo data and a second festival (so that `/` is the
festivals list), at desktop and phone widths.

A page fails on a serious or critical axe-core violation, a console error, a failed request, a
request to another host than the platform, or a sideways scroll at phone width.
"""

import time
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from public import demo
from tests import factories
from tests.e2e.conftest import log_in
from tests.festival.palmares import award, cleared_film, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "assets" / "axe.min.js"
WIDTHS = {
    "bureau": {"width": 1280, "height": 800},
    "téléphone": {"width": 390, "height": 844},
}
# Each role's login and the page it lands on.
ROLES = {
    "visiteur": (None, "public:home"),
    "enseignante": (demo.TEACHER_EMAIL, "festival:teacher_dashboard"),
    # Julien Faivre's class still has a film in draft: its forms (details, video, consents).
    "enseignant": ("julien.faivre@filmit.example", "festival:teacher_dashboard"),
    "juré": (demo.JUROR_EMAIL, "judging:juror_dashboard"),
    "organisatrice": (demo.ORGANIZER_EMAIL, "festival:organizer_dashboard"),
}
# Pages of one kind look alike: two of each are enough to find what is wrong with the kind.
PER_VIEW = 2
# The visitor's crawl covers the public pages; a signed-in role sees each once, with its menu.
PUBLIC_PER_VIEW_SIGNED_IN = 1
# Not HTML pages (files, feeds, media), or leaving the session.
NOT_PAGES = {
    "festival:logout",
    "festival:organizer_films_csv",
    "festival:file_original_video",
    "festival:file_consent",
    "judging:awards_pdf",
    "judging:awards_certificates",
    "judging:results_download",
    "judging:results_feedback",
    "media_pipeline:media",
    "media_pipeline:poster",
    "media_pipeline:subtitles",
    "media_pipeline:status",
    "public:poster",
    "public:palmares_feed",
    "public:festival_feed",
    "public:sitemap",
    "public:oembed",
}
NOT_PAGE_SUFFIXES = (".csv", ".xlsx", ".pdf", ".ics", ".xml", ".jpg", ".png", ".vtt", ".zip")

AXE_URL = "/tests-e2e/axe.min.js"
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" "))}));
}"""
# The outermost elements sticking out of the window, not counting what a scroll box holds.
WIDEST = """() => {
  const scrolls = e => getComputedStyle(e).overflowX !== "visible";
  const out = e => e.getBoundingClientRect().right > window.innerWidth + 1;
  const describe = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].map(c => "." + c).join("");
  return [...document.querySelectorAll("body *")].filter(e => {
    if (!out(e)) return false;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (scrolls(a) || out(a)) return false;
    }
    return true;
  }).slice(0, 5).map(describe);
}"""
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


def view_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


class Crawl:
    """One role's walk: the pages to visit and what went wrong on them."""

    def __init__(self, browser, base_url, role):
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(base_url).netloc
        self.role = role
        self.context = browser.new_context(
            locale="fr-FR", base_url=base_url, viewport=WIDTHS["bureau"]
        )
        # axe is served as if from the platform: the pages' Content-Security-Policy stays on.
        self.context.route(f"{self.base_url}{AXE_URL}", lambda route: route.fulfill(path=AXE))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.current = "?"
        self.leaving = False
        self.problems = []
        self.visited = []
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.fail("erreur JavaScript", str(error)))
        self.page.on("requestfailed", self.on_request_failed)
        self.page.on("response", self.on_response)
        self.page.on("request", self.on_request)

    def fail(self, kind, detail, width="-"):
        self.problems.append(f"[{self.role}] {self.current} ({width}) {kind}: {detail}")

    def on_console(self, message):
        if message.type == "error":
            self.fail("console", f"{message.text} @ {message.location.get('url', '')}")

    def on_request(self, request):
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != self.origin:
            self.fail("autre hôte", request.url)

    def on_request_failed(self, request):
        # Leaving a page cancels what it was still loading (lazy images, htmx polling).
        if self.leaving and request.failure == "net::ERR_ABORTED":
            return
        self.fail("requête échouée", f"{request.url} {request.failure}")

    def on_response(self, response):
        if response.status >= 400:
            self.fail("réponse en erreur", f"{response.status} {response.url}")

    def links(self):
        hrefs = self.page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        )
        found = []
        for href in hrefs:
            url, _ = urldefrag(href)
            parts = urlsplit(url)
            if parts.netloc != self.origin or parts.scheme not in ("http", "https"):
                continue
            if parts.path.startswith("/admin/") or parts.path.endswith(NOT_PAGE_SUFFIXES):
                continue
            name = view_name(parts.path)
            if name is None or name in NOT_PAGES:
                continue
            found.append((url, name))
        return found

    def check(self, width):
        self.page.set_viewport_size(WIDTHS[width])
        if width == "téléphone":
            overflow = self.page.evaluate(SIDEWAYS)
            if overflow > 1:
                wide = self.page.evaluate(WIDEST)
                self.fail("défilement horizontal", f"{overflow}px de trop : {wide}", width)
        for violation in self.page.evaluate(AXE_RUN):
            self.fail(
                f"axe {violation['impact']} {violation['id']}",
                f"{violation['help']} — {violation['targets']}",
                width,
            )

    def run(self, start, *, signed_in):
        queue = [(start, view_name(urlsplit(start).path))]
        seen = {start}
        per_view = Counter()
        while queue:
            url, name = queue.pop(0)
            limit = PER_VIEW
            if signed_in and name.startswith("public:"):
                limit = PUBLIC_PER_VIEW_SIGNED_IN
            if per_view[name] >= limit:
                continue
            per_view[name] += 1
            self.current = url.removeprefix(self.base_url)
            self.leaving = True
            response = self.page.goto(url)
            self.leaving = False
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            self.visited.append(self.current)
            self.page.add_script_tag(url=AXE_URL)
            for link in self.links():
                if link[0] not in seen:
                    seen.add(link[0])
                    queue.append(link)
            for width in WIDTHS:
                self.check(width)
            self.page.set_viewport_size(WIDTHS["bureau"])
        self.context.close()


def second_festival():
    """Another festival beside the demo's, so that `/` is the festivals list and each
    festival's pages are crawled: a current edition, a category, a published palmarès."""
    festival = factories.make_festival(
        name="FILM'IT Bourgogne",
        slug="filmit-bourgogne",
        region="Bourgogne",
        organizing_body="UIMM Bourgogne",
        contact_email="bourgogne@filmit.example",
    )
    past = factories.make_edition(
        festival, open_now=False, is_current=False, year=2020, title="FILM'IT Bourgogne 2020"
    )
    winner = cleared_film(factories.make_category(past, name="Collège"), title="Fonderie")
    publish(past, [award(winner)])
    current = factories.make_edition(festival, year=2021, title="FILM'IT Bourgogne 2021")
    factories.make_category(current, name="Lycée")


@pytest.fixture
def demo_data(transactional_db):
    data = demo.load(with_videos=False)
    second_festival()
    return data


def test_every_page_of_every_role_is_accessible_and_fits_a_phone(browser, live_server, demo_data):
    problems, report = [], []
    for role, (email, landing) in ROLES.items():
        started = time.monotonic()
        crawl = Crawl(browser, live_server.url, role)
        if email:
            log_in(crawl.page, email, demo.DEMO_PASSWORD)
            crawl.page.wait_for_url(lambda url: "/compte/" not in url)
        else:
            crawl.page.goto("/")
        start = crawl.page.url
        assert view_name(urlsplit(start).path) == landing
        crawl.run(start, signed_in=bool(email))
        problems += crawl.problems
        report.append(f"{role}: {len(crawl.visited)} pages, {time.monotonic() - started:.0f} s")
        print(f"\n{role} ({len(crawl.visited)} pages):\n  " + "\n  ".join(crawl.visited))
    print("\n" + "\n".join(report))
    assert problems == [], "\n".join(problems)
