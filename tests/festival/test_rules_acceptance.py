"""The edition's rules: accepted at submission, stored with their version, shown to organizers
and on the public festival page."""

import hashlib
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from festival.domain import DomainError
from festival.domain.films import set_film_status, submit_film
from festival.domain.rules_acceptance import rules_acceptance_needed, rules_version
from festival.enums import FilmStatus
from festival.models import RulesAcceptance, User

RULES = (
    "Article 1. Un film de 5 minutes au plus.\r\n\r\n"
    "Article 2. Chaque élève filmé a une autorisation signée."
)
RULES_VERSION = hashlib.sha256(RULES.replace("\r\n", "\n").encode()).hexdigest()


def page(response) -> str:
    return html.unescape(response.content.decode())


def submit_url(film):
    return reverse("festival:teacher_film_submit", kwargs={"pk": film.pk})


@pytest.fixture
def ruled_film(complete_film):
    edition = complete_film.edition
    edition.rules = RULES
    edition.save(update_fields=["rules"])
    return complete_film


def test_the_version_is_the_sha256_of_the_text_whatever_its_line_ends():
    assert rules_version(RULES) == RULES_VERSION
    assert rules_version(RULES.replace("\r\n", "\n") + "\n") == RULES_VERSION


# The domain.


def test_submission_stores_the_rules_as_accepted(ruled_film, teacher, sent_emails):
    before = timezone.now()
    submit_film(film=ruled_film, user=teacher, rules_accepted=True)

    acceptance = RulesAcceptance.objects.get()
    assert (acceptance.film, acceptance.user) == (ruled_film, teacher)
    assert acceptance.rules_text == RULES.replace("\r\n", "\n")
    assert acceptance.rules_sha256 == RULES_VERSION
    assert acceptance.short_version == RULES_VERSION[:12]
    assert acceptance.accepted_at >= before
    ruled_film.refresh_from_db()
    assert ruled_film.status == FilmStatus.SUBMITTED


def test_submission_without_accepting_the_rules_is_refused(ruled_film, teacher, sent_emails):
    with pytest.raises(DomainError) as excinfo:
        submit_film(film=ruled_film, user=teacher)

    assert excinfo.value.code == "rules_not_accepted"
    assert excinfo.value.messages == [
        "Pour déposer le film, cochez la case « J'ai lu et j'accepte le règlement de l'édition »."
    ]
    ruled_film.refresh_from_db()
    assert ruled_film.status == FilmStatus.DRAFT
    assert RulesAcceptance.objects.count() == 0
    assert sent_emails == []


def test_an_edition_without_rules_asks_for_no_acceptance(complete_film, teacher, sent_emails):
    assert rules_acceptance_needed(complete_film) is False
    submit_film(film=complete_film, user=teacher)
    assert RulesAcceptance.objects.count() == 0


def send_back(film, organizer):
    set_film_status(film=film, to=FilmStatus.NEEDS_CHANGES, actor=organizer, reason="Le son.")


def test_resubmission_with_the_same_rules_keeps_the_first_acceptance(
    ruled_film, teacher, organizer, sent_emails
):
    submit_film(film=ruled_film, user=teacher, rules_accepted=True)
    send_back(ruled_film, organizer)

    assert rules_acceptance_needed(ruled_film) is False
    submit_film(film=ruled_film, user=teacher)

    assert RulesAcceptance.objects.count() == 1


def test_resubmission_after_a_rules_change_stores_a_new_acceptance(
    ruled_film, teacher, organizer, sent_emails
):
    submit_film(film=ruled_film, user=teacher, rules_accepted=True)
    send_back(ruled_film, organizer)
    edition = ruled_film.edition
    edition.rules = RULES + "\n\nArticle 3. Le générique cite l'entreprise."
    edition.save(update_fields=["rules"])

    assert rules_acceptance_needed(ruled_film) is True
    with pytest.raises(DomainError):
        submit_film(film=ruled_film, user=teacher)
    submit_film(film=ruled_film, user=teacher, rules_accepted=True)

    versions = list(
        RulesAcceptance.objects.filter(film=ruled_film).values_list("rules_sha256", flat=True)
    )
    assert versions == [RULES_VERSION, rules_version(edition.rules)]
    assert RulesAcceptance.objects.last().rules_text.endswith("Le générique cite l'entreprise.")


# The teacher's pages.


def test_the_submit_page_shows_the_rules_and_the_box_to_tick(teacher_client, ruled_film):
    response = teacher_client.get(submit_url(ruled_film))

    content = page(response)
    assert "<p>Article 1. Un film de 5 minutes au plus.</p>" in content
    assert "J'ai lu et j'accepte le règlement de l'édition" in content
    assert 'name="accept_rules"' in content
    festival_page = reverse("public:festival", args=[ruled_film.edition.festival.slug])
    assert f'href="{festival_page}#reglement"' in content


