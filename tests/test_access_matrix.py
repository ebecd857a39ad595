"""Who gets what on every URL of the platform: thirteen roles against every URL pattern.

The matrix (tests/access_matrix_rows.py) lists every pattern of the project; a pattern it does
not list, or one it lists that no longer exists, fails here, so a new page cannot ship without
saying who may open it. Each role then asks every pattern, filled with festival A's objects,
and every answer is compared with the table: one failure lists every mismatch.
"""

import inspect
import re
import shutil
import tempfile
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from tests.access_matrix_data import ORGANIZER_B, ROLES, build_matrix_data
from tests.access_matrix_rows import ROWS, Row


def walk_patterns(resolver=None, prefix="", namespace=None):
    """(key, route) of every URL pattern: its namespace:name, or its route when unnamed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
            else:
                yield route, route


@pytest.fixture(scope="module")
def media_root():
    path = tempfile.mkdtemp(prefix="filmit-matrix-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _storage_settings(media_root):
    return {
        "MEDIA_ROOT": media_root,
        "FILMIT_UPLOAD_DIR": f"{media_root}/uploads",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "LANGUAGE_CODE": "fr",
    }


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, media_root):
    """The data set, built once for the module inside a transaction rolled back at its end:
    the other test modules never see it."""
    with django_db_blocker.unblock(), override_settings(**_storage_settings(media_root)):
        with transaction.atomic():
            yield build_matrix_data()
            transaction.set_rollback(True)


@pytest.fixture
def matrix_settings(settings, media_root):
    for name, value in _storage_settings(media_root).items():
        setattr(settings, name, value)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _view_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def answer(response):
    """What a response means: a status, 'login', 'admin_login' or 'redirect:<view name>'."""
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target == resolve_url(settings.LOGIN_URL):
            return "login"
        if target == reverse("admin:login"):
            return "admin_login"
        return f"redirect:{_view_name(target)}"
    return str(response.status_code)


ROOTS = {"a", "b", "users", "extra"}


def resolve_value(matrix, role, value):
    """A row's kwarg: "a.film" is festival A's film's pk (see access_matrix_rows.Row)."""
    if value == "media_token":
        return matrix.media_token(role)
    if not isinstance(value, str) or value.split(".")[0] not in ROOTS:
        return value
    root, *path = value.split(".")
    obj = matrix.users if root == "users" else getattr(matrix, root)
    for part in path:
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
        if inspect.ismethod(obj):  # "criteria.first"
            obj = obj()
    return getattr(obj, "pk", obj)


