"""The visitor's address behind trusted reverse proxies (config/proxy.py)."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from config.proxy import TrustedProxyMiddleware
from tests import factories


def address_seen(forwarded: str | None, remote: str = "10.0.0.2") -> str:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    TrustedProxyMiddleware(lambda request: HttpResponse())(request)
    return request.META["REMOTE_ADDR"]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "seen"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is anyone's
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: not through them
        (1, None, "10.0.0.2"),
        (1, " , ", "10.0.0.2"),
    ],
)
def test_the_visitors_address_is_read_from_the_trusted_proxies(settings, proxies, forwarded, seen):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert address_seen(forwarded) == seen


def test_behind_a_proxy_each_visitor_has_their_own_login_counter(settings, teacher):
    cache.clear()
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_MAX_PER_IP = 2
    login = reverse("festival:login")

    def attempt(visitor, email, password="nope"):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=visitor)
        return client.post(login, {"username": email, "password": password})

    for number in range(2):
        attempt("203.0.113.9", f"inconnu{number}@example.org")
    assert attempt("203.0.113.9", "inconnu9@example.org").status_code == 429
    # Another visitor behind the same proxy logs in.
    assert attempt("198.51.100.4", teacher.email, factories.PASSWORD).status_code == 302
