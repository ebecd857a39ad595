"""Publishing the palmarès: the frozen snapshot, its hash, unpublishing, republishing, emails."""

import hashlib
import json
import re
from decimal import Decimal

import pytest

from festival.enums import FilmStatus
from festival.models import Film
from judging.certificates import certificates_pdf, crew_first_names, palmares_pdf
from judging.domain import DomainError
from judging.domain.awards import decide_award
from judging.domain.publication import (
    content_hash,
    hash_matches,
    publish_palmares,
    unpublish_palmares,
)
from judging.enums import PrizeKind
from judging.models import Score
from judging.models_results import Prize, Publication
from judging.selectors_results import live_publication, winning_film_ids
from tests import factories
from tests.judging.test_awards import make_scored_category


@pytest.fixture
def scored(edition, category):
    return make_scored_category(edition, category)


@pytest.fixture
def decided(scored, organizer):
    acier, bronze, cuivre = scored.films
    acier.trades.add(factories.make_trade(name="Soudeur"))
    decide_award(prize=scored.prize(PrizeKind.CATEGORY_FIRST), films=[acier], user=organizer)
    decide_award(prize=scored.prize(PrizeKind.CATEGORY_SECOND), films=[bronze], user=organizer)
    decide_award(
        prize=scored.prize(PrizeKind.CATEGORY_THIRD),
        films=[bronze, cuivre],
        user=organizer,
        reason="Ex aequo.",
    )
    return scored


def test_snapshot_follows_the_contract(decided, organizer):
    publication = publish_palmares(edition=decided.edition, user=organizer)
    snapshot = publication.snapshot
    acier = decided.films[0]
    assert sorted(snapshot) == ["awards", "categories", "edition", "published_at", "version"]
    assert snapshot["version"] == 1
    assert snapshot["edition"] == {
        "id": decided.edition.pk,
        "year": decided.edition.year,
        "title": decided.edition.title,
        "festival": decided.edition.festival.name,
    }
    assert snapshot["published_at"] == publication.published_at.isoformat()
    [category] = snapshot["categories"]
    assert (category["id"], category["slug"], category["name"]) == (
        decided.category.pk,
        "lycee",
        "Lycée",
    )
    assert category["ranking"][0] == {
        "film_id": acier.pk,
        "title": "Acier",
        "school": acier.school.name,
        "town": acier.school.town,
        "company": "",
        "score": 18.0,
        "rank": 1,
        "status": "ranked",
        "tie_break": None,
    }
    assert [row["rank"] for row in category["ranking"]] == [1, 2, 3]
    assert snapshot["awards"][0] == {
        "prize_id": decided.prize(PrizeKind.CATEGORY_FIRST).pk,
        "prize": "1er prix",
        "kind": "first",
        "category_id": decided.category.pk,
        "category": "Lycée",
        "film_id": acier.pk,
        "film_title": "Acier",
        "school": acier.school.name,
        "town": acier.school.town,
        "company": "",
        "company_id": None,
        "sponsor": "",
        "sponsor_id": None,
        "trades": ["Soudeur"],
        "reason": "",
    }
    assert [(a["prize"], a["film_title"], a["reason"]) for a in snapshot["awards"]] == [
        ("1er prix", "Acier", ""),
        ("2e prix", "Bronze", ""),
        ("3e prix", "Bronze", "Ex aequo."),
        ("3e prix", "Cuivre", "Ex aequo."),
    ]


