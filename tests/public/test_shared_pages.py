"""Whole public pages shared between anonymous visitors (public.cache.shared_page).

A visitor with neither session nor messages cookie is served the page rendered for the previous
one, in their language, until anything the public pages show changes; everybody else gets a
page of their own, and a page that holds a form's token is never shared.
"""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public.cache import is_shareable_request, shared_page
from tests import factories
from tests.festival.palmares import cleared_film, open_gallery

GALLERY = reverse("public:gallery")


def fetch(client, url=GALLERY) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_next_anonymous_visitor_is_served_the_page_without_a_query(edition, category):
    cleared_film(category, title="Les mains d'or")
    open_gallery(edition)

    first, first_html = fetch(Client())
    second, second_html = fetch(Client())

    assert first > 5
    assert second == 0
    assert second_html == first_html
    assert "Les mains d&#x27;or" in second_html


def test_a_change_shows_at_the_next_request(edition, category):
    film = cleared_film(category, title="Les mains d'or")
    open_gallery(edition)
    url = reverse("public:film", args=[film.pk])
    fetch(Client(), url)

    film.title = "Le geste juste"
    film.save()

    _count, html = fetch(Client(), url)
    assert "Le geste juste" in html
    assert "Les mains d&#x27;or" not in html


def test_each_language_has_its_own_page(edition, category):
    cleared_film(category)
    open_gallery(edition)

    _count, french = fetch(Client())
    english_visitor = Client()
    english_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _count, english = fetch(english_visitor)
    _count, french_again = fetch(Client())

    assert '<html lang="fr">' in french
    assert '<html lang="en">' in english
    assert "Film gallery" in english or "Gallery" in english
    assert french_again == french


def test_a_signed_in_visitor_never_gets_the_shared_page(edition, category, teacher):
    cleared_film(category)
    open_gallery(edition)
    fetch(Client())

    signed_in = Client()
    signed_in.force_login(teacher)
    _count, html = fetch(signed_in)

    assert "Se déconnecter" in html
    # And the anonymous page kept no trace of them.
    _count, anonymous = fetch(Client())
    assert "Se déconnecter" not in anonymous
    assert "csrfmiddlewaretoken" not in anonymous


def test_only_cookie_less_reads_are_shared():
    factory = RequestFactory()
    plain = factory.get(GALLERY)
    with_session = factory.get(GALLERY)
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    with_messages = factory.get(GALLERY)
    with_messages.COOKIES["messages"] = "abc"

    assert is_shareable_request(plain)
    assert not is_shareable_request(with_session)
    assert not is_shareable_request(with_messages)
    assert not is_shareable_request(factory.post(GALLERY))


def _anonymous_request(path="/page/"):
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = "fr"
    return request


def test_a_page_holding_a_form_token_is_rendered_for_each_visitor(db):
    calls = []

    @shared_page
    def with_form(request):
        calls.append(request)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    first = with_form(_anonymous_request())
    second = with_form(_anonymous_request())

    assert len(calls) == 2
    assert first.content != second.content


def test_errors_are_not_kept(db):
    calls = []

    @shared_page
    def missing(request):
        calls.append(request)
        return HttpResponse("introuvable", status=404)

    missing(_anonymous_request())
    missing(_anonymous_request())

    assert len(calls) == 2


def test_the_language_switch_works_without_a_token(db):
    visitor = Client(enforce_csrf_checks=True)
    header = visitor.get(reverse("public:home")).content.decode()
    assert 'class="language-switcher"' in header

    response = visitor.post(reverse("set_language"), {"language": "en", "next": GALLERY})

    assert response.status_code == 302
    assert response["Location"] == GALLERY
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in visitor.get(GALLERY).content.decode()


def test_another_festivals_gallery_is_another_page(edition, category):
    other = factories.make_festival(name="FILM'IT Grand Est", slug="grand-est")
    other_edition = factories.make_edition(other)
    other_category = factories.make_category(other_edition)
    cleared_film(category, title="Les mains d'or")
    cleared_film(other_category, title="Acier trempé")
    open_gallery(edition)
    open_gallery(other_edition)

    _count, ours = fetch(Client(), GALLERY + "?festival=filmit-fc")
    _count, theirs = fetch(Client(), GALLERY + "?festival=grand-est")

    assert "Les mains d&#x27;or" in ours and "Acier trempé" not in ours
    assert "Acier trempé" in theirs and "Les mains d&#x27;or" not in theirs
