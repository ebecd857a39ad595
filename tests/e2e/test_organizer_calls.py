"""The call for entries' pages in Chromium: axe-core without serious or critical violations, no
sideways scroll at phone width, and the sending page polling its progress until done."""

import pytest
from django.urls import reverse

from festival.domain.calls import create_call, unsubscribe_token
from festival.models import CallForEntries, User
from public import demo
from tests.e2e.conftest import log_in
from tests.e2e.test_crawl import AXE_URL, WIDTHS, Crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(transactional_db):
    return demo.load(with_videos=False)


def visit(crawl, path):
    crawl.current = path
    crawl.page.goto(path)
    crawl.page.add_script_tag(url=AXE_URL)
    for width in WIDTHS:
        crawl.check(width)
    crawl.page.set_viewport_size(WIDTHS["bureau"])


def test_the_call_pages_are_accessible_and_fit_a_phone(browser, live_server, demo_data):
    sent = CallForEntries.objects.get()
    organizer = User.objects.get(email=demo.ORGANIZER_EMAIL)
    draft = create_call(
        edition=demo_data["edition"],
        organizer=organizer,
        subject="Dernier appel",
        body="Il reste deux semaines pour inscrire vos classes.",
        audiences=["past_teachers", "companies"],
    )
    crawl = Crawl(browser, live_server.url, "organisatrice")
    log_in(crawl.page, demo.ORGANIZER_EMAIL, demo.DEMO_PASSWORD)
    crawl.page.wait_for_url(lambda url: "/compte/" not in url)
    for path in [
        reverse("festival:organizer_calls"),
        reverse("festival:organizer_call_create"),
        reverse("festival:organizer_call", args=[sent.pk]),
        reverse("festival:organizer_call_preview", args=[draft.pk]),
        reverse("festival:organizer_call_edit", args=[draft.pk]),
        reverse("festival:organizer_call_send", args=[draft.pk]),
    ]:
        visit(crawl, path)
    token = unsubscribe_token(festival_id=demo_data["festival"].pk, email="cdi@example.org")
    visit(crawl, reverse("festival:call_unsubscribe", args=[token]))
    crawl.context.close()
    assert crawl.problems == [], "\n".join(crawl.problems)
