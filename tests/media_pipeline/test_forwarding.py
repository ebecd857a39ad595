"""A forwarded film shares its source's media files; deleting or rebuilding on one side leaves
the other playing (media_pipeline.forwarding, festival.stored_files)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from festival import stored_files
from festival.domain import DomainError
from festival.domain.consents import delete_consent
from festival.domain.transfers import accept_transfer, offer_film
from festival.enums import ConsentStatus
from media_pipeline import delivery, jobs, manifest
from media_pipeline.models import VideoStatus as S
from tests import factories
from tests.festival.factories_transfer import make_journey
from tests.media_pipeline import clips
from tests.media_pipeline.versions import FILES, process, receive
from tests.media_pipeline.versions import stored_files as listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    return make_journey()


@pytest.fixture
def forwarded(journey):
    transfer = offer_film(
        film=journey.film, target_edition=journey.final_edition, user=journey.region_organizer
    )
    return accept_transfer(
        transfer=transfer, user=journey.final_organizer, category=journey.final_category
    )


def _plays(client, user, film) -> int:
    version = film.video_versions.filter(status=S.READY).order_by("-number").first()
    client.force_login(user)
    token = delivery.sign(version=version, user=user)
    response = client.get(reverse("media_pipeline:media", args=[token, "hls/master.m3u8"]))
    return response.status_code


def test_the_forwarded_film_plays_at_once(journey, forwarded, client):
    assert _plays(client, journey.final_organizer, forwarded) == 200
    assert _plays(client, journey.teacher, forwarded) == 200
    # Both films and both versions point at the same originals.
    assert stored_files.references(journey.film.original_video.name) == 2
    assert stored_files.references(journey.version.original.name) == 2
    assert stored_files.references(journey.version.output_prefix) == 2


def test_rebuilding_the_source_leaves_the_final_playing(
    journey, forwarded, client, tmp_path, django_capture_on_commit_callbacks
):
    prefix = journey.version.output_prefix
    shared = listed(prefix)
    clip = clips.compliant_mp4(tmp_path, size="160x90", duration=1)

    with django_capture_on_commit_callbacks(execute=True):
        process(receive(journey.film, journey.region_organizer, clip))

    journey.version.refresh_from_db()
    assert journey.version.status == S.SUPERSEDED
    assert listed(prefix) == shared  # the final's copy still needs them
    assert _plays(client, journey.final_organizer, forwarded) == 200

    # The final replaces its video too: nobody needs the shared folder any more.
    with django_capture_on_commit_callbacks(execute=True):
        process(receive(forwarded, journey.final_organizer, clip))
    assert listed(prefix) == []
    assert _plays(client, journey.final_organizer, forwarded) == 200
    assert _plays(client, journey.region_organizer, journey.film) == 200
    # Originals are kept, as always.
    assert default_storage.exists(journey.version.original.name)


def test_a_new_poster_on_one_side_keeps_the_others(
    journey, forwarded, tmp_path, django_capture_on_commit_callbacks
):
    copy = forwarded.video_versions.get()
    prefix = copy.output_prefix
    image = clips.jpeg_image(tmp_path).read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        manifest.choose_poster(
            version=copy,
            user=journey.final_organizer,
            image=SimpleUploadedFile("affiche.jpg", image),
        )
    # The source still shows its first poster.
    assert default_storage.exists(prefix + "poster/first/poster-page.jpg")

    with django_capture_on_commit_callbacks(execute=True):
        manifest.choose_poster(
            version=journey.version,
            user=journey.region_organizer,
            image=SimpleUploadedFile("affiche.jpg", image),
        )
    assert not default_storage.exists(prefix + "poster/first/poster-page.jpg")
    copy.refresh_from_db()
    journey.version.refresh_from_db()
    for version in (copy, journey.version):
        for path in version.outputs["poster"]["sizes"].values():
            assert default_storage.exists(prefix + path)


def test_a_failed_attempt_folder_is_deleted_as_before(journey, django_capture_on_commit_callbacks):
    """An unshared folder goes at once: the counter only keeps what a ready row lists."""
    version = journey.version
    with django_capture_on_commit_callbacks(execute=True):
        jobs.delete_outputs_on_commit(version.output_prefix + "storyboard/")
    # The ready source still lists its storyboard: kept.
    assert default_storage.exists(version.output_prefix + "storyboard/storyboard.jpg")
    version.outputs = {k: v for k, v in version.outputs.items() if k != "storyboard"}
    version.save(update_fields=["outputs"])
    with django_capture_on_commit_callbacks(execute=True):
        jobs.delete_outputs_on_commit(version.output_prefix + "storyboard/")
    assert not default_storage.exists(version.output_prefix + "storyboard/storyboard.jpg")
    assert len(listed(version.output_prefix)) == len(FILES) - 2


def test_a_consent_deleted_on_the_source_stays_for_the_final(
    journey, django_capture_on_commit_callbacks
):
    pending = factories.make_consent(journey.film, status=ConsentStatus.PENDING)
    transfer = offer_film(
        film=journey.film, target_edition=journey.final_edition, user=journey.region_organizer
    )
    forwarded = accept_transfer(
        transfer=transfer, user=journey.final_organizer, category=journey.final_category
    )
    copied = forwarded.consents.get(file=pending.file.name)

    with pytest.raises(DomainError) as error:
        delete_consent(consent=copied, user=journey.teacher)
    assert error.value.code == "consent_forwarded"

    with django_capture_on_commit_callbacks(execute=True):
        delete_consent(consent=pending, user=journey.teacher)
    assert default_storage.exists(copied.file.name)

    copied.delete()
    with django_capture_on_commit_callbacks(execute=True):
        stored_files.release(default_storage, copied.file.name)
    assert not default_storage.exists(copied.file.name)
