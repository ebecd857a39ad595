"""Volunteer companies: organizers keep their festival's list, its approved teachers read it by
trade and town; the organizers' companies pages and the agreement they record."""

import pytest
from django.urls import reverse

from festival.domain import DomainError
from festival.domain.companies import record_agreement, save_volunteer
from festival.enums import ApprovalStatus
from festival.models import Company, VolunteerCompany
from tests import factories
from tests.conftest import login

VOLUNTEERS = reverse("festival:teacher_volunteers")


@pytest.fixture
def trades(db):
    return {
        "soudeur": factories.make_trade(name="Soudeur"),
        "horloger": factories.make_trade(name="Horloger"),
    }


@pytest.fixture
def listed(festival, organizer, trades):
    """Three companies in the festival's list (one hidden), one in another festival's only."""
    forges = factories.make_company(name="Forges de Franche-Comté", town="Audincourt")
    montres = factories.make_company(name="Montres du Doubs", town="Besançon")
    aciers = factories.make_company(name="Aciers de Besançon", town="Besançon")
    closed = factories.make_company(name="Atelier fermé", town="Besançon")
    elsewhere = factories.make_festival()
    entries = {
        "forges": save_volunteer(
            festival=festival,
            company=forges,
            user=organizer,
            trades=[trades["soudeur"]],
            contact_name="Sandrine Vuillet",
            contact_email="contact@forges.fr",
            offer="Une journée de tournage à la forge.",
        ),
        "montres": save_volunteer(
            festival=festival,
            company=montres,
            user=organizer,
            trades=[trades["horloger"]],
            contact_name="Luc Bole",
        ),
        "aciers": save_volunteer(
            festival=festival,
            company=aciers,
            user=organizer,
            trades=[trades["soudeur"]],
            contact_name="Marc",
        ),
        "closed": save_volunteer(
            festival=festival, company=closed, user=organizer, contact_name="X", active=False
        ),
        "elsewhere": save_volunteer(
            festival=elsewhere, company=forges, user=organizer, contact_name="Autre contact"
        ),
    }
    return entries


def shown(response) -> list[str]:
    return [entry.company.name for entry in response.context["entries"]]


def test_teachers_of_the_festival_see_its_active_list(client, listed):
    # Factories' teachers join every festival: this one joins the list's festival only.
    other_only = factories.make_teacher(festivals=[listed["forges"].festival])
    login(client, other_only)
    response = client.get(VOLUNTEERS)

    assert response.status_code == 200
    assert shown(response) == ["Aciers de Besançon", "Forges de Franche-Comté", "Montres du Doubs"]
    html = response.content.decode()
    assert "Une journée de tournage à la forge." in html
    assert "contact@forges.fr" in html
    assert "Autre contact" not in html
    assert "Atelier fermé" not in html


def test_the_list_filters_by_trade_and_town(client, listed, trades):
    login(client, factories.make_teacher(festivals=[listed["forges"].festival]))

    by_trade = client.get(VOLUNTEERS, {"trade": trades["soudeur"].pk})
    assert shown(by_trade) == ["Aciers de Besançon", "Forges de Franche-Comté"]
    by_town = client.get(VOLUNTEERS, {"town": "Besançon"})
    assert shown(by_town) == ["Aciers de Besançon", "Montres du Doubs"]
    both = client.get(VOLUNTEERS, {"trade": trades["soudeur"].pk, "town": "Besançon"})
    assert shown(both) == ["Aciers de Besançon"]
    # The towns offered are the list's own.
    assert [c[0] for c in both.context["form"].fields["town"].choices] == [
        "",
        "Audincourt",
        "Besançon",
    ]


def test_the_list_is_for_members_of_the_festival_only(client, listed, festival):
    stranger = factories.make_teacher(festivals=[factories.make_festival()])
    login(client, stranger)
    assert shown(client.get(VOLUNTEERS)) == []

    pending = factories.make_teacher(festivals=[festival], approval=ApprovalStatus.PENDING)
    login(client, pending)
    # Not yet approved anywhere: not a teacher of any festival yet.
    assert client.get(VOLUNTEERS).status_code == 404


def test_the_list_is_not_for_anonymous_nor_organizers(client, organizer, listed):
    response = client.get(VOLUNTEERS)
    assert response.status_code == 302
    assert reverse("festival:login") in response["Location"]
    login(client, organizer)
    assert client.get(VOLUNTEERS).status_code == 404


