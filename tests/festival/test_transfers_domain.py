"""festival.domain.transfers: a regional winner offered to a final, accepted or declined."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from festival.domain import DomainError
from festival.domain.transfers import accept_transfer, decline_transfer, offer_film
from festival.enums import ConsentStatus, FilmStatus
from festival.history import teacher_history, transfer_history
from festival.models import Film, FilmTransfer, TransferState
from media_pipeline.models import VideoStatus
from media_pipeline.storage_io import walk
from tests import factories
from tests.festival.factories_transfer import make_journey

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    return make_journey()


def _offer(journey, **kw):
    return offer_film(
        film=journey.film,
        target_edition=journey.final_edition,
        user=journey.region_organizer,
        **kw,
    )


def _stored() -> list[str]:
    return sorted(walk(""))


def test_an_awarded_film_is_offered_and_the_final_is_written_to(
    journey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = _offer(journey, message="Notre coup de cœur.")

    assert (transfer.state, transfer.film, transfer.target_edition, transfer.offered_by) == (
        TransferState.OFFERED,
        journey.film,
        journey.final_edition,
        journey.region_organizer,
    )
    assert [message.to for message in mail.outbox] == [[journey.final_organizer.email]]
    assert journey.film.title in mail.outbox[0].subject
    assert f"/organisation/finales/propositions/{transfer.pk}/" in mail.outbox[0].body


def test_only_awarded_films_of_a_published_palmares_are_offered(journey):
    not_awarded = factories.make_film(
        category=journey.film.category, status=FilmStatus.ACCEPTED, complete=True
    )
    with pytest.raises(DomainError) as error:
        offer_film(
            film=not_awarded, target_edition=journey.final_edition, user=journey.region_organizer
        )
    assert error.value.code == "not_offerable"

    journey.region_edition.publications.update(unpublished_at=timezone.now())
    journey.region_edition.refresh_from_db()
    with pytest.raises(DomainError) as error:
        _offer(journey)
    assert error.value.code == "not_offerable"


def test_the_target_is_another_festivals_current_edition_before_its_judging(journey):
    own = factories.make_edition(journey.region, is_current=False)
    with pytest.raises(DomainError) as error:
        offer_film(film=journey.film, target_edition=own, user=journey.region_organizer)
    assert error.value.code == "target_closed"

    journey.final_edition.judging_start_at = timezone.now() - timedelta(hours=1)
    journey.final_edition.save()
    with pytest.raises(DomainError) as error:
        _offer(journey)
    assert error.value.code == "target_closed"


def test_only_the_films_organizers_offer_it_and_only_once(journey):
    with pytest.raises(DomainError):
        offer_film(
            film=journey.film,
            target_edition=journey.final_edition,
            user=journey.final_organizer,
        )
    _offer(journey)
    with pytest.raises(DomainError) as error:
        _offer(journey)
    assert error.value.code == "already_offered"


def test_accepting_makes_a_film_of_the_final_sharing_every_file(
    journey, django_capture_on_commit_callbacks
):
    source = journey.film
    source.pupils_on_screen = 6
    source.save(update_fields=["pupils_on_screen"])
    transfer = _offer(journey)
    before = _stored()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        film = accept_transfer(
            transfer=transfer, user=journey.final_organizer, category=journey.final_category
        )

    assert _stored() == before  # nothing copied in storage
    assert (film.edition, film.category, film.status, film.forwarded_from) == (
        journey.final_edition,
        journey.final_category,
        FilmStatus.ACCEPTED,
        source,
    )
    assert (film.teacher, film.school, film.company, film.title, film.crew) == (
        source.teacher,
        source.school,
        source.company,
        source.title,
        source.crew,
    )
    # The pupils on screen come along: the final's consent check counts the same consents.
    assert film.pupils_on_screen == 6
    assert list(film.trades.all()) == list(source.trades.all())
    assert (film.music_rights, film.original_video.name) == (
        source.music_rights,
        source.original_video.name,
    )
    assert [(c.file.name, c.status) for c in film.consents.all()] == [
        (c.file.name, ConsentStatus.VALIDATED) for c in source.consents.all()
    ]
    copy = film.video_versions.get()
    assert (copy.status, copy.output_prefix, copy.original.name, copy.outputs) == (
        VideoStatus.READY,
        journey.version.output_prefix,
        journey.version.original.name,
        journey.version.outputs,
    )
    transfer.refresh_from_db()
    assert (transfer.state, transfer.resulting_film, transfer.target_category) == (
        TransferState.ACCEPTED,
        film,
        journey.final_category,
    )
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        [(journey.region_organizer.email,), (journey.teacher.email,)]
    )
    teacher_mail = next(m for m in mail.outbox if m.to == [journey.teacher.email])
    assert f"/enseignant/films/{film.pk}/" in teacher_mail.body


def test_only_the_finals_organizers_decide_and_once(journey):
    transfer = _offer(journey)
    with pytest.raises(DomainError):
        accept_transfer(
            transfer=transfer, user=journey.region_organizer, category=journey.final_category
        )
    with pytest.raises(DomainError) as error:
        accept_transfer(
            transfer=transfer,
            user=journey.final_organizer,
            category=journey.film.category,  # the source's category, not the final's
        )
    assert error.value.code == "wrong_category"
    accept_transfer(
        transfer=transfer, user=journey.final_organizer, category=journey.final_category
    )
    with pytest.raises(DomainError) as error:
        decline_transfer(transfer=transfer, user=journey.final_organizer, reason="Non.")
    assert error.value.code == "decided"
    assert Film.objects.filter(forwarded_from=journey.film).count() == 1


def test_declining_needs_a_reason_and_tells_the_region(journey, django_capture_on_commit_callbacks):
    transfer = _offer(journey)
    with pytest.raises(DomainError) as error:
        decline_transfer(transfer=transfer, user=journey.final_organizer, reason="  ")
    assert error.value.code == "reason_required"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decline_transfer(
            transfer=transfer, user=journey.final_organizer, reason="Catégorie déjà complète."
        )
    transfer.refresh_from_db()
    assert (transfer.state, transfer.reason, transfer.decided_by) == (
        TransferState.DECLINED,
        "Catégorie déjà complète.",
        journey.final_organizer,
    )
    assert [m.to for m in mail.outbox] == [[journey.region_organizer.email]]
    assert "Catégorie déjà complète." in mail.outbox[0].body
    assert Film.objects.filter(forwarded_from=journey.film).count() == 0
    # Declined, it may be offered again.
    assert _offer(journey).state == TransferState.OFFERED
    assert FilmTransfer.objects.filter(film=journey.film).count() == 2


def test_the_history_shows_both_festivals(journey):
    transfer = _offer(journey)
    film = accept_transfer(
        transfer=transfer, user=journey.final_organizer, category=journey.final_category
    )
    source_lines = [line.text for line in transfer_history(journey.film, for_teacher=True)]
    assert source_lines == [
        "Proposé à l'édition « FILM'IT — Finale nationale — Finale nationale 2027 »",
        "Envoyé à la finale « FILM'IT — Finale nationale — Finale nationale 2027 », "
        "dans la catégorie « Lycées »",
    ]
    target_lines = transfer_history(film)
    assert [line.text for line in target_lines] == [
        "Venu du festival « FILM'IT Franche-Comté — FILM'IT 2026 », où il a été primé"
    ]
    assert target_lines[0].at == FilmTransfer.objects.get().decided_at
    assert [line.text for line in teacher_history(list(film.events.all()), journey.teacher)] == [
        "L'organisation a accepté le film : il participe au festival"
    ]
