"""The demo's partner companies: contacts, agreements for some, a volunteer company with its
trades, a prize offered by a company in the published palmarès."""

from django.urls import reverse

from festival.models import Company, CompanyContact, Edition, VolunteerCompany
from judging.selectors_results import live_publication
from public import demo


def test_the_demo_shows_the_partner_companies(client, db):
    demo.load(with_videos=False)

    # The companies' own contacts, and the ones the call for entries' demo writes to.
    assert CompanyContact.objects.count() >= 5
    agreed = Company.objects.publicly_named().count()
    assert 0 < agreed < Company.objects.count()
    entry = VolunteerCompany.objects.filter(trades__isnull=False).first()
    assert entry is not None and entry.active
    past = Edition.objects.get(is_current=False)
    sponsored = [a for a in live_publication(past).snapshot["awards"] if a["sponsor"]]
    assert [a["sponsor"] for a in sponsored] == ["Microtechniques Comtoises"]
    html = client.get(
        reverse("public:palmares", args=[past.festival.slug, past.year])
    ).content.decode()
    assert "Prix offert par" in html