def url_of(matrix, role, row):
    kwargs = {name: resolve_value(matrix, role, value) for name, value in row.kwargs.items()}
    if "<" not in row.key and "(" not in row.key:
        url = reverse(row.key, kwargs=kwargs)
    else:  # an unnamed pattern: its route, filled in
        url = "/" + row.key
        for name, value in kwargs.items():
            url = re.sub(rf"<(\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), url)
    url = url.removesuffix("$")
    if row.query:
        pairs = [pair.split("=", 1) for pair in row.query.split("&")]
        url += "?" + urlencode([(k, resolve_value(matrix, role, v)) for k, v in pairs])
    return url


DENIALS = {"403", "404", "405", "login", "admin_login"}


def matches(expected, got):
    if expected == "ok":
        # Opened, possibly after redirects, but never through a login page.
        return got.split(" -> ")[-1] == "200"
    if expected == "entitled":
        return got not in DENIALS and not got.startswith(("5", "error"))
    return got == expected


def ask(client, method, url, headers=None, *, follow=False):
    """The answer, and the body of a 200 (to look for what must not be there). `follow`: the
    redirects are followed (a few hops) and the answer lists each step."""
    try:
        response = getattr(client, method)(url, headers=headers)
        steps = [answer(response)]
        for _hop in range(4 if follow else 0):
            if not steps[-1].startswith("redirect:"):
                break
            response = client.get(response["Location"])
            steps.append(answer(response))
        got = " -> ".join(steps)
        # Streamed answers (the CSV export, files) are read too: they may leak as a page does.
        content = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception as error:  # the mismatch names it; the other rows still run
        return f"error:{type(error).__name__}: {error}", ""
    body = content.decode(errors="replace") if response.status_code == 200 else ""
    return got, body


def check_row(matrix, role, row, client):
    """The mismatches of one row for one role: (key, method, role, expected, got)."""
    mismatches = []
    url = url_of(matrix, role, row)
    expected = row.expected_get(role)
    got, body = ask(client, "get", url, follow=expected == "ok")
    if not matches(expected, got):
        mismatches.append((row.key, "GET", role, expected, got))
    if role in row.hides_a_from:
        for secret in matrix.secrets_of_a():
            if secret in body:
                mismatches.append((row.key, "GET", role, "hidden", f"shows {secret!r}"))
    if row.post:
        headers = {k: resolve_value(matrix, role, v) for k, v in row.post_headers.items()}
        with rolled_back():
            # A fresh session: a POST may end it (logout) or change it.
            got, _ = ask(client_for(matrix.user(role)), "post", url, headers)
        expected = row.expected_post(role)
        if not matches(expected, got):
            mismatches.append((row.key, "POST", role, expected, got))
    return mismatches


def report(mismatches):
    return "\n".join(
        ["pattern method role expected got"] + [" ".join(m) for m in sorted(mismatches)]
    )


def test_the_matrix_lists_every_url_pattern_once():
    patterns = {key for key, _ in walk_patterns()}
    listed = [row.key for row in ROWS]
    twice = sorted({key for key in listed if listed.count(key) > 1})
    assert twice == [], f"listed twice in the matrix: {twice}"
    assert sorted(patterns - set(listed)) == [], "URL patterns missing from the matrix"
    assert sorted(set(listed) - patterns) == [], "patterns of the matrix that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_the_role_as_the_matrix_says(role, matrix, matrix_settings):
    client = client_for(matrix.user(role))
    mismatches = []
    for row in ROWS:
        mismatches += check_row(matrix, role, row, client)
    assert mismatches == [], report(mismatches)


PUBLIC_FILM_PAGES = ["public:film", "public:embed", "public:poster"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_public_film_pages_are_a_404_for_a_film_under_judging(role, matrix, matrix_settings):
    """The public rows above open festival A's prize winner; its film still being judged (its
    consents not validated) is on no public page, whoever asks, its teacher included."""
    client = client_for(matrix.user(role))
    film_url = reverse("public:film", args=[matrix.a.film.pk])
    got = {
        name: answer(client.get(reverse(name, args=[matrix.a.film.pk])))
        for name in PUBLIC_FILM_PAGES
    }
    got["public:oembed"] = answer(client.get(reverse("public:oembed"), {"url": film_url}))
    assert got == dict.fromkeys([*PUBLIC_FILM_PAGES, "public:oembed"], "404")


# Lookups reached through the query string rather than the URL: festival A's ids asked for by
# the organizer of festival B. (query, expected answer)
QUERY_PROBES = {
    "festival:organizer_dashboard": ("edition=a.edition", "404"),
    "festival:organizer_films": ("edition=a.edition&category=a.category", "200"),
    "festival:organizer_films_csv": ("edition=a.edition&category=a.category", "200"),
    "judging:organizer_switch_edition": ("edition=a.edition", "redirect:judging:organizer_home"),
}


@pytest.mark.django_db
def test_query_strings_open_nothing_of_another_festival(matrix, matrix_settings):
    client = client_for(matrix.user(ORGANIZER_B))
    mismatches = []
    for key, (query, expected) in QUERY_PROBES.items():
        url = url_of(matrix, ORGANIZER_B, Row(key, query=query))
        got, body = ask(client, "get", url)
        if got != expected:
            mismatches.append((key, "GET", ORGANIZER_B, expected, got))
        mismatches += [
            (key, "GET", ORGANIZER_B, "hidden", f"shows {secret!r}")
            for secret in matrix.secrets_of_a()
            if secret in body
        ]
    assert mismatches == [], report(mismatches)