def test_the_dashboard_links_the_list(client, teacher, edition):
    login(client, teacher)
    assert VOLUNTEERS in client.get(reverse("festival:teacher_dashboard")).content.decode()


def test_the_list_queries_do_not_grow_with_entries(
    client, festival, organizer, trades, django_assert_num_queries
):
    teacher = factories.make_teacher(festivals=[festival])
    login(client, teacher)

    def count_for(n):
        VolunteerCompany.objects.all().delete()
        for _ in range(n):
            save_volunteer(
                festival=festival,
                company=factories.make_company(),
                user=organizer,
                trades=list(trades.values()),
                contact_name="Contact",
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(VOLUNTEERS).status_code == 200
        return len(queries)

    assert count_for(1) == count_for(6)


# The organizers' pages.


def test_the_organizer_adds_an_entry(client, organizer, festival, trades):
    company = factories.make_company(name="Plasturgie du Jura", town="Oyonnax")
    login(client, organizer)
    response = client.post(
        reverse("festival:organizer_volunteer_create"),
        {
            "company": company.pk,
            "trades": [trades["horloger"].pk],
            "contact_name": "Marine Cattin",
            "contact_email": "marine@plasturgie.fr",
            "contact_phone": "03 84 00 00 01",
            "offer": "Visites de janvier à mars.",
            "active": "on",
        },
    )
    assert response.status_code == 302
    entry = VolunteerCompany.objects.get()
    assert (entry.festival, entry.company, entry.contact_email, entry.active) == (
        festival,
        company,
        "marine@plasturgie.fr",
        True,
    )
    assert list(entry.trades.all()) == [trades["horloger"]]
    # The company is now one of the festival's: its page opens, the list shows it.
    html = client.get(reverse("festival:organizer_companies")).content.decode()
    assert "Plasturgie du Jura" in html
    assert client.get(reverse("festival:organizer_company", args=[company.pk])).status_code == 200


def test_a_company_is_listed_once_per_festival(client, organizer, festival, listed):
    login(client, organizer)
    company = listed["forges"].company
    response = client.post(
        reverse("festival:organizer_volunteer_create"),
        {"company": company.pk, "contact_name": "Encore"},
    )
    assert response.status_code == 200
    assert "déjà dans la liste" in response.content.decode()
    with pytest.raises(DomainError):
        save_volunteer(festival=festival, company=company, user=organizer, contact_name="X")
    # Another festival's list may hold it too (fixture): two entries in all.
    assert VolunteerCompany.objects.filter(company=company).count() == 2


def test_the_organizer_edits_and_removes_an_entry(client, organizer, listed, trades):
    company = listed["montres"].company
    login(client, organizer)
    url = reverse("festival:organizer_volunteer", args=[company.pk])
    assert client.get(url).status_code == 200
    client.post(
        url,
        {"trades": [trades["soudeur"].pk], "contact_name": "Luc Bole", "offer": "Rien cette année"},
    )
    entry = VolunteerCompany.objects.get(pk=listed["montres"].pk)
    assert (entry.offer, entry.active, list(entry.trades.all())) == (
        "Rien cette année",
        False,
        [trades["soudeur"]],
    )
    client.post(reverse("festival:organizer_volunteer_delete", args=[company.pk]))
    assert not VolunteerCompany.objects.filter(pk=entry.pk).exists()


def test_another_festivals_organizer_reaches_no_entry(client, other_organizer, listed):
    company = listed["montres"].company
    login(client, other_organizer)
    assert client.get(reverse("festival:organizer_volunteer", args=[company.pk])).status_code == 404
    url = reverse("festival:organizer_volunteer_delete", args=[company.pk])
    assert client.post(url).status_code == 404
    assert (
        "Montres du Doubs"
        not in client.get(reverse("festival:organizer_companies")).content.decode()
    )
    assert VolunteerCompany.objects.filter(pk=listed["montres"].pk).exists()


@pytest.mark.parametrize("who", ["teacher", "anonymous"])
def test_teachers_and_anonymous_reach_no_organizer_page(client, teacher, listed, who):
    if who == "teacher":
        login(client, teacher)
    company = listed["montres"].company
    for url in (
        reverse("festival:organizer_companies"),
        reverse("festival:organizer_volunteer_create"),
        reverse("festival:organizer_volunteer", args=[company.pk]),
    ):
        assert client.get(url).status_code == (404 if who == "teacher" else 302)


# The agreement, as organizers record it.


def test_the_organizer_records_and_withdraws_the_agreement(client, organizer, listed):
    company = listed["forges"].company
    url = reverse("festival:organizer_company", args=[company.pk])
    login(client, organizer)
    assert "Pas d'accord" in client.get(url).content.decode()

    agreement = reverse("festival:organizer_company_agreement", args=[company.pk])
    client.post(agreement, {"action": "record", "note": "Courriel de la direction"})
    company.refresh_from_db()
    assert company.public_agreement_at is not None
    assert (company.public_agreement_by, company.public_agreement_note) == (
        organizer,
        "Courriel de la direction",
    )
    assert Company.objects.publicly_named().get() == company
    html = client.get(url).content.decode()
    assert "Accord enregistré le" in html
    assert "Courriel de la direction" in html
    assert "Accord du" in client.get(reverse("festival:organizer_companies")).content.decode()

    client.post(agreement, {"action": "withdraw", "note": "Changement de direction"})
    company.refresh_from_db()
    assert company.public_agreement_at is None
    assert not Company.objects.publicly_named().exists()


def test_the_agreement_is_for_the_festivals_companies_only(client, other_organizer, listed):
    company = listed["montres"].company
    login(client, other_organizer)
    url = reverse("festival:organizer_company_agreement", args=[company.pk])
    assert client.post(url, {"action": "record"}).status_code == 404
    company.refresh_from_db()
    assert company.public_agreement_at is None


def test_a_film_makes_its_company_one_of_the_festivals(client, organizer, teacher, category):
    company = factories.make_company(name="Usinage du Haut-Doubs")
    factories.make_film(teacher=teacher, category=category, company=company)
    login(client, organizer)
    html = client.get(reverse("festival:organizer_company", args=[company.pk])).content.decode()
    assert "Usinage du Haut-Doubs" in html
    record_agreement(company=company, user=organizer)
    assert "Accord du" in client.get(reverse("festival:organizer_companies")).content.decode()


def test_the_list_reads_in_english(client, listed, settings):
    login(client, factories.make_teacher(festivals=[listed["forges"].festival]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(VOLUNTEERS).content.decode()
    assert "<h1>Volunteer companies</h1>" in html
    assert "Trades to show: Soudeur" in html


def test_the_organizer_adds_a_company_missing_from_the_list(client, organizer, festival):
    login(client, organizer)
    url = reverse("festival:organizer_volunteer_create")
    siret = factories.valid_siret(4_412_777_001)
    data = {
        "new_company_name": "Roboticiens du Nord",
        "new_company_siret": siret,
        "new_company_town": "Sochaux",
        "new_company_sector": "Robotique",
        "contact_name": "Yves Tournier",
        "active": "on",
    }
    # Half a company is refused, with what is missing beside each field.
    response = client.post(url, {**data, "new_company_town": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["new_company_town"] == [
        "Ce champ est nécessaire pour ajouter l'entreprise."
    ]
    assert not Company.objects.exists()

    assert client.post(url, data).status_code == 302
    entry = VolunteerCompany.objects.select_related("company").get()
    assert (entry.festival, entry.company.name, entry.company.siret, entry.company.town) == (
        festival,
        "Roboticiens du Nord",
        siret,
        "Sochaux",
    )


def test_a_company_is_chosen_or_added_not_both_nor_neither(client, organizer, listed):
    login(client, organizer)
    url = reverse("festival:organizer_volunteer_create")
    neither = client.post(url, {"contact_name": "X"})
    assert neither.context["form"].errors["company"] == [
        "Choisissez une entreprise ou ajoutez-en une nouvelle."
    ]
    both = client.post(
        url,
        {
            "company": listed["forges"].company.pk,
            "new_company_name": "Autre",
            "contact_name": "X",
        },
    )
    assert both.context["form"].errors["company"] == [
        "Choisissez une entreprise de la liste ou ajoutez-en une nouvelle, pas les deux."
    ]
    assert VolunteerCompany.objects.count() == len(listed)


def test_the_companies_list_queries_do_not_grow(client, organizer, festival):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, organizer)

    def count_for(n):
        for _ in range(n):
            save_volunteer(
                festival=festival,
                company=factories.make_company(),
                user=organizer,
                contact_name="Contact",
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("festival:organizer_companies"))
        assert len(response.context["companies"]) == VolunteerCompany.objects.count()
        return len(queries)

    assert count_for(1) == count_for(5)
