"""A partner company's contacts: entered by the film's teacher while the film is editable, and
by the organizers of a festival the company works with."""

import pytest
from django.urls import reverse

from festival.domain import DomainError
from festival.domain.companies import add_contact
from festival.enums import FilmStatus
from festival.models import CompanyContact
from tests import factories
from tests.conftest import login


@pytest.fixture
def company(db):
    return factories.make_company(name="Forges de Franche-Comté", town="Audincourt")


@pytest.fixture
def film(teacher, category, company):
    return factories.make_film(teacher=teacher, category=category, company=company)


def add_url(film):
    return reverse("festival:teacher_contact_add", args=[film.pk])


def org_add_url(company):
    return reverse("festival:organizer_company_contact_add", args=[company.pk])


CONTACT = {"name": "Sandrine Vuillet", "role": "Communication", "email": "s.vuillet@forges.fr"}


def contacts(company):
    return list(company.contacts.values_list("name", "role", "email", "added_by_id"))


# The domain.


def test_a_contact_needs_a_valid_address(company, teacher):
    with pytest.raises(DomainError) as error:
        add_contact(company=company, user=teacher, name="Paul", email="paul@")
    assert error.value.code == "invalid_email"
    assert contacts(company) == []


def test_an_address_is_listed_once_per_company_whatever_its_case(company, teacher):
    add_contact(company=company, user=teacher, name="Paul", email="paul@forges.fr")
    with pytest.raises(DomainError) as error:
        add_contact(company=company, user=teacher, name="Paul R.", email="PAUL@Forges.fr")
    assert error.value.code == "contact_taken"
    # Another company may know the same person.
    other = factories.make_company()
    add_contact(company=other, user=teacher, name="Paul", email="paul@forges.fr")
    assert CompanyContact.objects.count() == 2


# The teacher's film page.


def test_the_teacher_adds_a_contact_from_the_film_page(client, teacher, film, company):
    login(client, teacher)
    response = client.post(add_url(film), CONTACT, follow=True)

    assert response.redirect_chain[-1][0] == f"{film.get_absolute_url()}#contacts"
    assert contacts(company) == [
        ("Sandrine Vuillet", "Communication", "s.vuillet@forges.fr", teacher.pk)
    ]
    html = response.content.decode()
    assert "Contacts chez Forges de Franche-Comté" in html
    assert "s.vuillet@forges.fr" in html


def test_an_invalid_or_repeated_address_is_refused_with_a_message(client, teacher, film, company):
    login(client, teacher)
    response = client.post(add_url(film), {**CONTACT, "email": "pas-une-adresse"}, follow=True)
    assert "Adresse e-mail" in response.content.decode()
    client.post(add_url(film), CONTACT)
    response = client.post(add_url(film), {**CONTACT, "email": "S.Vuillet@forges.fr"}, follow=True)

    assert "déjà parmi les contacts" in response.content.decode()
    assert len(contacts(company)) == 1


def test_the_teacher_removes_only_the_contacts_they_added(
    client, teacher, organizer, film, company
):
    mine = add_contact(company=company, user=teacher, name="Paul", email="paul@forges.fr")
    theirs = add_contact(company=company, user=organizer, name="Anne", email="anne@forges.fr")
    login(client, teacher)

    url = reverse("festival:teacher_contact_delete", args=[film.pk, theirs.pk])
    assert client.post(url).status_code == 404
    url = reverse("festival:teacher_contact_delete", args=[film.pk, mine.pk])
    assert client.post(url).status_code == 302

    assert [c[0] for c in contacts(company)] == ["Anne"]


def test_no_contact_once_the_film_is_no_longer_editable(client, teacher, film, company):
    film.status = FilmStatus.SUBMITTED
    film.save()
    contact = add_contact(company=company, user=teacher, name="Paul", email="paul@forges.fr")
    login(client, teacher)

    response = client.post(add_url(film), CONTACT, follow=True)
    assert "tant que le film est modifiable" in response.content.decode()
    url = reverse("festival:teacher_contact_delete", args=[film.pk, contact.pk])
    assert client.post(url).status_code == 404
    # The page still lists them, without the form.
    html = client.get(film.get_absolute_url()).content.decode()
    assert "paul@forges.fr" in html
    assert add_url(film) not in html
    assert [c[0] for c in contacts(company)] == ["Paul"]


def test_another_teacher_and_anonymous_add_nothing(client, other_teacher, film, company):
    login(client, other_teacher)
    assert client.post(add_url(film), CONTACT).status_code == 404
    client.logout()
    response = client.post(add_url(film), CONTACT)
    assert response.status_code == 302
    assert reverse("festival:login") in response["Location"]
    assert contacts(company) == []


def test_a_teacher_of_another_festival_adds_nothing(client, category, company):
    elsewhere = factories.make_festival()
    stranger = factories.make_teacher(festivals=[elsewhere])
    film = factories.make_film(teacher=stranger, category=category, company=company)
    login(client, stranger)
    # Their film's festival does not count them among its teachers: it is not theirs here.
    assert client.post(add_url(film), CONTACT).status_code == 404
    assert contacts(company) == []


# The organizers' company page.


def test_the_organizer_adds_and_removes_contacts(client, organizer, film, company):
    login(client, organizer)
    response = client.post(org_add_url(company), CONTACT, follow=True)
    assert response.status_code == 200
    assert contacts(company) == [
        ("Sandrine Vuillet", "Communication", "s.vuillet@forges.fr", organizer.pk)
    ]
    assert "s.vuillet@forges.fr" in response.content.decode()

    contact = company.contacts.get()
    url = reverse("festival:organizer_company_contact_delete", args=[company.pk, contact.pk])
    client.post(url)
    assert contacts(company) == []


def test_another_festivals_organizer_sees_nor_changes_the_company(
    client, other_organizer, film, company
):
    contact = add_contact(company=company, user=other_organizer, name="Paul", email="p@f.fr")
    login(client, other_organizer)

    assert client.get(reverse("festival:organizer_company", args=[company.pk])).status_code == 404
    assert client.post(org_add_url(company), CONTACT).status_code == 404
    url = reverse("festival:organizer_company_contact_delete", args=[company.pk, contact.pk])
    assert client.post(url).status_code == 404
    assert [c[0] for c in contacts(company)] == ["Paul"]


@pytest.mark.parametrize("who", ["teacher", "anonymous"])
def test_the_organizer_pages_are_not_for_teachers_nor_anonymous(
    client, teacher, film, company, who
):
    if who == "teacher":
        login(client, teacher)
    response = client.get(reverse("festival:organizer_company", args=[company.pk]))
    assert response.status_code == (404 if who == "teacher" else 302)
    assert client.post(org_add_url(company), CONTACT).status_code == (
        404 if who == "teacher" else 302
    )
    assert contacts(company) == []
