"""Invitations to the ceremony: who is invited, one per mailbox, sending in batches through the
task queue (nobody twice), re-sending, guests, the organizers' list, exports and denials."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from festival import pdf
from festival.domain import DomainError
from judging.domain.ceremony_invitations import (
    Guest,
    add_guests,
    parse_guest_lines,
    plan_invitations,
    record_answer,
    resend,
    send_batch,
    start_sending,
    sync_invitations,
)
from judging.domain.selection import announce_now, choose_finalists
from judging.models_ceremony import Answer, CeremonyInvitation, InvitationKind, SendingStatus
from tests import factories
from tests.conftest import login
from tests.festival.test_call_for_entries import run_worker
from tests.festival.test_consent_kit import pdf_text
from tests.festival.test_organizer_views import count_queries
from tests.judging.factories_ceremony import make_cast
from tests.judging.factories_selection import make_round, make_selection

K = InvitationKind


@pytest.fixture
def cast(edition, category, teacher, juror, organizer):
    return make_cast(edition, category, teacher, juror, organizer)


def roles_by_email(edition) -> dict[str, list[str]]:
    return dict(CeremonyInvitation.objects.filter(edition=edition).values_list("email", "roles"))


def test_one_invitation_per_mailbox_with_all_its_roles(cast, edition, teacher, juror):
    assert sync_invitations(edition=edition) == 3
    assert roles_by_email(edition) == {
        teacher.email.lower(): [K.CLASS, K.GUEST],
        cast.other_finalist.teacher.email.lower(): [K.CLASS],
        "nadia@peugeot.example": [K.COMPANY],
        juror.email.lower(): [K.COMPANY, K.JUROR],
        "maire@besancon.example": [K.GUEST],
    }
    invitation = CeremonyInvitation.objects.get(email=teacher.email.lower())
    assert (invitation.kind, invitation.film, invitation.user) == (K.CLASS, cast.finalist, teacher)
    assert invitation.organisation == f"Lycée ; {cast.finalist.school.name} — Les mains de l'usine"
    # Run again: nothing new, nothing doubled.
    assert sync_invitations(edition=edition) == 0
    assert CeremonyInvitation.objects.count() == 5


def test_the_plan_counts_before_anything_is_written(cast, edition):
    plan = plan_invitations(edition)
    assert (plan.new_count, plan.by_kind) == (3, {K.CLASS: 2, K.COMPANY: 2, K.JUROR: 1})
    assert CeremonyInvitation.objects.count() == 2  # the guests only


def test_the_pasted_list_is_read_line_by_line():
    guests, errors = parse_guest_lines(
        "Paul Martin; paul@example.org; CCI du Doubs\n"
        "\n"
        "Anne Roy\tanne@example.org\n"
        "Sans adresse ; Mairie\n"
        "Mauvais ; pas-une-adresse@ ; X\n"
        "lea@example.org\n"
    )
    assert [(g.name, g.email, g.organisation) for g in guests] == [
        ("Paul Martin", "paul@example.org", "CCI du Doubs"),
        ("Anne Roy", "anne@example.org", ""),
        ("lea@example.org", "lea@example.org", ""),
    ]
    assert errors == [
        "Ligne 4 : aucune adresse e-mail.",
        "Ligne 5 : « pas-une-adresse@ » n'est pas une adresse e-mail valide.",
    ]


def test_a_guest_added_twice_keeps_one_invitation(edition, organizer):
    assert add_guests(
        edition=edition, organizer=organizer, guests=[Guest("A", "a@example.org")]
    ) == (1, 0)
    assert add_guests(
        edition=edition, organizer=organizer, guests=[Guest("A", "A@Example.org")]
    ) == (0, 1)
    assert CeremonyInvitation.objects.count() == 1


def test_one_mailbox_under_plus_tags_dots_and_spaces_keeps_one_invitation(edition, organizer):
    guests = [
        Guest("Jean", "jean.dupont@gmail.com"),
        Guest("Jean", " Jean.Dupont+ceremonie@gmail.com "),
        Guest("Jean", "jeandupont@googlemail.com"),
        Guest("Léa", "lea+festival@ville.example"),
        Guest("Léa", "LEA@ville.example"),
    ]
    assert add_guests(edition=edition, organizer=organizer, guests=guests) == (2, 3)
    assert add_guests(
        edition=edition, organizer=organizer, guests=[Guest("Jean", "jeandupont+x@gmail.com")]
    ) == (0, 1)
    # Written to at the first address given.
    assert sorted(CeremonyInvitation.objects.values_list("email", flat=True)) == [
        "jean.dupont@gmail.com",
        "lea+festival@ville.example",
    ]


def test_a_juror_invited_as_a_guest_under_a_plus_tag_gets_one_invitation(
    cast, edition, organizer, juror
):
    local, domain = juror.email.split("@")
    add_guests(edition=edition, organizer=organizer, guests=[Guest("J", f"{local}+vip@{domain}")])
    assert plan_invitations(edition).new_count == 2  # the two finalist teachers' classes…
    sync_invitations(edition=edition)
    mine = [i for i in CeremonyInvitation.objects.filter(edition=edition) if local in i.email]
    assert len(mine) == 1
    assert mine[0].roles == [K.COMPANY, K.JUROR, K.GUEST]


def test_finalists_are_invited_only_once_announced(
    edition, category, organizer, organizer_client, django_capture_on_commit_callbacks
):
    teachers = [factories.make_teacher() for _ in range(4)]
    selection = make_selection(edition, category, teachers=teachers)
    selection_round = make_round(edition)
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    # Chosen, not announced: the list may still change and the public does not know it.
    plan = plan_invitations(edition)
    assert plan.finalists_waiting
    assert (plan.by_kind.get(K.CLASS), plan.by_kind[K.JUROR]) == (None, 4)
    with django_capture_on_commit_callbacks(execute=True):
        start_sending(edition=edition, organizer=organizer)
    invited = CeremonyInvitation.objects.filter(edition=edition)
    assert {i.email for i in invited} & {t.email.lower() for t in teachers} == set()
    page = organizer_client.get(reverse("judging:ceremony_send", args=[edition.pk]))
    assert "Les finalistes ne sont pas encore annoncés" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        announce_now(selection_round=selection_round, user=organizer)
    plan = plan_invitations(edition)
    assert (plan.finalists_waiting, plan.by_kind[K.CLASS], plan.new_count) == (False, 2, 2)
    sync_invitations(edition=edition)
    classes = {i.email for i in invited.all() if K.CLASS in i.roles}
    assert classes == {teachers[0].email.lower(), teachers[1].email.lower()}


def test_sending_goes_in_batches_through_the_task_and_never_twice(
    cast, edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert start_sending(edition=edition, organizer=organizer) == 5
    assert mailoutbox == []  # the worker sends, not the request

    # One batch of two: two sent, three still waiting.
    assert send_batch(edition=edition, size=2) == 2
    assert sorted(CeremonyInvitation.objects.values_list("status", flat=True)) == [
        SendingStatus.PENDING,
        SendingStatus.PENDING,
        SendingStatus.PENDING,
        SendingStatus.SENT,
        SendingStatus.SENT,
    ]
    assert run_worker() == [("judging.tasks.send_ceremony_invitations", "SUCCESSFUL")]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        CeremonyInvitation.objects.values_list("email", flat=True)
    )
    assert set(CeremonyInvitation.objects.values_list("status", flat=True)) == {SendingStatus.SENT}
    # Sending again: nobody waits, nobody is written to twice.
    with pytest.raises(DomainError):
        start_sending(edition=edition, organizer=organizer)
    assert len(mailoutbox) == 5

    message = next(m for m in mailoutbox if m.to == ["maire@besancon.example"])
    invitation = CeremonyInvitation.objects.get(email="maire@besancon.example")
    assert message.subject == "Invitation à la remise des prix de FILM'IT 2027"
    assert f"/remise-des-prix/reponse/{invitation.token}/" in message.body
    assert "jusqu'à 5 personnes" in message.body


def test_a_guest_added_later_is_the_only_one_written_to(
    cast, edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start_sending(edition=edition, organizer=organizer)
    run_worker()
    add_guests(edition=edition, organizer=organizer, guests=[Guest("Léo", "leo@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        assert start_sending(edition=edition, organizer=organizer) == 1
    run_worker()
    assert [m.to for m in mailoutbox[5:]] == [["leo@example.org"]]


def test_resend_to_one_person(
    cast, edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start_sending(edition=edition, organizer=organizer)
    run_worker()
    invitation = CeremonyInvitation.objects.get(email="nadia@peugeot.example")
    client = login(Client(), organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("judging:ceremony_resend", args=[invitation.pk]))
    assert response.status_code == 302
    run_worker()
    assert [m.to for m in mailoutbox[5:]] == [["nadia@peugeot.example"]]


def test_resend_while_waiting_is_refused(edition, organizer):
    add_guests(edition=edition, organizer=organizer, guests=[Guest("A", "a@example.org")])
    with pytest.raises(DomainError):
        resend(invitation=CeremonyInvitation.objects.get(), organizer=organizer)


def test_the_send_page_checks_before_sending(
    cast, edition, organizer_client, django_capture_on_commit_callbacks
):
    url = reverse("judging:ceremony_send", args=[edition.pk])
    page = organizer_client.get(url).text
    assert "Envoyer les invitations ?" in page
    # The lists read from the edition, each with its addresses; the guests, already
    # invitations, count among those waiting to leave, not as a list of 0 addresses.
    assert "<dt>Classe finaliste</dt>" in page
    assert "<dt>Invité</dt>" not in page
    response = organizer_client.post(url, {})
    assert "Cochez la case pour confirmer" in response.text
    assert CeremonyInvitation.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert CeremonyInvitation.objects.filter(status=SendingStatus.PENDING).count() == 5


def test_guests_page_adds_one_or_a_list(edition, organizer_client):
    response = organizer_client.post(
        reverse("judging:ceremony_guests", args=[edition.pk]),
        {"guest-name": "Paul", "guest-email": "paul@example.org", "guest-language": "en"},
    )
    assert response.status_code == 302
    response = organizer_client.post(
        reverse("judging:ceremony_guest_list", args=[edition.pk]),
        {"list-lines": "Anne; anne@example.org; CCI\nBad line"},
    )
    assert response.status_code == 200
    assert "Ligne 2 : aucune adresse e-mail." in response.text
    response = organizer_client.post(
        reverse("judging:ceremony_guest_list", args=[edition.pk]),
        {"list-lines": "Anne; anne@example.org; CCI\nPaul; PAUL@example.org"},
    )
    assert response.status_code == 302
    assert dict(CeremonyInvitation.objects.values_list("email", "language")) == {
        "paul@example.org": "en",
        "anne@example.org": "fr",
    }


def answer_all(edition):
    invitations = {i.email: i for i in CeremonyInvitation.objects.filter(edition=edition)}
    return invitations


def test_the_list_counts_and_filters_the_answers(cast, edition, organizer_client, teacher):
    sync_invitations(edition=edition)
    by_email = answer_all(edition)
    record_answer(invitation=by_email[teacher.email.lower()], coming=True, people=28)
    record_answer(invitation=by_email["maire@besancon.example"], coming=True, people=2)
    record_answer(invitation=by_email["nadia@peugeot.example"], coming=False, people=None)
    url = reverse("judging:ceremony_invitations", args=[edition.pk])
    response = organizer_client.get(url)
    counts = response.context["counts"]
    assert (counts.coming, counts.not_coming, counts.no_answer, counts.people) == (2, 1, 2, 30)
    assert [(i.organisation, i.people) for i in response.context["classes"]] == [
        (f"Lycée ; {cast.finalist.school.name} — Les mains de l'usine", 28),
        (f"{cast.other_finalist.school.name} — Acier", 0),
    ]
    response = organizer_client.get(url, {"answer": Answer.YES})
    assert [i.name for i in response.context["invitations"]] == ["Claire Girard", "Mme la Maire"]
    response = organizer_client.get(url, {"kind": K.GUEST})
    assert [i.name for i in response.context["invitations"]] == ["Claire Girard", "Mme la Maire"]
    response = organizer_client.get(url, {"kind": K.JUROR, "answer": Answer.PENDING})
    assert [i.name for i in response.context["invitations"]] == ["Marc Petit"]


@pytest.mark.parametrize("count", [1, 6])
def test_list_queries_do_not_grow_with_invitations(edition, organizer, organizer_client, count):
    add_guests(
        edition=edition,
        organizer=organizer,
        guests=[Guest(f"G{n}", f"g{n}@example.org") for n in range(count)],
    )
    url = reverse("judging:ceremony_invitations", args=[edition.pk])
    count_queries(organizer_client, url)  # warm the session
    # 13: one to know whether the finalists may be invited yet (the announcement).
    assert count_queries(organizer_client, url) == 13


def test_the_csv_guards_a_formula_like_name(edition, organizer, organizer_client):
    add_guests(
        edition=edition,
        organizer=organizer,
        guests=[Guest('=HYPERLINK("http://evil.example")', "evil@example.org", "@Corp")],
    )
    record_answer(invitation=CeremonyInvitation.objects.get(), coming=True, people=2, note="+1")
    response = organizer_client.get(reverse("judging:ceremony_csv", args=[edition.pk]))
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Adresse e-mail", "Organisation ou classe"]
    assert rows[1][:7] == [
        '\'=HYPERLINK("http://evil.example")',
        "evil@example.org",
        "'@Corp",
        "Invité",
        "À envoyer",
        "Vient",
        "2",
    ]
    assert rows[1][8] == "'+1"


def test_the_sign_in_sheet_lists_who_comes_by_name(
    edition, organizer, organizer_client, monkeypatch
):
    # The PDF core font, whose text the test can read (a TrueType font stores glyph ids).
    monkeypatch.setattr(pdf, "font_files", lambda: None)
    guests = [Guest(f"Zoé Invitée {n:02d}", f"z{n}@example.org", "CCI") for n in range(40)]
    guests += [Guest("Albert Premier", "a@example.org"), Guest("Bernard Absent", "b@example.org")]
    guests += [Guest("Émilie Cuenot", "e@example.org")]
    add_guests(edition=edition, organizer=organizer, guests=guests)
    for invitation in CeremonyInvitation.objects.exclude(name="Bernard Absent"):
        record_answer(invitation=invitation, coming=True, people=3)
    record_answer(
        invitation=CeremonyInvitation.objects.get(name="Bernard Absent"), coming=False, people=None
    )
    response = organizer_client.get(reverse("judging:ceremony_sign_in", args=[edition.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    pages = len(re.findall(rb"/Type /Page\b", response.content))
    assert pages >= 2
    assert text.count("(Signature)") == pages  # the table's header on every page
    assert (
        text.index("Albert Premier")
        < text.index("milie Cuenot")  # É is a byte of its own in the PDF's Windows-1252
        < text.index("Zoé Invitée 00")
        < text.index("Invitée 39")
    )
    assert "Bernard Absent" not in text


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("ceremony_invitations", "edition"),
        ("ceremony_guests", "edition"),
        ("ceremony_guest_list", "edition"),
        ("ceremony_send", "edition"),
        ("ceremony_resume", "edition"),
        ("ceremony_csv", "edition"),
        ("ceremony_sign_in", "edition"),
        ("ceremony_resend", "invitation"),
    ],
)
def test_strangers_get_a_404(client, edition, organizer, other_organizer, teacher, juror, name,
                             kwargs):  # fmt: skip
    add_guests(edition=edition, organizer=organizer, guests=[Guest("A", "a@example.org")])
    pk = edition.pk if kwargs == "edition" else CeremonyInvitation.objects.get().pk
    url = reverse(f"judging:{name}", args=[pk])
    for user in (other_organizer, teacher, juror):
        login(client, user)
        assert client.get(url).status_code in (404, 405)
        assert client.post(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_menu_opens_the_current_editions_invitations(organizer_client, edition):
    response = organizer_client.get(reverse("judging:ceremony_current"))
    assert response["Location"] == reverse("judging:ceremony_invitations", args=[edition.pk])
    page = organizer_client.get(response["Location"])
    assert 'aria-current="true" class="current">Remise des prix' in page.text


def test_a_draft_film_is_not_invited(cast, edition):
    sync_invitations(edition=edition)
    assert not CeremonyInvitation.objects.filter(email=cast.draft.teacher.email.lower()).exists()
