"""The call for entries: its lists, one email per mailbox, unsubscriptions per festival, the test
send, the sending through the task queue and its progress, and who may open its pages."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from festival.domain import DomainError
from festival.domain.calls import (
    UNSUBSCRIBE_SALT,
    audit_recipients,
    create_call,
    refresh_counts,
    send_call,
    unsubscribe,
    unsubscribe_token,
    update_call,
)
from festival.enums import Academie
from festival.models import CallForEntries, CallRecipient, CallUnsubscription, CompanyContact
from festival.models_outreach import Audience, CallStatus, RecipientStatus
from festival.tasks import send_call_for_entries
from tests import factories
from tests.conftest import login
from tests.festival.test_organizer_views import count_queries
from tests.inprocess_worker import run_worker

ALL = [Audience.PAST_TEACHERS, Audience.SCHOOLS, Audience.COMPANIES]


@pytest.fixture
def past_edition(festival, edition):
    now = timezone.now()
    return factories.make_edition(
        festival,
        is_current=False,
        year=edition.year - 1,
        title="FILM'IT 2026",
        submissions_open_at=now - timedelta(days=400),
        submissions_close_at=now - timedelta(days=350),
        judging_start_at=now - timedelta(days=340),
        judging_end_at=now - timedelta(days=320),
        deliberation_at=now - timedelta(days=318),
        ceremony_at=now - timedelta(days=315),
    )


@pytest.fixture
def world(festival, edition, past_edition, teacher, school):
    """Who a call of `edition` may reach, and who it must not."""
    past_category = factories.make_category(past_edition, name="Lycée", slug="lycee")
    school.contact_email = "Ce.0250001A@ac-besancon.fr"
    school.save()
    english = factories.make_teacher(
        school, first_name="Anna", last_name="Smith", email="anna.smith@example.org", language="en"
    )
    gone = factories.make_teacher(school, email="parti@example.org", is_active=False)
    company = factories.make_company(name="Usinage Comtois")
    for author in (teacher, english, gone):
        factories.make_film(teacher=author, category=past_category, company=company)
    # A teacher of a known school, without a film yet.
    newcomer = factories.make_teacher(school, email="nouveau@example.org")
    # A school of an académie the festival has no film from.
    factories.make_school(
        academie=Academie.STRASBOURG, contact_email="ce.0670001a@ac-strasbourg.fr"
    )
    # The school's mailbox again, written differently by a teacher at the company.
    CompanyContact.objects.create(
        company=company, name="Jeanne Roux", role="RH", email="ce.0250001a@AC-BESANCON.FR"
    )
    CompanyContact.objects.create(company=company, name="Luc Faivre", email="luc@usinage.example")
    CompanyContact.objects.create(company=company, name="Ana Lima", email="ana@usinage.example")
    # A company none of the festival's films shows.
    CompanyContact.objects.create(
        company=factories.make_company(), name="Autre", email="autre@ailleurs.example"
    )
    return {"english": english, "newcomer": newcomer, "company": company}


def make_call(edition, organizer, audiences=ALL, **kw):
    defaults = {
        "subject": "Appel à films 2027",
        "body": (
            "Bonjour,\r\n\r\n\r\nInscrivez vos classes au festival.\r\nTournez chez un industriel."
        ),
    }
    return create_call(
        edition=edition, organizer=organizer, audiences=audiences, **{**defaults, **kw}
    )


def recipients(audit):
    return [(c.email, c.audience, c.language) for c in audit.recipients]


def test_each_list_reaches_its_people_and_one_mailbox_gets_one_email(
    world, edition, organizer, teacher
):
    audit = audit_recipients(edition=edition, audiences=ALL)

    assert recipients(audit) == [
        (teacher.email, "past_teachers", "fr"),
        ("anna.smith@example.org", "past_teachers", "en"),
        ("ce.0250001a@ac-besancon.fr", "schools", "fr"),
        ("nouveau@example.org", "schools", "fr"),
        ("ana@usinage.example", "companies", "fr"),
        ("luc@usinage.example", "companies", "fr"),
    ]
    # Teachers of the known school are on the schools' list too; the school's mailbox is on the
    # companies' list under another spelling.
    assert audit.lists == [
        ("Les enseignants des éditions précédentes", 2),
        ("Les établissements des académies déjà connues et leurs enseignants", 4),
        ("Les contacts des entreprises partenaires", 3),
    ]
    assert audit.duplicates == 3
    assert audit.total == 6


def test_a_single_list(world, edition):
    audit = audit_recipients(edition=edition, audiences=[Audience.COMPANIES])
    assert recipients(audit) == [
        ("ana@usinage.example", "companies", "fr"),
        ("ce.0250001a@ac-besancon.fr", "companies", "fr"),
        ("luc@usinage.example", "companies", "fr"),
    ]


def test_unsubscribed_addresses_are_skipped_for_their_festival_only(world, edition, festival):
    other = factories.make_festival()
    CallUnsubscription.objects.create(festival=festival, email="luc@usinage.example")
    CallUnsubscription.objects.create(festival=other, email="ana@usinage.example")

    audit = audit_recipients(edition=edition, audiences=[Audience.COMPANIES])

    assert [c.email for c in audit.recipients] == [
        "ana@usinage.example",
        "ce.0250001a@ac-besancon.fr",
    ]
    assert audit.unsubscribed == 1


def test_a_call_needs_a_list_and_is_read_only_once_sent(world, edition, organizer):
    with pytest.raises(DomainError) as error:
        make_call(edition, organizer, audiences=[])
    assert error.value.code == "audiences"
    call = make_call(edition, organizer)
    assert call.body == (
        "Bonjour,\n\nInscrivez vos classes au festival.\nTournez chez un industriel."
    )
    call.status = CallStatus.SENT
    call.save()
    with pytest.raises(DomainError) as error:
        update_call(
            call=call, organizer=organizer, edition=edition, subject="x", body="y", audiences=ALL
        )
    assert error.value.code == "sent"


# Pages


def test_the_organizer_writes_a_draft(world, edition, organizer_client):
    response = organizer_client.get(reverse("festival:organizer_call_create"))
    assert response.status_code == 200
    assert response.context["form"].initial["subject"] == "Appel à films : FILM'IT 2027"

    response = organizer_client.post(
        reverse("festival:organizer_call_create"),
        {
            "edition": edition.pk,
            "subject": "Tournez l'industrie !",
            "body": "Bonjour,\n\nInscrivez vos classes.",
            "audiences": ["companies", "schools"],
        },
    )
    call = CallForEntries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("festival:organizer_call_preview", args=[call.pk])
    assert (call.subject, call.audiences, call.status) == (
        "Tournez l'industrie !",
        ["schools", "companies"],
        CallStatus.DRAFT,
    )


def test_the_organizer_edits_a_draft(world, edition, organizer, organizer_client):
    call = make_call(edition, organizer)
    url = reverse("festival:organizer_call_edit", args=[call.pk])
    assert organizer_client.get(url).context["form"].initial["subject"] == "Appel à films 2027"
    response = organizer_client.post(
        url,
        {
            "edition": edition.pk,
            "subject": "Dernier appel",
            "body": "Il reste deux semaines.",
            "audiences": ["past_teachers"],
        },
    )
    assert response["Location"] == reverse("festival:organizer_call_preview", args=[call.pk])
    call.refresh_from_db()
    assert (call.subject, call.body, call.audiences) == (
        "Dernier appel",
        "Il reste deux semaines.",
        ["past_teachers"],
    )


def test_the_form_asks_for_a_list(world, edition, organizer_client):
    response = organizer_client.post(
        reverse("festival:organizer_call_create"),
        {"edition": edition.pk, "subject": "Objet", "body": "Texte"},
    )
    assert response.status_code == 400
    assert "Choisissez au moins une liste de destinataires." in response.text
    assert not CallForEntries.objects.exists()


def test_the_preview_shows_the_email_and_the_counts(world, edition, organizer, organizer_client):
    call = make_call(edition, organizer)
    response = organizer_client.get(reverse("festival:organizer_call_preview", args=[call.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Appel à films 2027" in text
    assert "Inscrivez vos classes au festival." in text
    assert "dépôt des films du" in text
    assert "6 destinataires" in text
    assert "3 adresses, écrites une seule fois" in text

    english = organizer_client.get(
        reverse("festival:organizer_call_preview", args=[call.pk]), {"langue": "en"}
    )
    assert "films submitted from" in english.text


def test_the_test_goes_to_the_organizer_only(
    world, edition, organizer, organizer_client, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(edition, organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(reverse("festival:organizer_call_test", args=[call.pk]))
    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([organizer.email], "[Test] Appel à films 2027")
    ]
    assert not CallRecipient.objects.exists()
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_sending_goes_through_the_task_to_each_mailbox_once(
    world, edition, organizer, organizer_client, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(edition, organizer)
    send_url = reverse("festival:organizer_call_send", args=[call.pk])
    assert "6 destinataires" in organizer_client.get(send_url).text

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(send_url, {"confirm": "on"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.status, call.recipient_count, call.sent_count) == (CallStatus.SENDING, 6, 0)
    assert mailoutbox == []  # the worker sends, not the request

    assert run_worker() == [("festival.tasks.send_call_for_entries", "SUCCESSFUL")]

    call.refresh_from_db()
    assert (call.status, call.sent_count, call.failed_count) == (CallStatus.SENT, 6, 0)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        CallRecipient.objects.values_list("email", flat=True)
    )
    assert len(mailoutbox) == 6
    assert set(CallRecipient.objects.values_list("status", flat=True)) == {RecipientStatus.SENT}

    # Run again (a retried task), and asked again: nobody gets a second email.
    send_call_for_entries.call(call.pk)
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(send_url, {"confirm": "on"})
    assert run_worker() == []
    assert len(mailoutbox) == 6


def test_each_email_speaks_the_recipients_language(
    world, edition, organizer, mailoutbox, festival, django_capture_on_commit_callbacks
):
    festival.contact_email = "filmit@uimm.example"
    festival.save()
    call = make_call(edition, organizer, audiences=[Audience.PAST_TEACHERS])
    call.status = CallStatus.SENDING
    call.save()
    CallRecipient.objects.bulk_create(
        [
            CallRecipient(call=call, email="claire@example.org", audience="past_teachers"),
            CallRecipient(
                call=call, email="anna@example.org", audience="past_teachers", language="en"
            ),
        ]
    )
    send_call(call=call)

    by_address = {m.to[0]: m for m in mailoutbox}
    french, english = by_address["claire@example.org"], by_address["anna@example.org"]
    assert french.subject == english.subject == "Appel à films 2027"
    assert french.reply_to == ["filmit@uimm.example"]
    opens = timezone.localtime(edition.submissions_open_at)
    assert french.body.startswith(
        "Bonjour,\n\nInscrivez vos classes au festival.\nTournez chez un industriel.\n\n--\n"
    )
    assert "FILM'IT 2027, FILM'IT Franche-Comté :" in french.body
    assert f"- dépôt des films du {opens.day} " in french.body
    assert "- remise des prix le " in french.body
    assert "/festivals/filmit-fc/" in french.body
    assert "/compte/inscription/" in french.body
    assert "Pour ne plus recevoir ses appels à films :" in french.body
    assert "- films submitted from " in english.body
    assert "To stop receiving its calls for entries:" in english.body
    assert "dépôt" not in english.body
    # The link in the header and in the body is the recipient's own.
    link = french.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in french.body
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert signing.loads(token, salt=UNSUBSCRIBE_SALT)["e"] == "claire@example.org"


def test_the_page_shows_the_progress_and_the_failures(
    world, edition, organizer, organizer_client, mailoutbox
):
    call = make_call(edition, organizer)
    call.status = CallStatus.SENDING
    call.recipient_count = 2
    call.save()
    CallRecipient.objects.create(call=call, email="claire@example.org", audience="schools")
    CallRecipient.objects.create(call=call, email="bad\n@example.org", audience="schools")

    progress_url = reverse("festival:organizer_call_progress", args=[call.pk])
    polling = organizer_client.get(progress_url)
    assert "Envoyés : 0 sur 2" in polling.text
    assert 'hx-trigger="every 2s"' in polling.text
    assert "<html" not in polling.text

    send_call(call=call)

    page = organizer_client.get(reverse("festival:organizer_call", args=[call.pk]))
    assert page.status_code == 200
    assert "Envoyés : 1 sur 2" in page.text
    assert "1 e-mail n'a pas pu partir :" in page.text
    assert "Header values may not contain linefeed" in page.text
    assert "hx-trigger" not in page.text
    assert [m.to for m in mailoutbox] == [["claire@example.org"]]
    failed = CallRecipient.objects.get(status=RecipientStatus.FAILED)
    assert failed.error


def test_a_stalled_sending_is_queued_again_for_the_waiting_recipients_only(
    world, edition, organizer, organizer_client, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(edition, organizer)
    call.status = CallStatus.SENDING
    call.save()
    CallRecipient.objects.create(
        call=call, email="deja@example.org", audience="schools", status=RecipientStatus.SENT
    )
    CallRecipient.objects.create(call=call, email="attend@example.org", audience="schools")
    page = organizer_client.get(reverse("festival:organizer_call", args=[call.pk]))
    assert "Relancer l&#x27;envoi" in page.text or "Relancer l'envoi" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(reverse("festival:organizer_call_resume", args=[call.pk]))
    assert response["Location"] == reverse("festival:organizer_call", args=[call.pk])
    assert run_worker() == [("festival.tasks.send_call_for_entries", "SUCCESSFUL")]
    assert [m.to for m in mailoutbox] == [["attend@example.org"]]
    call.refresh_from_db()
    assert (call.status, call.sent_count) == (CallStatus.SENT, 2)

    # Once sent, there is nothing to resume.
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(reverse("festival:organizer_call_resume", args=[call.pk]))
    assert run_worker() == []


def test_the_addresses_a_server_refused_are_tried_again_and_only_them(
    world, edition, organizer, organizer_client, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(edition, organizer)
    call.status = CallStatus.SENT
    call.save()
    CallRecipient.objects.create(
        call=call, email="recue@example.org", audience="schools", status=RecipientStatus.SENT
    )
    CallRecipient.objects.create(
        call=call,
        email="pleine@example.org",
        audience="schools",
        status=RecipientStatus.FAILED,
        error="452 Mailbox full",
    )
    call = refresh_counts(call)
    retry_url = reverse("festival:organizer_call_retry_failed", args=[call.pk])
    page = organizer_client.get(reverse("festival:organizer_call", args=[call.pk]))
    assert "Réessayer l'adresse en échec" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(retry_url, follow=True)
    assert "1 adresse en échec est réessayée." in response.text
    call.refresh_from_db()
    assert (call.status, call.failed_count) == (CallStatus.SENDING, 0)
    assert run_worker() == [("festival.tasks.send_call_for_entries", "SUCCESSFUL")]
    assert [m.to for m in mailoutbox] == [["pleine@example.org"]]
    call.refresh_from_db()
    assert (call.status, call.sent_count, call.failed_count) == (CallStatus.SENT, 2, 0)

    # Nothing failed any more: nothing to try again, nobody written to.
    response = organizer_client.post(retry_url, follow=True)
    assert "Aucune adresse en échec à réessayer." in response.text
    assert run_worker() == []
    assert len(mailoutbox) == 1


def test_a_retry_never_writes_to_an_address_unsubscribed_or_erased_since(
    world, edition, organizer, organizer_client, mailoutbox, django_capture_on_commit_callbacks
):
    call = make_call(edition, organizer)
    call.status = CallStatus.SENT
    call.save()
    for email in ("pleine@example.org", "Partie@Example.org", "compte-1@efface.invalid"):
        CallRecipient.objects.create(
            call=call, email=email, audience="schools", status=RecipientStatus.FAILED
        )
    # Refused by a server, then unsubscribed through an earlier call's link.
    unsubscribe(festival=edition.festival, email="partie@example.org")
    retry_url = reverse("festival:organizer_call_retry_failed", args=[call.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(retry_url, follow=True)
    assert "1 adresse en échec est réessayée." in response.text
    assert run_worker() == [("festival.tasks.send_call_for_entries", "SUCCESSFUL")]
    assert [m.to for m in mailoutbox] == [["pleine@example.org"]]
    assert sorted(
        call.recipients.filter(status=RecipientStatus.FAILED).values_list("email", flat=True)
    ) == ["Partie@Example.org", "compte-1@efface.invalid"]


def test_a_draft_has_no_failed_addresses_to_retry(world, edition, organizer, organizer_client):
    call = make_call(edition, organizer)
    response = organizer_client.post(
        reverse("festival:organizer_call_retry_failed", args=[call.pk]), follow=True
    )
    assert "Seul un appel à films déjà envoyé peut être réessayé." in response.text
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_a_sent_call_cannot_be_edited(world, edition, organizer, organizer_client):
    call = make_call(edition, organizer)
    call.status = CallStatus.SENT
    call.recipient_count = 4
    call.save()
    preview = organizer_client.get(reverse("festival:organizer_call_preview", args=[call.pk]))
    assert "Envoyé à 4 destinataires." in preview.text
    assert reverse("festival:organizer_call_send", args=[call.pk]) not in preview.text
    response = organizer_client.get(reverse("festival:organizer_call_edit", args=[call.pk]))
    assert response["Location"] == reverse("festival:organizer_call", args=[call.pk])
    response = organizer_client.post(
        reverse("festival:organizer_call_send", args=[call.pk]), {"confirm": "on"}
    )
    assert response["Location"] == reverse("festival:organizer_call", args=[call.pk])
    assert not CallRecipient.objects.exists()


def test_the_list_reads_the_same_queries_for_one_or_many_calls(
    world, edition, organizer, organizer_client
):
    make_call(edition, organizer, subject="Premier appel")
    url = reverse("festival:organizer_calls")
    organizer_client.get(url)
    one = count_queries(organizer_client, url)
    for n in range(3):
        make_call(edition, organizer, subject=f"Appel {n}")
    assert count_queries(organizer_client, url) == one
    assert [c.subject for c in organizer_client.get(url).context["calls"]] == [
        "Appel 2",
        "Appel 1",
        "Appel 0",
        "Premier appel",
    ]


# Who may open the pages


def call_urls(call):
    pk = [call.pk]
    return [
        reverse("festival:organizer_call", args=pk),
        reverse("festival:organizer_call_edit", args=pk),
        reverse("festival:organizer_call_preview", args=pk),
        reverse("festival:organizer_call_send", args=pk),
        reverse("festival:organizer_call_progress", args=pk),
    ]


def test_another_festivals_organizer_gets_a_404(world, edition, organizer, other_organizer, client):
    call = make_call(edition, organizer)
    login(client, other_organizer)
    for url in call_urls(call):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("festival:organizer_call_test", args=[call.pk])).status_code == 404
    retry_url = reverse("festival:organizer_call_retry_failed", args=[call.pk])
    assert client.post(retry_url).status_code == 404
    assert "Appel à films 2027" not in client.get(reverse("festival:organizer_calls")).text


def test_teachers_are_refused_and_visitors_sent_to_login(
    world, edition, organizer, teacher, client
):
    call = make_call(edition, organizer)
    urls = [*call_urls(call), reverse("festival:organizer_calls")]
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("festival:login")), url
    login(client, teacher)
    for url in urls:
        assert client.get(url).status_code == 404, url


# Unsubscribing


def test_unsubscribing_asks_then_records_for_that_festival(client, festival):
    token = unsubscribe_token(festival_id=festival.pk, email="Luc@Usinage.example")
    url = reverse("festival:call_unsubscribe", args=[token])

    page = client.get(url)
    assert page.status_code == 200
    assert "luc@usinage.example" in page.text
    assert "Confirmer la désinscription" in page.text
    assert not CallUnsubscription.objects.exists()

    done = client.post(url)
    assert "ne recevra plus les appels à films de FILM&#x27;IT Franche-Comté" in done.text
    assert list(CallUnsubscription.objects.values_list("festival_id", "email")) == [
        (festival.pk, "luc@usinage.example")
    ]
    client.post(url)
    assert CallUnsubscription.objects.count() == 1


def test_a_forged_link_is_refused(client, festival):
    token = unsubscribe_token(festival_id=festival.pk, email="luc@usinage.example")
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = client.post(reverse("festival:call_unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert "Ce lien de désinscription n&#x27;est pas valide." in response.text
    assert not CallUnsubscription.objects.exists()


def test_an_expired_link_is_refused(client, festival, settings):
    class Signer(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 800 * 86400)

    token = Signer(salt=UNSUBSCRIBE_SALT).sign_object(
        {"f": festival.pk, "e": "luc@usinage.example"}, compress=True
    )
    response = client.get(reverse("festival:call_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "Ce lien de désinscription a expiré." in response.text
    settings.CALL_UNSUBSCRIBE_DAYS = 1000
    assert client.get(reverse("festival:call_unsubscribe", args=[token])).status_code == 200


def test_the_menu_leads_to_the_calls(organizer_client):
    response = organizer_client.get(reverse("festival:organizer_calls"))
    assert response.context["menu_section"] == "calls"
    assert 'aria-current="true" class="current">Appel à films</a>' in response.text
