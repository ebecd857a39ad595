"""A prize offered by a company: chosen in the prizes form, frozen in the published snapshot,
shown on the palmarès and the certificates while the company agrees to appear publicly."""

import pytest
from django.urls import reverse
from django.utils import timezone

from judging import certificates
from judging.domain.awards import decide_award
from judging.domain.publication import publish_palmares
from judging.enums import PrizeKind
from tests import factories
from tests.judging.test_awards import make_scored_category
from tests.judging.test_exports import pdf_text


@pytest.fixture
def sponsor(db):
    return factories.make_company(name="Microtechniques Comtoises", town="Besançon")


@pytest.fixture
def scored(edition, category):
    return make_scored_category(edition, category)


@pytest.fixture
def first_prize(scored):
    return scored.prize(PrizeKind.CATEGORY_FIRST)


def agree(company):
    company.public_agreement_at = timezone.now()
    company.save()


@pytest.fixture
def published(scored, first_prize, sponsor, organizer):
    first_prize.sponsor = sponsor
    first_prize.save()
    decide_award(prize=first_prize, films=[scored.films[0]], user=organizer)
    return publish_palmares(edition=scored.edition, user=organizer)


def palmares_url(edition):
    return reverse("public:palmares", args=[edition.festival.slug, edition.year])


def test_the_organizer_chooses_the_sponsor_in_the_prizes_form(
    client, organizer, scored, first_prize, sponsor
):
    prizes = list(scored.edition.prizes.all())
    data = {
        "prizes-TOTAL_FORMS": str(len(prizes)),
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
                f"prizes-{index}-sponsor": sponsor.pk if prize == first_prize else "",
            }
        )
    login_url = reverse("judging:awards_prizes", args=[scored.edition.pk])
    client.force_login(organizer)
    assert "Prix offert par" in client.get(login_url).content.decode()

    response = client.post(login_url, data)

    assert response.status_code == 302, response.content.decode()
    first_prize.refresh_from_db()
    assert first_prize.sponsor == sponsor
    assert list(scored.edition.prizes.filter(sponsor__isnull=False)) == [first_prize]


def test_the_sponsor_is_frozen_in_the_snapshot(published, first_prize, sponsor):
    [award] = published.snapshot["awards"]
    assert (award["prize_id"], award["sponsor"], award["sponsor_id"]) == (
        first_prize.pk,
        "Microtechniques Comtoises",
        sponsor.pk,
    )
    # A later change of the prize leaves the published palmarès as it was.
    first_prize.sponsor = None
    first_prize.save()
    published.refresh_from_db()
    assert published.snapshot["awards"][0]["sponsor"] == "Microtechniques Comtoises"


def test_the_palmares_names_the_sponsor_once_it_agreed(client, published, sponsor):
    url = palmares_url(published.edition)
    assert "Microtechniques Comtoises" not in client.get(url).content.decode()

    agree(sponsor)
    html = client.get(url).content.decode()
    assert (
        f'Prix offert par <a href="{reverse("public:company", args=[sponsor.pk])}">'
        "Microtechniques Comtoises</a>"
    ) in html
    feed = client.get(
        reverse(
            "public:palmares_feed", args=[published.edition.festival.slug, published.edition.year]
        )
    )
    assert "Prix offert par Microtechniques Comtoises" in feed.content.decode()

    # Withdrawn: gone at once, although the snapshot still holds it.
    sponsor.public_agreement_at = None
    sponsor.save()
    assert "Microtechniques Comtoises" not in client.get(url).content.decode()


def test_the_certificate_names_the_sponsor_once_it_agreed(published, sponsor, monkeypatch):
    # The PDF core font draws readable text (the Unicode font draws glyph numbers).
    monkeypatch.setattr(certificates, "_font_files", lambda: None)

    before = pdf_text(certificates.certificates_pdf(published.snapshot, crews={}))
    assert "Acier" in before
    assert "Microtechniques" not in before
    agree(sponsor)
    after = pdf_text(certificates.certificates_pdf(published.snapshot, crews={}))
    assert "Prix offert par Microtechniques Comtoises" in after
    assert "Prix offert par Microtechniques Comtoises" in pdf_text(
        certificates.palmares_pdf(published.snapshot)
    )


def test_the_organizers_downloaded_certificates_follow_the_same_rule(
    client, organizer, published, sponsor, monkeypatch
):
    monkeypatch.setattr(certificates, "_font_files", lambda: None)
    client.force_login(organizer)
    url = reverse("judging:awards_certificates", args=[published.pk])
    assert "Microtechniques" not in pdf_text(client.get(url).content)
    agree(sponsor)
    assert "Prix offert par Microtechniques Comtoises" in pdf_text(client.get(url).content)
