"""The prix du public: window, confirmation, one vote per category per email, rate limit,
tokens, the consent gate, and its public pages."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from festival.enums import ConsentStatus, FilmStatus
from judging.domain import DomainError
from judging.domain.votes import (
    canonical_email,
    confirm_vote,
    request_vote,
    set_vote_window,
    votable_films,
    vote_counts,
)
from judging.models_results import PublicVote
from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def make_votable(category, title, *, consent=ConsentStatus.VALIDATED):
    film = factories.make_film(category=category, status=FilmStatus.ACCEPTED, title=title)
    factories.make_consent(film, status=consent)
    return film


@pytest.fixture
def open_vote(edition):
    now = timezone.now()
    set_vote_window(
        edition=edition, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    return edition


@pytest.fixture
def acier(category):
    return make_votable(category, "Acier")


@pytest.fixture
def bronze(category):
    return make_votable(category, "Bronze")


def vote(edition, category, film, email="parent@example.org", ip="203.0.113.9"):
    return request_vote(edition=edition, category=category, film=film, email=email, ip=ip)


# Window


def test_window_needs_both_dates_in_order(edition):
    now = timezone.now()
    with pytest.raises(DomainError):
        set_vote_window(edition=edition, opens_at=now, closes_at=None)
    with pytest.raises(DomainError):
        set_vote_window(edition=edition, opens_at=now, closes_at=now - timedelta(hours=1))


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [(1, 2, "vote_not_open"), (-2, -1, "vote_closed")],
)
def test_no_vote_outside_the_window(edition, category, acier, opens, closes, code):
    now = timezone.now()
    set_vote_window(
        edition=edition,
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
    )
    with pytest.raises(DomainError) as error:
        vote(edition, category, acier)
    assert error.value.code == code
    assert PublicVote.objects.count() == 0


def test_no_vote_without_a_prix_du_public(edition, category, acier):
    with pytest.raises(DomainError) as error:
        vote(edition, category, acier)
    assert error.value.code == "no_public_vote"


def test_a_vote_cannot_be_confirmed_after_the_window(open_vote, category, acier):
    pending = vote(open_vote, category, acier)
    now = timezone.now()
    set_vote_window(
        edition=open_vote, opens_at=now - timedelta(days=2), closes_at=now - timedelta(hours=1)
    )
    with pytest.raises(DomainError) as error:
        confirm_vote(token=pending.token)
    assert error.value.code == "vote_closed"


# Confirmation


def test_a_vote_counts_only_once_confirmed(
    open_vote, category, acier, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = vote(open_vote, category, acier, email=" Parent@Example.org ")
    assert (pending.email, pending.email_key) == ("Parent@Example.org", "parent@example.org")
    assert pending.confirmed_at is None
    assert len(pending.token) >= 40
    assert vote_counts(open_vote) == {acier.pk: {"confirmed": 0, "pending": 1}}
    [message] = mailoutbox
    assert message.to == ["Parent@Example.org"]
    assert reverse("public:vote_confirm", args=[pending.token]) in message.body
    confirmed = confirm_vote(token=pending.token)
    assert confirmed.confirmed_at is not None
    assert vote_counts(open_vote) == {acier.pk: {"confirmed": 1, "pending": 0}}
    assert confirm_vote(token=pending.token).confirmed_at == confirmed.confirmed_at


def test_invalid_token_is_refused(open_vote):
    with pytest.raises(DomainError) as error:
        confirm_vote(token="not-a-token")
    assert error.value.code == "invalid_token"


# One vote per category per email


def test_a_second_vote_replaces_the_unconfirmed_one(open_vote, category, acier, bronze):
    first = vote(open_vote, category, acier)
    second = vote(open_vote, category, bronze)
    assert PublicVote.objects.count() == 1
    assert (second.pk, second.film) == (first.pk, bronze)
    with pytest.raises(DomainError) as error:  # the older link stopped working
        confirm_vote(token=first.token)
    assert error.value.code == "invalid_token"
    confirm_vote(token=second.token)
    assert vote_counts(open_vote) == {bronze.pk: {"confirmed": 1, "pending": 0}}


def test_a_confirmed_vote_is_final(open_vote, category, acier, bronze):
    confirm_vote(token=vote(open_vote, category, acier).token)
    with pytest.raises(DomainError) as error:
        vote(open_vote, category, bronze, email="PARENT@example.org")
    assert error.value.code == "already_voted"
    assert "définitif" in error.value.messages[0]
    assert list(PublicVote.objects.values_list("film", flat=True)) == [acier.pk]


def test_one_vote_in_each_category(open_vote, category, acier):
    college = factories.make_category(open_vote, name="Collège", slug="college")
    film = make_votable(college, "Cuivre")
    vote(open_vote, category, acier)
    vote(open_vote, college, film)
    assert PublicVote.objects.count() == 2


# One mailbox, one vote: the variants a provider delivers to the same mailbox are one voter


@pytest.mark.parametrize(
    ("typed", "other"),
    [
        ("Jean.Dupont+x@gmail.com", "jeandupont@googlemail.com"),
        ("a+b@outlook.fr", "a@outlook.fr"),
        ("Marie+festival@hotmail.com", "marie@HOTMAIL.com"),
        ("paul+vote@example.org", "Paul@example.org"),
    ],
)
def test_variants_of_one_mailbox_are_one_voter(open_vote, category, acier, bronze, typed, other):
    assert canonical_email(typed) == canonical_email(other)
    confirm_vote(token=vote(open_vote, category, acier, email=typed).token)
    with pytest.raises(DomainError) as error:
        vote(open_vote, category, bronze, email=other)
    assert error.value.code == "already_voted"
    assert list(PublicVote.objects.values_list("film", flat=True)) == [acier.pk]


def test_dots_matter_outside_gmail(open_vote, category, acier):
    assert canonical_email("a.b@example.org") != canonical_email("ab@example.org")
    assert canonical_email("a.b@outlook.fr") != canonical_email("ab@outlook.fr")
    confirm_vote(token=vote(open_vote, category, acier, email="a.b@example.org").token)
    confirm_vote(token=vote(open_vote, category, acier, email="ab@example.org").token)
    assert vote_counts(open_vote) == {acier.pk: {"confirmed": 2, "pending": 0}}


def test_the_link_goes_to_the_address_typed_last(
    open_vote, category, acier, bronze, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote(open_vote, category, acier, email="Jean.Dupont+x@gmail.com")
        second = vote(open_vote, category, bronze, email="jeandupont@googlemail.com")
    assert PublicVote.objects.count() == 1
    assert (second.email, second.email_key) == ("jeandupont@googlemail.com", "jeandupont@gmail.com")
    assert [message.to for message in mailoutbox] == [
        ["Jean.Dupont+x@gmail.com"],
        ["jeandupont@googlemail.com"],
    ]


def test_one_key_per_mailbox_is_enforced_by_the_database(open_vote, category, acier):
    vote(open_vote, category, acier, email="a+b@outlook.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicVote.objects.create(
            edition=open_vote,
            category=category,
            film=acier,
            email="a@outlook.fr",
            email_key="a@outlook.fr",
            token="another-token",
        )


def test_the_migration_keys_existing_votes_and_keeps_the_one_that_counts(
    open_vote, category, acier, bronze
):
    def old_vote(email, film, *, confirmed_minutes_ago=None):
        return PublicVote.objects.create(
            edition=open_vote,
            category=category,
            film=film,
            email=email,
            email_key=f"before-migration-{email}",
            token=f"token-{email}",
            confirmed_at=None
            if confirmed_minutes_ago is None
            else timezone.now() - timedelta(minutes=confirmed_minutes_ago),
        )

    pending = old_vote("jean.dupont+x@gmail.com", bronze)
    first_confirmed = old_vote("jeandupont@googlemail.com", acier, confirmed_minutes_ago=10)
    old_vote("jeandupont+y@gmail.com", bronze, confirmed_minutes_ago=5)
    other = old_vote("a.b@example.org", acier)
    migration = importlib.import_module("judging.migrations.0005_public_vote_email_key")
    migration.fill_email_keys(django_apps, None)
    assert sorted(PublicVote.objects.values_list("pk", "email_key", "film")) == sorted(
        [
            (first_confirmed.pk, "jeandupont@gmail.com", acier.pk),
            (other.pk, "a.b@example.org", acier.pk),
        ]
    )
    assert not PublicVote.objects.filter(pk=pending.pk).exists()


# Rate limit


def test_requests_per_email_are_limited(open_vote, category, acier, settings):
    settings.PUBLIC_VOTE_MAX_PER_EMAIL = 3
    for n in range(3):
        vote(open_vote, category, acier, ip=f"203.0.113.{n}")
    with pytest.raises(DomainError) as error:
        vote(open_vote, category, acier, ip="203.0.113.99")
    assert error.value.code == "rate_limited"
    assert "Réessayez dans une heure" in error.value.messages[0]


def test_requests_per_mailbox_are_limited_whatever_the_spelling(
    open_vote, category, acier, settings
):
    settings.PUBLIC_VOTE_MAX_PER_EMAIL = 2
    vote(open_vote, category, acier, email="Jean.Dupont+1@gmail.com", ip="203.0.113.1")
    vote(open_vote, category, acier, email="jeandupont+2@googlemail.com", ip="203.0.113.2")
    with pytest.raises(DomainError) as error:
        vote(open_vote, category, acier, email="jean.dupont@gmail.com", ip="203.0.113.3")
    assert error.value.code == "rate_limited"


def test_requests_per_ip_are_limited(open_vote, category, acier, settings):
    settings.PUBLIC_VOTE_MAX_PER_IP = 2
    vote(open_vote, category, acier, email="a@example.org")
    vote(open_vote, category, acier, email="b@example.org")
    with pytest.raises(DomainError) as error:
        vote(open_vote, category, acier, email="c@example.org")
    assert error.value.code == "rate_limited"
    assert PublicVote.objects.count() == 2


# Consent gate


@pytest.mark.parametrize("consent", [ConsentStatus.PENDING, ConsentStatus.REFUSED, None])
def test_a_film_without_validated_consents_cannot_be_voted_for(open_vote, category, acier, consent):
    film = factories.make_film(category=category, status=FilmStatus.ACCEPTED, title="Zinc")
    if consent is not None:
        factories.make_consent(film, status=ConsentStatus.VALIDATED)
        factories.make_consent(film, status=consent)
    assert votable_films(open_vote) == [acier]
    with pytest.raises(DomainError) as error:
        vote(open_vote, category, film)
    assert error.value.code == "film_not_votable"


def test_only_accepted_films_are_votable(open_vote, category, acier):
    submitted = factories.make_film(category=category, status=FilmStatus.SUBMITTED)
    factories.make_consent(submitted, status=ConsentStatus.VALIDATED)
    assert votable_films(open_vote) == [acier]


def test_a_film_of_another_category_is_refused(open_vote, category, acier):
    college = factories.make_category(open_vote, name="Collège", slug="college")
    with pytest.raises(DomainError) as error:
        vote(open_vote, college, acier)
    assert error.value.code == "film_not_votable"


def test_a_withdrawn_consent_blocks_the_confirmation(open_vote, category, acier):
    pending = vote(open_vote, category, acier)
    acier.consents.update(status=ConsentStatus.REFUSED)
    with pytest.raises(DomainError) as error:
        confirm_vote(token=pending.token)
    assert error.value.code == "film_not_votable"


# Public pages


def test_vote_page_lists_only_votable_films(client, open_vote, category, acier):
    hidden = make_votable(category, "Caché", consent=ConsentStatus.PENDING)
    response = client.get(reverse("public:vote_home", args=[open_vote.pk]))
    assert response.status_code == 200
    [section] = response.context["sections"]
    assert section["films"] == [acier]
    assert hidden.title not in response.content.decode()


def test_vote_page_is_404_without_a_prix_du_public(client, edition):
    assert client.get(reverse("public:vote_home", args=[edition.pk])).status_code == 404


def test_vote_page_outside_the_window_says_so(client, edition, category, acier):
    now = timezone.now()
    set_vote_window(
        edition=edition, opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1)
    )
    response = client.get(reverse("public:vote_home", args=[edition.pk]))
    assert response.status_code == 200
    assert "Le vote du public est clos" in response.content.decode()
    url = reverse("public:vote_submit", args=[edition.pk, category.pk])
    response = client.post(url, {"film": acier.pk, "email": "a@example.org"})
    assert response.status_code == 400
    assert PublicVote.objects.count() == 0


def test_voting_through_the_pages(
    client, open_vote, category, acier, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("public:vote_submit", args=[open_vote.pk, category.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"film": acier.pk, "email": "parent@example.org"})
    assert response.status_code == 200
    assert "Plus qu'une étape" in response.content.decode()
    pending = PublicVote.objects.get()
    confirm_url = reverse("public:vote_confirm", args=[pending.token])
    response = client.get(confirm_url)  # a mail scanner following the link confirms nothing
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.confirmed_at is None
    response = client.post(confirm_url)
    assert response.status_code == 200
    assert "est confirmé" in response.content.decode()
    pending.refresh_from_db()
    assert pending.confirmed_at is not None


def test_rate_limited_page_answers_429(client, open_vote, category, acier, settings):
    settings.PUBLIC_VOTE_MAX_PER_IP = 1
    url = reverse("public:vote_submit", args=[open_vote.pk, category.pk])
    client.post(url, {"film": acier.pk, "email": "a@example.org"})
    response = client.post(url, {"film": acier.pk, "email": "b@example.org"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_invalid_token_page(client, db):
    response = client.get(reverse("public:vote_confirm", args=["nope"]))
    assert response.status_code == 404
    assert "n'est pas valide" in response.content.decode()


def test_vote_page_query_count_does_not_grow_with_films(
    client, open_vote, category, django_assert_max_num_queries
):
    make_votable(category, "Seul")
    url = reverse("public:vote_home", args=[open_vote.pk])
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for n in range(20):
        make_votable(category, f"Film {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