def test_hash_is_sha256_of_the_canonical_json(decided, organizer):
    publication = publish_palmares(edition=decided.edition, user=organizer)
    stored = Publication.objects.get(pk=publication.pk)
    canonical = json.dumps(
        stored.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert stored.content_hash == hashlib.sha256(canonical).hexdigest()
    assert content_hash(stored.snapshot) == stored.content_hash
    assert hash_matches(stored)


def test_later_edits_never_change_the_publication(decided, organizer):
    publication = publish_palmares(edition=decided.edition, user=organizer)
    before = Publication.objects.get(pk=publication.pk)
    acier, bronze, _ = decided.films
    # A score, a title and an award change after publication.
    Score.objects.filter(evaluation__film=bronze).update(value=Decimal("10"))
    Film.objects.filter(pk=acier.pk).update(title="Acier trempé")
    decide_award(
        prize=decided.prize(PrizeKind.CATEGORY_FIRST),
        films=[bronze],
        user=organizer,
        reason="Revu après délibération.",
    )
    after = Publication.objects.get(pk=publication.pk)
    assert after.snapshot == before.snapshot
    assert after.content_hash == before.content_hash
    assert content_hash(after.snapshot) == after.content_hash
    assert after.snapshot["awards"][0]["film_title"] == "Acier"
    assert winning_film_ids(decided.edition) == {f.pk for f in decided.films}


def test_publishing_sets_the_edition_date(decided, organizer):
    publication = publish_palmares(edition=decided.edition, user=organizer)
    decided.edition.refresh_from_db()
    assert decided.edition.palmares_published_at == publication.published_at
    assert live_publication(decided.edition) == publication


def test_nothing_to_publish_without_awards(scored, organizer):
    with pytest.raises(DomainError) as error:
        publish_palmares(edition=scored.edition, user=organizer)
    assert error.value.code == "no_awards"


def test_cannot_publish_twice(decided, organizer):
    publish_palmares(edition=decided.edition, user=organizer)
    with pytest.raises(DomainError) as error:
        publish_palmares(edition=decided.edition, user=organizer)
    assert error.value.code == "already_published"
    assert Publication.objects.count() == 1


def test_unpublish_requires_a_reason(decided, organizer):
    publication = publish_palmares(edition=decided.edition, user=organizer)
    with pytest.raises(DomainError) as error:
        unpublish_palmares(publication=publication, user=organizer, reason="  ")
    assert error.value.code == "reason_required"
    publication.refresh_from_db()
    assert publication.unpublished_at is None


def test_unpublish_is_logged_and_clears_the_edition_date(decided, organizer):
    publication = publish_palmares(edition=decided.edition, user=organizer)
    unpublish_palmares(publication=publication, user=organizer, reason="Erreur de titre.")
    publication.refresh_from_db()
    decided.edition.refresh_from_db()
    assert publication.unpublished_at is not None
    assert (publication.unpublished_by, publication.unpublish_reason) == (
        organizer,
        "Erreur de titre.",
    )
    assert decided.edition.palmares_published_at is None
    assert live_publication(decided.edition) is None
    assert winning_film_ids(decided.edition) == set()
    with pytest.raises(DomainError):
        unpublish_palmares(publication=publication, user=organizer, reason="Encore.")


def test_republishing_creates_a_new_publication(decided, organizer):
    first = publish_palmares(edition=decided.edition, user=organizer)
    unpublish_palmares(publication=first, user=organizer, reason="Titre corrigé.")
    Film.objects.filter(pk=decided.films[0].pk).update(title="Acier trempé")
    second = publish_palmares(edition=decided.edition, user=organizer)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.snapshot["awards"][0]["film_title"] == "Acier"
    assert second.snapshot["awards"][0]["film_title"] == "Acier trempé"
    assert first.content_hash != second.content_hash
    assert list(Publication.objects.filter(edition=decided.edition).order_by("pk")) == [
        first,
        second,
    ]
    assert live_publication(decided.edition) == second


def test_teachers_and_jurors_are_emailed(
    decided, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    draft = factories.make_film(category=decided.category, status=FilmStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish_palmares(edition=decided.edition, user=organizer)
    recipients = sorted(address for message in mailoutbox for address in message.to)
    expected = [film.teacher.email for film in decided.films]
    expected += [decided.president.email, decided.juror.email]
    assert recipients == sorted(expected)
    assert draft.teacher.email not in recipients
    assert {message.subject for message in mailoutbox} == {
        "FILM'IT : le palmarès de FILM'IT 2027 est publié"
    }
    acier_mail = next(m for m in mailoutbox if m.to == [decided.films[0].teacher.email])
    assert "1er prix (Lycée) : « Acier »" in acier_mail.body


def test_the_email_links_to_the_published_palmares(
    decided, organizer, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://filmit.example"
    edition = decided.edition
    with django_capture_on_commit_callbacks(execute=True):
        publish_palmares(edition=edition, user=organizer)
    links = {re.search(r"https?://\S+", message.body).group() for message in mailoutbox}
    assert links == {f"https://filmit.example/palmares/{edition.festival.slug}/{edition.year}/"}


def test_palmares_and_certificates_are_pdfs(decided, organizer):
    publication = publish_palmares(edition=decided.edition, user=organizer)
    assert palmares_pdf(publication.snapshot).startswith(b"%PDF")
    crews = {decided.films[0].pk: "Léa\nTom B.\n\nInès"}
    pdf = certificates_pdf(publication.snapshot, crews=crews)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(publication.snapshot["awards"])


def test_pdfs_without_a_unicode_font_fall_back(decided, organizer, monkeypatch):
    from judging import certificates

    monkeypatch.setattr(certificates, "_font_files", lambda: None)
    publication = publish_palmares(edition=decided.edition, user=organizer)
    Prize.objects.filter(pk=decided.prize(PrizeKind.FAVOURITE).pk).update(name="Coup de cœur")
    snapshot = {**publication.snapshot}
    snapshot["awards"] = [{**snapshot["awards"][0], "prize": "Coup de cœur — « ex »"}]
    assert certificates_pdf(snapshot, crews={}).startswith(b"%PDF")
    assert palmares_pdf(snapshot).startswith(b"%PDF")


def test_crew_first_names():
    assert crew_first_names("Léa\n  Tom B. \n\nInès\n") == ["Léa", "Tom B.", "Inès"]
