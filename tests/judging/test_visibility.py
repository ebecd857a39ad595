"""The visibility rule: consents validated, and a prize in the live palmarès or an open gallery."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from festival.domain.consents import add_consent, review_consent
from festival.enums import ConsentStatus, FilmStatus
from judging.domain.assignment import remove_assignment
from judging.selectors_results import live_publication, winning_film_ids
from judging.visibility import is_public, public_films
from media_pipeline import delivery, storage_io
from media_pipeline.models import VideoStatus
from tests import factories
from tests.festival.palmares import award, cleared_film, open_gallery, publish, unpublish
from tests.media_pipeline.versions import FILES, MP4_BYTES, make_version


def public_ids():
    return sorted(public_films().values_list("pk", flat=True))


@pytest.fixture
def winner(category):
    return cleared_film(category)


def test_a_winner_with_validated_consents_is_public(winner, edition):
    publish(edition, [award(winner)])

    assert public_ids() == [winner.pk]
    assert is_public(winner) is True


def test_nothing_is_public_before_the_palmares_is_published(winner):
    assert public_ids() == []
    assert is_public(winner) is False


@pytest.mark.parametrize(
    "consents",
    [
        [],
        [ConsentStatus.PENDING],
        [ConsentStatus.REFUSED],
        [ConsentStatus.VALIDATED, ConsentStatus.PENDING],
        [ConsentStatus.VALIDATED, ConsentStatus.REFUSED],
    ],
)
def test_a_winner_is_hidden_until_every_consent_is_validated(consents, category, edition):
    film = factories.make_film(category=category, status=FilmStatus.ACCEPTED)
    for status in consents:
        factories.make_consent(film, status=status)
    publish(edition, [award(film)])

    assert public_ids() == []


def test_several_validated_consents_make_a_winner_public(category, edition):
    film = cleared_film(category, consents=3)
    publish(edition, [award(film)])

    assert public_ids() == [film.pk]


def test_an_unpublished_palmares_takes_its_winners_down(winner, edition):
    publication = publish(edition, [award(winner)])
    unpublish(publication)

    assert public_ids() == []
    assert live_publication(edition) is None
    assert winning_film_ids(edition) == set()


def test_the_latest_live_publication_counts(winner, category, edition):
    other = cleared_film(category)
    unpublish(publish(edition, [award(other)]))
    live = publish(edition, [award(winner)])

    assert live_publication(edition) == live
    assert winning_film_ids(edition) == {winner.pk}
    assert public_ids() == [winner.pk]


def test_a_film_listed_in_another_editions_palmares_is_not_public(winner, festival):
    other_edition = factories.make_edition(festival, is_current=False)
    factories.make_category(other_edition)
    publish(other_edition, [award(winner)])

    assert public_ids() == []


def test_an_open_gallery_shows_accepted_films_with_validated_consents(category, edition):
    accepted = cleared_film(category)
    cleared_film(category, status=FilmStatus.SUBMITTED)
    cleared_film(category, status=FilmStatus.WITHDRAWN)
    pending = factories.make_film(category=category, status=FilmStatus.ACCEPTED, complete=True)
    assert pending.consents.get().status == ConsentStatus.PENDING

    open_gallery(edition)

    assert public_ids() == [accepted.pk]


def test_a_closed_gallery_shows_only_winners(category, edition, winner):
    cleared_film(category)
    open_gallery(edition, is_open=False)
    publish(edition, [award(winner)])

    assert public_ids() == [winner.pk]


def test_an_open_gallery_is_per_edition(category, edition, festival):
    film = cleared_film(category)
    other_edition = factories.make_edition(festival, is_current=False)
    open_gallery(other_edition)

    assert public_ids() == []
    open_gallery(edition)
    assert public_ids() == [film.pk]


def test_public_films_reads_the_palmares_once(winner, edition, django_assert_num_queries):
    publish(edition, [award(winner)])
    for _ in range(5):
        cleared_film(winner.category)

    with django_assert_num_queries(2):  # live publications, then the films
        assert [film.pk for film in public_films()] == [winner.pk]


# Taking a film down.


@pytest.fixture
def published(winner, edition, organizer):
    publish(edition, [award(winner)], by=organizer)
    return make_version(winner, status=VideoStatus.READY)


def test_refusing_a_consent_takes_the_film_down_at_once(winner, published, organizer, client):
    page = reverse("public:film", args=[winner.pk])
    sources = delivery.sources(version=published, user=AnonymousUser())
    assert client.get(page).status_code == 200
    assert client.get(sources.mp4).status_code == 200

    review_consent(
        consent=winner.consents.get(),
        organizer=organizer,
        status=ConsentStatus.REFUSED,
        note="Une autorisation n'est pas signée.",
    )

    assert client.get(page).status_code == 404
    assert client.get(reverse("public:gallery")).context["cards"] == []
    # Links handed out before the take-down stop working too.
    assert client.get(sources.mp4).status_code == 403
    assert delivery.can_watch(AnonymousUser(), winner) is False


def test_a_new_consent_to_check_takes_the_film_down_until_validated(
    winner, published, organizer, client
):
    page = reverse("public:film", args=[winner.pk])
    consent = add_consent(
        film=winner,
        user=winner.teacher,
        uploaded_file=SimpleUploadedFile("late.pdf", factories.PDF_BYTES),
    )
    assert client.get(page).status_code == 404

    review_consent(consent=consent, organizer=organizer, status=ConsentStatus.VALIDATED)
    assert client.get(page).status_code == 200


# Media delivery to anonymous visitors.


def test_anyone_streams_a_public_film(winner, published):
    sources = delivery.sources(version=published, user=AnonymousUser())

    response = Client().get(sources.mp4)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MP4_BYTES
    assert Client().get(sources.hls).status_code == 200


def test_a_non_public_film_is_not_streamed_to_anonymous_visitors(category):
    film = factories.make_film(category=category, status=FilmStatus.ACCEPTED, complete=True)
    version = make_version(film, status=VideoStatus.READY)

    assert delivery.can_watch(AnonymousUser(), film) is False
    assert delivery.sources(version=version, user=AnonymousUser()) is None
    # Even a token signed for nobody in particular opens nothing.
    token = delivery.sign(version=version, user=AnonymousUser())
    response = Client().get(delivery.media_url(token, "film.mp4"))
    assert response.status_code == 403


def test_other_users_may_watch_a_public_film(winner, published, other_teacher):
    client = Client()
    client.force_login(other_teacher)
    sources = delivery.sources(version=published, user=other_teacher)

    assert client.get(sources.mp4).status_code == 200


# Signed-in visitors' kept links: checked again on every file, not only when handed out.


def kept_links(version, user) -> tuple[Client, list[str]]:
    client = Client()
    client.force_login(user)
    sources = delivery.sources(version=version, user=user)
    poster = delivery.poster(version=version, user=user)
    token_url = sources.mp4.rsplit("/", 1)[0]
    links = [
        sources.hls,
        f"{token_url}/hls/360p/index.m3u8",
        f"{token_url}/hls/360p/segment-000.m4s",
        sources.mp4,
        poster.url,
    ]
    return client, links


def statuses(client, links) -> list[int]:
    return [client.get(link).status_code for link in links]


def test_a_kept_link_stops_at_once_when_a_consent_is_refused(
    winner, published, organizer, other_teacher
):
    client, links = kept_links(published, other_teacher)
    assert statuses(client, links) == [200] * 5

    review_consent(
        consent=winner.consents.get(), organizer=organizer, status=ConsentStatus.REFUSED, note="Non"
    )

    assert statuses(client, links) == [403] * 5


def test_a_kept_link_stops_at_once_when_the_palmares_is_unpublished(
    edition, published, organizer, other_teacher
):
    client, links = kept_links(published, other_teacher)
    assert statuses(client, links) == [200] * 5

    unpublish(live_publication(edition), by=organizer)

    assert statuses(client, links) == [403] * 5


def test_the_teacher_and_organizers_keep_their_links(winner, edition, published, organizer):
    kept = [kept_links(published, user) for user in (winner.teacher, organizer)]

    unpublish(live_publication(edition), by=organizer)

    assert [statuses(client, links) for client, links in kept] == [[200] * 5, [200] * 5]


def test_a_juror_whose_assignment_ended_loses_the_film(winner, edition, festival, organizer):
    version = make_version(winner, status=VideoStatus.READY)
    juror = factories.make_juror(festival)
    jury = factories.make_jury(edition, categories=[winner.category])
    assignment = factories.make_assignment(jury=jury, juror=juror, film=winner)
    client, links = kept_links(version, juror)
    assert statuses(client, links) == [200] * 5

    remove_assignment(assignment=assignment, organizer=organizer)

    assert statuses(client, links) == [403] * 5


@pytest.mark.parametrize("segments", [1, 3])
def test_each_file_request_costs_the_same_queries(
    segments, winner, published, other_teacher, django_assert_num_queries
):
    client, links = kept_links(published, other_teacher)
    segment = links[2]
    client.get(segment)  # the session and user are loaded like on any page

    # session, user, the version with its film, the edition's live palmarès, the film
    with django_assert_num_queries(5 * segments):
        for _ in range(segments):
            assert client.get(segment).status_code == 200


@pytest.mark.parametrize("segments", [1, 3])
def test_the_teacher_and_an_assigned_juror_pay_the_same_per_segment(
    segments, winner, edition, festival, django_assert_num_queries
):
    version = make_version(winner, status=VideoStatus.READY)
    juror = factories.make_juror(festival)
    jury = factories.make_jury(edition, categories=[winner.category])
    factories.make_assignment(jury=jury, juror=juror, film=winner)
    watchers = [kept_links(version, user) for user in (winner.teacher, juror)]
    for client, links in watchers:
        client.get(links[2])

    # session, user, the version with its film; then the teacher's festivals (still approved
    # by the film's festival), the juror's assignment
    for (client, links), queries in zip(watchers, (4, 4), strict=True):
        with django_assert_num_queries(queries * segments):
            for _ in range(segments):
                assert client.get(links[2]).status_code == 200


def test_on_s3_the_playlist_that_presigns_segments_is_checked_again(
    winner, published, organizer, other_teacher, monkeypatch
):
    monkeypatch.setattr(storage_io, "is_s3", lambda storage: True)
    monkeypatch.setattr(
        storage_io, "iter_chunks", lambda name, **kw: [FILES["hls/360p/index.m3u8"]]
    )
    monkeypatch.setattr(delivery, "presigned_url", lambda name: f"https://s3.test/{name}?sig")
    client, links = kept_links(published, other_teacher)
    playlist = links[1]
    assert "https://s3.test/" in client.get(playlist).content.decode()

    unpublish(live_publication(published.film.edition), by=organizer)

    assert client.get(playlist).status_code == 403