def test_refusing_to_tick_shows_a_clear_error_and_keeps_the_film(
    teacher_client, ruled_film, sent_emails
):
    response = teacher_client.post(submit_url(ruled_film), {})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "accept_rules": ["Cochez la case pour accepter le règlement de l'édition."]
    }
    assert "Le film n'est pas encore déposé" in page(response)
    ruled_film.refresh_from_db()
    assert ruled_film.status == FilmStatus.DRAFT
    assert (RulesAcceptance.objects.count(), sent_emails) == (0, [])


def test_ticking_the_box_submits_and_stores_the_acceptance(
    teacher_client, teacher, ruled_film, sent_emails
):
    response = teacher_client.post(
        submit_url(ruled_film), {"accept_rules": "on", "rules_version": RULES_VERSION}
    )

    assert response["Location"] == reverse(
        "festival:teacher_film_submitted", kwargs={"pk": ruled_film.pk}
    )
    assert list(RulesAcceptance.objects.values_list("film", "user", "rules_sha256")) == [
        (ruled_film.pk, teacher.pk, RULES_VERSION)
    ]


def test_rules_changed_while_the_teacher_read_them_are_shown_again(
    teacher_client, ruled_film, sent_emails
):
    edition = ruled_film.edition
    edition.rules = "Article unique. Le nouveau règlement."
    edition.save(update_fields=["rules"])

    response = teacher_client.post(
        submit_url(ruled_film), {"accept_rules": "on", "rules_version": RULES_VERSION}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "accept_rules": [
            "Le règlement vient d'être modifié par l'organisation : relisez-le puis cochez à "
            "nouveau la case."
        ]
    }
    content = page(response)
    assert "<p>Article unique. Le nouveau règlement.</p>" in content
    assert f'value="{rules_version(edition.rules)}"' in content
    # The box is shown again unticked, beside its error.
    [box] = [line for line in content.splitlines() if 'name="accept_rules"' in line]
    assert 'aria-describedby="id_accept_rules_error"' in box
    assert "checked" not in box
    assert '<ul class="errorlist" id="id_accept_rules_error">' in content
    ruled_film.refresh_from_db()
    assert ruled_film.status == FilmStatus.DRAFT
    assert RulesAcceptance.objects.count() == 0


def test_resubmitting_with_unchanged_rules_asks_nothing(
    teacher_client, teacher, organizer, ruled_film, sent_emails
):
    submit_film(film=ruled_film, user=teacher, rules_accepted=True)
    send_back(ruled_film, organizer)

    response = teacher_client.get(submit_url(ruled_film))
    content = page(response)
    assert 'name="accept_rules"' not in content
    assert "Vous avez accepté le règlement de l'édition le" in content

    teacher_client.post(submit_url(ruled_film), {})
    ruled_film.refresh_from_db()
    assert ruled_film.status == FilmStatus.SUBMITTED
    assert RulesAcceptance.objects.count() == 1


# The organizers' film page.


def test_organizers_see_who_accepted_which_version(
    organizer_client, teacher, organizer, ruled_film, sent_emails
):
    submit_film(film=ruled_film, user=teacher, rules_accepted=True)
    url = reverse("festival:organizer_film", args=[ruled_film.pk])

    content = page(organizer_client.get(url))
    assert "Accepté par Claire Girard le" in content
    assert f"version <code>{RULES_VERSION[:12]}</code>" in content
    assert "règlement en vigueur" in content
    assert "<p>Article 2. Chaque élève filmé a une autorisation signée.</p>" in content

    edition = ruled_film.edition
    edition.rules = "Un tout autre règlement."
    edition.save(update_fields=["rules"])
    content = page(organizer_client.get(url))
    assert "le règlement a changé depuis" in content
    assert "règlement en vigueur" not in content
    # The text as accepted, not today's.
    assert "<p>Article 2. Chaque élève filmé a une autorisation signée.</p>" in content


def test_another_festival_s_organizer_sees_nothing(client, other_organizer, ruled_film):
    client.force_login(other_organizer)
    response = client.get(reverse("festival:organizer_film", args=[ruled_film.pk]))
    assert response.status_code == 404


# The public festival page.


def test_the_rules_are_on_the_public_festival_page(client, edition):
    edition.rules = RULES
    edition.save(update_fields=["rules"])

    response = client.get(reverse("public:festival", args=[edition.festival.slug]))

    content = page(response)
    assert '<section id="reglement" aria-labelledby="rules-title">' in content
    assert '<h2 id="rules-title">Règlement</h2>' in content
    assert "<p>Article 1. Un film de 5 minutes au plus.</p>" in content
    assert "<p>Article 2. Chaque élève filmé a une autorisation signée.</p>" in content


def test_no_rules_section_without_rules(client, edition):
    response = client.get(reverse("public:festival", args=[edition.festival.slug]))
    assert 'id="reglement"' not in page(response)


def test_platform_operators_read_it_in_the_admin(client, ruled_film, teacher, sent_emails):
    submit_film(film=ruled_film, user=teacher, rules_accepted=True)
    operator = User.objects.create_superuser(email="ops@filmit.example", password="x-Long-2026")
    client.force_login(operator)

    response = client.get(reverse("admin:festival_film_change", args=[ruled_film.pk]))

    content = page(response)
    assert RULES_VERSION in content
    assert "Article 2. Chaque élève filmé a une autorisation signée." in content
