"""The organizers' results pages: permissions, prizes, decisions, publication, PDFs, votes."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from festival.enums import FilmStatus
from judging.domain.awards import decide_award
from judging.domain.publication import publish_palmares
from judging.enums import PrizeKind
from judging.models_results import Award, Prize, Publication, ResultsSettings
from tests import factories
from tests.judging.queries import writes
from tests.judging.test_awards import make_scored_category


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def scored(edition, category):
    return make_scored_category(edition, category)


@pytest.fixture
def publication(scored, organizer):
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=organizer
    )
    return publish_palmares(edition=scored.edition, user=organizer)


@pytest.fixture
def pages(scored, publication):
    edition, category = scored.edition, scored.category
    prize = scored.prize(PrizeKind.CATEGORY_SECOND)
    return {
        "home": ("get", reverse("judging:awards_home", args=[edition.pk]), {}),
        "prizes": ("get", reverse("judging:awards_prizes", args=[edition.pk]), {}),
        "prizes_seed": ("post", reverse("judging:awards_prizes_seed", args=[edition.pk]), {}),
        "edition_awards": ("get", reverse("judging:awards_edition", args=[edition.pk]), {}),
        "category_awards": ("get", reverse("judging:awards_category", args=[category.pk]), {}),
        "decide": (
            "post",
            reverse("judging:awards_decide", args=[prize.pk]),
            {f"prize-{prize.pk}-films": [scored.films[1].pk]},
        ),
        "preview": ("get", reverse("judging:awards_preview", args=[edition.pk]), {}),
        "publish": ("post", reverse("judging:awards_publish", args=[edition.pk]), {}),
        "publication": ("get", reverse("judging:awards_publication", args=[publication.pk]), {}),
        "publications": ("get", reverse("judging:awards_publications", args=[edition.pk]), {}),
        "unpublish": (
            "post",
            reverse("judging:awards_unpublish", args=[publication.pk]),
            {"reason": "Erreur."},
        ),
        "pdf": ("get", reverse("judging:awards_pdf", args=[publication.pk]), {}),
        "certificates": ("get", reverse("judging:awards_certificates", args=[publication.pk]), {}),
        "votes": ("get", reverse("judging:awards_votes", args=[edition.pk]), {}),
        "votes_post": (
            "post",
            reverse("judging:awards_votes", args=[edition.pk]),
            {"opens_at": "2030-01-01T10:00", "closes_at": "2030-01-10T10:00"},
        ),
    }


ALL_PAGES = [
    "home",
    "prizes",
    "prizes_seed",
    "edition_awards",
    "category_awards",
    "decide",
    "preview",
    "publish",
    "publication",
    "publications",
    "unpublish",
    "pdf",
    "certificates",
    "votes",
    "votes_post",
]


def request_page(client, pages, name):
    method, url, data = pages[name]
    return getattr(client, method)(url, data)


def state() -> dict:
    """Everything these pages could change, to check a refused request changed nothing."""
    return {
        "prizes": list(Prize.objects.values_list("pk", "name")),
        "awards": list(Award.objects.values_list("pk", "prize_id", "film_id")),
        "publications": list(Publication.objects.values_list("pk", "unpublished_at")),
        "settings": list(ResultsSettings.objects.values_list("public_vote_opens_at")),
    }


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_is_sent_to_login(client, pages, name):
    before = state()
    response = request_page(client, pages, name)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('festival:login')}?next={pages[name][1]}"
    assert state() == before


@pytest.mark.parametrize("name", ALL_PAGES)
@pytest.mark.parametrize("who", ["teacher", "juror", "other_organizer"])
def test_strangers_get_404(client, pages, name, who, scored, teacher, other_organizer):
    user = {"teacher": teacher, "juror": scored.juror, "other_organizer": other_organizer}[who]
    client.force_login(user)
    before = state()
    assert request_page(client, pages, name).status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    "name", ["home", "prizes", "prizes_seed", "preview", "publication", "votes", "pdf"]
)
def test_the_jury_president_only_reaches_their_categorys_decisions(client, pages, scored, name):
    client.force_login(scored.president)
    assert request_page(client, pages, name).status_code == 404


def test_the_jury_president_decides_their_category(client, pages, scored):
    client.force_login(scored.president)
    assert request_page(client, pages, "category_awards").status_code == 200
    response = request_page(client, pages, "decide")
    assert response.status_code == 302
    assert list(
        Award.objects.filter(prize=scored.prize(PrizeKind.CATEGORY_SECOND)).values_list(
            "film_id", "decided_by"
        )
    ) == [(scored.films[1].pk, scored.president.pk)]


@pytest.mark.parametrize("name", [n for n in ALL_PAGES if n not in ("publish", "unpublish")])
def test_organizer_reaches_every_page(organizer_client, pages, name):
    response = request_page(organizer_client, pages, name)
    assert response.status_code in (200, 302)


READ_PAGES = [
    "home",
    "prizes",
    "edition_awards",
    "category_awards",
    "preview",
    "publication",
    "pdf",
    "certificates",
    "votes",
]


@pytest.mark.parametrize("name", READ_PAGES)
def test_reading_a_page_writes_nothing(organizer_client, pages, name):
    assert pages[name][0] == "get"
    with CaptureQueriesContext(connection) as captured:
        response = request_page(organizer_client, pages, name)
    assert response.status_code == 200
    assert writes(captured) == []


# The usual prizes


def test_an_edition_without_prizes_offers_the_usual_ones(organizer_client, edition, category):
    for name in ("judging:awards_home", "judging:awards_prizes"):
        with CaptureQueriesContext(connection) as captured:
            response = organizer_client.get(reverse(name, args=[edition.pk]))
        assert writes(captured) == []
        assert "Créer les prix habituels" in response.content.decode()
    assert not Prize.objects.exists()


def test_the_usual_prizes_are_created_on_request(organizer_client, edition, category):
    url = reverse("judging:awards_prizes_seed", args=[edition.pk])
    response = organizer_client.post(url)
    assert response["Location"] == reverse("judging:awards_home", args=[edition.pk])
    assert messages_of(response) == [
        "Les prix habituels sont créés : modifiez-les ou complétez-les si besoin."
    ]
    edition_first = F("category").asc(nulls_first=True)
    prizes = Prize.objects.order_by(edition_first, "position").values_list("category", "kind")
    assert list(prizes) == [
        (None, PrizeKind.JURY),
        (None, PrizeKind.SPECIAL),
        (category.pk, PrizeKind.CATEGORY_FIRST),
        (category.pk, PrizeKind.CATEGORY_SECOND),
        (category.pk, PrizeKind.CATEGORY_THIRD),
        (category.pk, PrizeKind.FAVOURITE),
        (category.pk, PrizeKind.PUBLIC),
    ]
    home = organizer_client.get(response["Location"])
    assert "Créer les prix habituels" not in home.content.decode()
    response = organizer_client.post(url)
    assert messages_of(response) == ["Cette édition a déjà ses prix : rien n'a été créé."]
    assert Prize.objects.count() == 7


def test_the_usual_prizes_are_only_created_by_a_post(organizer_client, edition, category):
    url = reverse("judging:awards_prizes_seed", args=[edition.pk])
    assert organizer_client.get(url).status_code == 405
    assert not Prize.objects.exists()


# Decisions


def test_decision_page_shows_the_proposal_beside_the_decision(organizer_client, scored):
    response = organizer_client.get(reverse("judging:awards_category", args=[scored.category.pk]))
    rows = {row["prize"].kind: row for row in response.context["rows"]}
    assert rows[PrizeKind.CATEGORY_FIRST]["proposed_films"] == [scored.films[0]]
    assert rows[PrizeKind.CATEGORY_FIRST]["proposal"].basis == "Rang 1 du classement"
    assert rows[PrizeKind.CATEGORY_FIRST]["form"].initial == {"films": [scored.films[0].pk]}


def test_override_without_reason_shows_the_french_error(organizer_client, scored):
    prize = scored.prize(PrizeKind.CATEGORY_FIRST)
    response = organizer_client.post(
        reverse("judging:awards_decide", args=[prize.pk]),
        {f"prize-{prize.pk}-films": [scored.films[2].pk], f"prize-{prize.pk}-reason": ""},
    )
    assert response.status_code == 400
    assert "indiquez le motif de sa décision" in response.content.decode()
    assert not Award.objects.filter(prize=prize).exists()


def test_override_with_reason_is_saved(organizer_client, organizer, scored):
    prize = scored.prize(PrizeKind.CATEGORY_FIRST)
    response = organizer_client.post(
        reverse("judging:awards_decide", args=[prize.pk]),
        {
            f"prize-{prize.pk}-films": [scored.films[2].pk],
            f"prize-{prize.pk}-reason": "Le jury a préféré son regard sur les métiers.",
        },
    )
    assert response.status_code == 302
    assert list(
        Award.objects.filter(prize=prize).values_list(
            "film_id", "proposed_by_ranking", "override_reason", "decided_by"
        )
    ) == [
        (
            scored.films[2].pk,
            False,
            "Le jury a préféré son regard sur les métiers.",
            organizer.pk,
        )
    ]


def test_a_withdrawn_film_is_not_offered(organizer_client, scored):
    withdrawn = factories.make_film(category=scored.category, status=FilmStatus.WITHDRAWN)
    prize = scored.prize(PrizeKind.CATEGORY_FIRST)
    response = organizer_client.post(
        reverse("judging:awards_decide", args=[prize.pk]),
        {f"prize-{prize.pk}-films": [withdrawn.pk], f"prize-{prize.pk}-reason": "x"},
    )
    assert response.status_code == 400
    assert not Award.objects.filter(prize=prize).exists()


# Prizes


def test_organizer_edits_the_prizes(organizer_client, scored):
    prizes = list(scored.edition.prizes.all())
    data = {
        "prizes-TOTAL_FORMS": str(len(prizes) + 1),
        "prizes-INITIAL_FORMS": str(len(prizes)),
        "prizes-MIN_NUM_FORMS": "0",
        "prizes-MAX_NUM_FORMS": "1000",
    }
    for index, prize in enumerate(prizes):
        data.update(
            {
                f"prizes-{index}-id": prize.pk,
                f"prizes-{index}-position": prize.position,
                f"prizes-{index}-name": prize.name,
                f"prizes-{index}-kind": prize.kind,
                f"prizes-{index}-category": prize.category_id or "",
            }
        )
    public = next(i for i, p in enumerate(prizes) if p.kind == PrizeKind.PUBLIC)
    data[f"prizes-{public}-DELETE"] = "on"
    new = len(prizes)
    data.update(
        {
            f"prizes-{new}-position": 9,
            f"prizes-{new}-name": "Prix spécial soudure",
            f"prizes-{new}-kind": PrizeKind.SPECIAL,
            f"prizes-{new}-category": "",
        }
    )
    response = organizer_client.post(
        reverse("judging:awards_prizes", args=[scored.edition.pk]), data
    )
    assert response.status_code == 302, response.content.decode()
    names = set(scored.edition.prizes.values_list("name", flat=True))
    assert "Prix spécial soudure" in names
    assert "Prix du public" not in names


# Publication


def test_publish_through_the_page(
    organizer_client, scored, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=organizer
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("judging:awards_publish", args=[scored.edition.pk])
        )
    publication = Publication.objects.get()
    assert response["Location"] == reverse("judging:awards_publication", args=[publication.pk])
    assert len(mailoutbox) == 5  # three teachers, two jurors
    response = organizer_client.get(response["Location"])
    assert response.context["hash_ok"] is True
    assert publication.content_hash in response.content.decode()


def test_publish_without_awards_says_why(organizer_client, scored):
    response = organizer_client.post(reverse("judging:awards_publish", args=[scored.edition.pk]))
    assert response.status_code == 302
    assert messages_of(response) == [
        "Aucun prix n'est encore attribué : il n'y a pas de palmarès à publier."
    ]
    assert not Publication.objects.exists()


def test_unpublish_without_reason_is_refused(organizer_client, publication):
    response = organizer_client.post(
        reverse("judging:awards_unpublish", args=[publication.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Indiquez pourquoi le palmarès est dépublié" in response.content.decode()
    publication.refresh_from_db()
    assert publication.unpublished_at is None


def test_unpublish_with_reason(organizer_client, organizer, publication):
    response = organizer_client.post(
        reverse("judging:awards_unpublish", args=[publication.pk]), {"reason": "Coquille."}
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert (publication.unpublished_by, publication.unpublish_reason) == (organizer, "Coquille.")
    assert response["Location"] == reverse(
        "judging:awards_publications", args=[publication.edition_id]
    )
    history = organizer_client.get(response["Location"])
    assert "Coquille." in history.content.decode()


def test_pdfs_are_downloaded(organizer_client, publication):
    for name in ("judging:awards_pdf", "judging:awards_certificates"):
        response = organizer_client.get(reverse(name, args=[publication.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_preview_shows_the_palmares_without_saving(organizer_client, scored, organizer):
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=organizer
    )
    response = organizer_client.get(reverse("judging:awards_preview", args=[scored.edition.pk]))
    assert [a["film_title"] for a in response.context["snapshot"]["awards"]] == ["Acier"]
    assert not Publication.objects.exists()


def test_preview_query_count_does_not_grow_with_films(
    organizer_client, scored, organizer, django_assert_max_num_queries
):
    url = reverse("judging:awards_preview", args=[scored.edition.pk])
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[scored.films[0]], user=organizer
    )
    with django_assert_max_num_queries(40) as few:
        organizer_client.get(url)
    jury_prize = Prize.objects.get(edition=scored.edition, kind=PrizeKind.JURY)
    extra = [
        factories.make_film(category=scored.category, status=FilmStatus.ACCEPTED) for _ in range(10)
    ]
    decide_award(prize=jury_prize, films=extra, user=organizer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        organizer_client.get(url)


# Prix du public


def test_vote_settings_and_counts(organizer_client, scored):
    response = organizer_client.post(
        reverse("judging:awards_votes", args=[scored.edition.pk]),
        {"opens_at": "2030-01-01T10:00", "closes_at": "2030-01-10T10:00"},
    )
    assert response.status_code == 302
    settings = ResultsSettings.objects.get(edition=scored.edition)
    assert settings.public_vote_closes_at - settings.public_vote_opens_at == timedelta(days=9)
    scored.films[0].public_votes.create(
        edition=scored.edition,
        category=scored.category,
        email="a@example.org",
        email_key="a@example.org",
        token="tok",
        confirmed_at=timezone.now(),
    )
    response = organizer_client.get(reverse("judging:awards_votes", args=[scored.edition.pk]))
    counts = {film.title: film.votes for film in response.context["films"]}
    assert counts == {
        "Acier": {"confirmed": 1, "pending": 0},
        "Bronze": {"confirmed": 0, "pending": 0},
        "Cuivre": {"confirmed": 0, "pending": 0},
    }


def test_vote_window_in_the_wrong_order_is_refused(organizer_client, scored):
    response = organizer_client.post(
        reverse("judging:awards_votes", args=[scored.edition.pk]),
        {"opens_at": "2030-01-10T10:00", "closes_at": "2030-01-01T10:00"},
    )
    assert response.status_code == 200
    assert "La clôture du vote doit venir après son ouverture." in response.content.decode()


def test_the_prize_rows_are_grouped_by_category(organizer_client, scored):
    college = factories.make_category(scored.edition, name="Collège", slug="college", position=0)
    Prize.objects.create(
        edition=scored.edition, category=college, kind=PrizeKind.SPECIAL, name="Prix du montage"
    )
    response = organizer_client.get(reverse("judging:awards_prizes", args=[scored.edition.pk]))
    groups = [
        (group["category"], [form.instance.name for form in group["forms"]])
        for group in response.context["groups"]
    ]
    assert groups == [
        (college, ["Prix du montage"]),
        (
            scored.category,
            [p.name for p in scored.edition.prizes.filter(category=scored.category)],
        ),
        (None, [p.name for p in scored.edition.prizes.filter(category=None)]),
    ]
    assert len(groups[1][1]) == 5 and len(groups[2][1]) == 2
    assert [form.instance.pk for form in response.context["new_forms"]] == [None]
    html = response.content.decode()
    # One heading per category, then the edition-wide prizes, then the row that adds one.
    headings = [
        html.index(f">{text}</h2>") for text in ("Collège", "Lycée", "Prix de toute l'édition")
    ]
    assert headings == sorted(headings)
    # Every field of a row has its label on screen.
    form = html[html.index(f'action="{response.wsgi_request.path}"') :]
    assert 'class="visually-hidden"' not in form
