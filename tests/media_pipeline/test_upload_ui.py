"""The resumable upload widget in Debian's Chromium: progress, a network cut, a page reload."""

import hashlib
import os
import shutil

import pytest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.test import Client
from django.urls import include, path

from festival.models import Film
from tests.media_pipeline.test_tus import MP4_HEAD

pytestmark = [pytest.mark.browser, pytest.mark.urls(__name__)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHUNK = 256 * 1024
# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PAGE = """{% extends "base.html" %}{% block content %}
<form data-tus-fallback method="post"><p>Formulaire classique</p></form>
{% include "media_pipeline/_upload.html" %}
{% endblock %}"""


def film_page(request, pk):
    """Stands for the teacher's film page, which includes the widget the same way."""
    film = get_object_or_404(Film, pk=pk)
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"film": film, "max_video_bytes": 10**9}, request))


urlpatterns = [
    path("essai/film/<int:pk>/", film_page),
    path("", include("config.urls")),
]


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.FILMIT_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def page(browser, live_server, teacher):
    client = Client()
    client.force_login(teacher)
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def video_file(tmp_path):
    data = MP4_HEAD + os.urandom(5 * CHUNK + 1234 - len(MP4_HEAD))
    path = tmp_path / "Notre film.mp4"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def open_widget(page, film):
    page.goto(f"/essai/film/{film.pk}/")
    widget = page.locator("[data-tus-upload]")
    widget.wait_for(state="visible")
    # Small chunks, so that a few PATCH requests make the upload; no reload at the end.
    page.evaluate(
        """chunk => {
            const widget = document.querySelector('[data-tus-upload]');
            widget.dataset.chunkBytes = chunk;
            widget.addEventListener('filmit:upload-complete', e => e.preventDefault());
        }""",
        CHUNK,
    )
    return widget


def stored_versions(film):
    from media_pipeline.models import VideoVersion

    return [
        (v.original_filename, hashlib.sha256(v.original.read()).hexdigest())
        for v in VideoVersion.objects.filter(film=film)
    ]


def test_the_widget_uploads_with_progress_and_survives_a_network_cut(page, film, video_file):
    path, digest = video_file
    methods = []

    def cut_the_second_chunk(route):
        methods.append(route.request.method)
        if methods.count("PATCH") == 2 and route.request.method == "PATCH":
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/televersements/**", cut_the_second_chunk)
    widget = open_widget(page, film)
    assert page.locator("[data-tus-fallback]").is_hidden()

    widget.get_by_label("Vidéo du film").set_input_files(str(path))
    assert (
        widget.get_by_role("status").inner_text()
        == "Prêt à envoyer « Notre film.mp4 » (1,3\u202fMo)."
    )
    widget.get_by_role("button", name="Envoyer la vidéo").click()

    widget.get_by_role("status").filter(has_text="Vidéo reçue").wait_for()
    # After the cut, the client asked the server where to resume, then went on.
    assert methods[:4] == ["POST", "PATCH", "PATCH", "HEAD"]
    assert methods.count("POST") == 1
    assert widget.locator("progress").evaluate("p => p.value") == 100
    assert stored_versions(film) == [("Notre film.mp4", digest)]


def test_a_page_reload_resumes_the_upload(page, film, video_file):
    path, digest = video_file
    methods = []
    held = []

    def stall_after_two_chunks(route):
        methods.append(route.request.method)
        if route.request.method == "PATCH" and methods.count("PATCH") > 2 and not held:
            held.append(route)  # never answered: the upload stalls as on a dead connection
        else:
            route.continue_()

    page.route("**/televersements/**", stall_after_two_chunks)
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" while sending
    widget = open_widget(page, film)
    widget.get_by_label("Vidéo du film").set_input_files(str(path))
    widget.get_by_role("button", name="Envoyer la vidéo").click()
    page.wait_for_function("() => document.querySelector('progress').value >= 35")
    page.wait_for_timeout(200)
    page.reload()

    widget = open_widget(page, film)
    widget.get_by_role("status").filter(has_text="a été interrompu").wait_for()
    widget.get_by_label("Vidéo du film").set_input_files(str(path))
    widget.get_by_role("status").filter(has_text="Vidéo reçue").wait_for()

    assert methods.count("POST") == 1  # one upload, resumed: not started over
    assert "HEAD" in methods
    assert stored_versions(film) == [("Notre film.mp4", digest)]
