import os
import shutil

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page, fragment or counter of another test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def festival(db):
    return factories.make_festival(name="FILM'IT Franche-Comté", slug="filmit-fc")


@pytest.fixture
def edition(festival):
    return factories.make_edition(festival)


@pytest.fixture
def category(edition):
    return factories.make_category(edition, name="Lycée", slug="lycee")


@pytest.fixture
def school(db):
    return factories.make_school()


# Teachers take part in the festival fixture (and in any festival a test makes later).


@pytest.fixture
def teacher(school, festival):
    return factories.make_teacher(school, first_name="Claire", last_name="Girard")


@pytest.fixture
def other_teacher(festival):
    """A teacher of another school: must never see the first teacher's films."""
    return factories.make_teacher(first_name="Paul", last_name="Roy")


@pytest.fixture
def pending_teacher(school, festival):
    from festival.enums import ApprovalStatus

    return factories.make_teacher(school, approval=ApprovalStatus.PENDING)


@pytest.fixture
def organizer(festival):
    return factories.make_organizer(festival, first_name="Sophie", last_name="Morel")


@pytest.fixture
def other_organizer(db):
    """An organizer of another festival: must never see this festival's films."""
    return factories.make_organizer(factories.make_festival())


@pytest.fixture
def juror(festival):
    return factories.make_juror(festival, first_name="Marc", last_name="Petit")


@pytest.fixture
def film(teacher, category):
    return factories.make_film(teacher=teacher, category=category)


@pytest.fixture
def complete_film(teacher, category):
    return factories.make_film(teacher=teacher, category=category, complete=True)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def teacher_client(client, teacher):
    return login(client, teacher)


@pytest.fixture
def organizer_client(client, organizer):
    return login(client, organizer)


@pytest.fixture
def sent_emails(monkeypatch):
    """(template, sorted recipients) of each email queued, in order; they still reach the outbox."""
    from festival import emails

    queued = []
    real = emails.send_templated

    def spy(*, template, to, **kwargs):
        queued.append((template, sorted(to)))
        return real(template=template, to=to, **kwargs)

    monkeypatch.setattr(emails, "send_templated", spy)
    return queued


@pytest.fixture
def mailoutbox(db, mailoutbox):
    """The outbox, taken once the database is set up: that setup replaces Django's outbox list,
    so a test asking for `mailoutbox` before a database fixture would watch a stale one."""
    return mailoutbox


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process, shared by every browser test."""
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
    # make around it are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is required for the browser tests and was not found at {CHROMIUM}.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
