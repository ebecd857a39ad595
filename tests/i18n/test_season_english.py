"""The season's second half in English: every page, email and file an English-speaking user gets
(pre-selection and finalists, national finals, the ceremony and its answers and lists, the
scheduled palmarès, the impact report, privacy pages, a school's data, retention) keeps no French
text but the user data the test chose.

The check strips tags, then every text value stored in the database (names, titles, places: the
data, not the wording), then the few French words English keeps (palmarès, académie…), and looks
for French giveaways in what is left."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from festival import emails, pdf
from festival.domain.ceremony import open_ceremony, save_ceremony
from festival.domain.transfers import offer_film
from festival.enums import Academie, FilmStatus
from festival.models import FilmEvent
from judging.domain.ceremony_invitations import (
    Guest,
    add_guests,
    build_message,
    record_answer,
    sync_invitations,
)
from judging.domain.scheduled_publication import publish_scheduled, schedule_publication
from judging.domain.selection import announce_now, choose_finalists
from judging.models_ceremony import CeremonyInvitation
from tests import factories
from tests.festival.factories_schooldata import school_world
from tests.festival.factories_transfer import make_journey
from tests.festival.test_consent_kit import pdf_text
from tests.judging.factories_selection import make_round, make_selection
from tests.public.test_impact import build_edition

pytestmark = pytest.mark.django_db

GIVEAWAYS = (" le ", " la ", " les ", " des ", " du ", "é", "è", "à ", "ç", " est ", " vous ")
GIVEAWAYS += (" votre ",)
# French words the English wording keeps on purpose (the festival's own terms, proper nouns).
KEPT = (
    "Palmarès",
    "palmarès",
    "Académie",
    "académies",
    "académie",
    "collège",
    "lycée",
    "baccalauréat",
    "Commission nationale de l'informatique et des libertés",
    "Français",
    "Besançon",
    "Franche-Comté",
    "Théâtre Ledoux",
    "Léa",
)
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def stored_texts() -> list[str]:
    """Every text value of every row: the user data a page may show as it was typed."""
    values = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value and len(value) > 1:
                    values.add(value)
                    values.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(values, key=len, reverse=True)


def french_left(text: str, data: list[str]) -> list[str]:
    """The snippets of `text` where French remains, once tags, data and kept words are gone."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    academies = [str(academie.label) for academie in Academie]  # place names
    for value in sorted([*data, *KEPT, *academies], key=len, reverse=True):
        text = text.replace(value, " ")
    text = " " + re.sub(r"\s+", " ", text) + " "
    found = []
    for word in GIVEAWAYS:
        for match in re.finditer(re.escape(word), text):
            found.append(text[max(0, match.start() - 50) : match.end() + 50].strip())
    return sorted(set(found))


def english_client(user=None) -> Client:
    client = Client(**ENGLISH)
    if user is not None:
        if user.language != "en":
            user.language = "en"
            user.save(update_fields=["language"])
        client.force_login(user)
    return client


def response_text(response) -> str:
    body = b"".join(response) if response.streaming else response.content
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(body)
    if response["Content-Type"].startswith("text/calendar"):
        # The product identifier is a name for software, not text for people.
        return re.sub(r"^PRODID:.*$", "", body.decode(), flags=re.M)
    return body.decode("utf-8-sig")


def check_pages(client: Client, urls: list[str]) -> dict[str, list[str]]:
    """{url: French snippets} for the pages that keep French (all of them must answer 200)."""
    data = stored_texts()
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if left := french_left(response_text(response), data):
            problems[url] = left
    return problems


def check_post(client: Client, url: str, answers: dict) -> dict[str, list[str]]:
    """The page a POST shows (a check page, form errors, or where it leads, with its message)."""
    response = client.post(url, answers, follow=True)
    assert response.status_code in (200, 400), url
    left = french_left(response_text(response), stored_texts())
    return {f"POST {url}": left} if left else {}


def report(problems: dict[str, list[str]]) -> str:
    lines = (f"{where}: {snippet!r}" for where, left in problems.items() for snippet in left)
    return "\n".join(lines)


def render_email(template: str, context: dict, user=None) -> str:
    if user is not None:
        context = {**context, "user": user}
    subject, body = emails.render_templated(template=template, context=context, language="en")
    return f"{subject}\n{body}"


@pytest.fixture(autouse=True)
def _readable_pdf(monkeypatch):
    monkeypatch.setattr(pdf, "font_files", lambda: None)  # the core font: its text is readable


def test_preselection_pages_and_finalists_emails(edition, category, organizer):
    selection = make_selection(edition, category)
    selection_round = make_round(edition)
    organizer_client = english_client(organizer)
    problems = check_pages(
        organizer_client,
        [
            reverse("judging:selection_settings", args=[edition.pk]),
            reverse("judging:selection_ranking", args=[edition.pk]),
        ],
    )
    problems |= check_post(
        organizer_client,
        reverse("judging:selection_settings", args=[edition.pk]),
        {"enabled": "on", "finalists_per_category": "none"},
    )
    problems |= check_post(
        organizer_client, reverse("judging:selection_ranking", args=[edition.pk]), {}
    )
    choose_finalists(selection_round=selection_round, films=selection.films[:2], user=organizer)
    problems |= check_pages(
        organizer_client, [reverse("judging:selection_check", args=[edition.pk])]
    )
    announce_now(selection_round=selection_round, user=organizer)
    problems |= check_pages(
        Client(**ENGLISH),
        [reverse("public:finalists", args=[edition.festival.slug, edition.year])],
    )
    problems |= check_pages(
        organizer_client,
        [
            reverse("judging:selection_settings", args=[edition.pk]),
            reverse("judging:selection_ranking", args=[edition.pk]),
            reverse("festival:organizer_dashboard"),
            reverse("festival:organizer_films"),
            reverse("festival:organizer_film", args=[selection.films[0].pk]),
            reverse("festival:organizer_edition", args=[edition.pk]),
        ],
    )
    for film in (selection.films[0], selection.films[3]):
        problems |= check_pages(
            english_client(film.teacher),
            [
                reverse("festival:teacher_film", args=[film.pk]),
                reverse("festival:teacher_dashboard"),
            ],
        )
    film = selection.films[0]
    data = stored_texts()
    for template in ("selection_finalist", "selection_thanks"):
        text = render_email(template, {"film": film, "edition": edition}, user=film.teacher)
        if left := french_left(text, data):
            problems[template] = left
    assert problems == {}, report(problems)


def test_national_final_pages_and_emails():
    journey = make_journey(media=False)
    region = english_client(journey.region_organizer)
    final = english_client(journey.final_organizer)
    offer_url = reverse("festival:organizer_transfer_offer", args=[journey.film.pk])
    problems = check_pages(region, [reverse("festival:organizer_transfers"), offer_url])
    problems |= check_post(region, offer_url, {"edition": journey.final_edition.pk})
    problems |= check_post(region, offer_url, {})  # errors listed
    transfer = offer_film(
        film=journey.film,
        target_edition=journey.final_edition,
        user=journey.region_organizer,
        message="Well done",
    )
    withdraw_url = reverse("festival:organizer_transfer_withdraw", args=[transfer.pk])
    problems |= check_post(region, withdraw_url, {})  # its check page
    problems |= check_pages(
        region,
        [
            reverse("festival:organizer_transfers"),
            reverse("festival:organizer_film", args=[journey.film.pk]),
        ],
    )
    accept_url = reverse("festival:organizer_transfer_accept", args=[transfer.pk])
    decline_url = reverse("festival:organizer_transfer_decline", args=[transfer.pk])
    problems |= check_pages(
        final,
        [
            reverse("festival:organizer_transfers"),
            reverse("festival:organizer_transfer", args=[transfer.pk]),
            accept_url,
            decline_url,
        ],
    )
    problems |= check_post(final, accept_url, {})  # errors listed
    problems |= check_post(final, accept_url, {"category": journey.final_category.pk})
    problems |= check_post(final, decline_url, {})  # errors listed
    problems |= check_post(final, decline_url, {"reason": "Too long"})  # declined
    transfer.refresh_from_db()
    problems |= check_pages(
        region,
        [
            reverse("festival:organizer_transfers"),
            reverse("festival:organizer_film", args=[journey.film.pk]),
        ],
    )
    problems |= check_pages(
        english_client(journey.teacher), [reverse("festival:teacher_film", args=[journey.film.pk])]
    )
    data = stored_texts()
    context = {"film": journey.film, "transfer": transfer, "forwarded": journey.film}
    for template in (
        "transfer_offered",
        "transfer_accepted",
        "transfer_accepted_teacher",
        "transfer_withdrawn",
        "transfer_declined",
    ):
        text = render_email(template, context, user=journey.teacher)
        if left := french_left(text, data):
            problems[template] = left
    assert problems == {}, report(problems)


def test_ceremony_pages_lists_invitation_and_answer(
    edition, category, teacher, juror, organizer, settings
):
    factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.ACCEPTED, title="Gear Story"
    )
    ceremony = save_ceremony(
        edition=edition,
        organizer=organizer,
        ceremony_at=edition.ceremony_at,
        place="North Hall",
        address="1 Main Street",
    )
    add_guests(
        edition=edition,
        organizer=organizer,
        guests=[Guest("Ann Smith", "ann@example.org", "North Council", language="en")],
    )
    sync_invitations(edition=edition)
    guest = CeremonyInvitation.objects.get(email="ann@example.org")
    organizer_client = english_client(organizer)
    problems = check_pages(
        organizer_client,
        [
            reverse("festival:organizer_edition_ceremony", args=[edition.pk]),
            reverse("judging:ceremony_invitations", args=[edition.pk]),
            reverse("judging:ceremony_guests", args=[edition.pk]),
            reverse("judging:ceremony_send", args=[edition.pk]),
        ],
    )
    ceremony_url = reverse("festival:organizer_edition_ceremony", args=[edition.pk])
    problems |= check_post(organizer_client, ceremony_url, {"ceremony_at": "soon"})
    problems |= check_post(
        organizer_client,
        reverse("judging:ceremony_guests", args=[edition.pk]),
        {"name": "", "email": "not an address"},
    )
    problems |= check_post(
        organizer_client,
        reverse("judging:ceremony_guest_list", args=[edition.pk]),
        {"lines": "Bob Jones; not an address"},
    )
    send_url = reverse("judging:ceremony_send", args=[edition.pk])
    problems |= check_post(organizer_client, send_url, {})
    open_ceremony(ceremony=ceremony, organizer=organizer)
    public = Client(**ENGLISH)
    problems |= check_pages(
        public,
        [
            reverse("public:ceremony", args=[edition.festival.slug, edition.year]),
            reverse("public:ceremony_answer", args=[guest.token]),
            reverse("public:festival", args=[edition.festival.slug]),
            reverse("public:edition_calendar", args=[edition.festival.slug, edition.year]),
        ],
    )
    answer_url = reverse("public:ceremony_answer", args=[guest.token])
    problems |= check_post(public, answer_url, {"coming": "yes", "people": "many"})
    problems |= check_post(public, answer_url, {"coming": "yes", "people": "99"})
    record_answer(invitation=guest, coming=True, people=2, note="")
    problems |= check_pages(
        public,
        [
            reverse("public:ceremony_answered", args=[guest.token]),
            reverse("public:ceremony_calendar", args=[guest.token]),
        ],
    )
    problems |= check_pages(
        organizer_client,
        [
            reverse("judging:ceremony_csv", args=[edition.pk]),
            reverse("judging:ceremony_sign_in", args=[edition.pk]),
        ],
    )
    message = build_message(guest)
    if left := french_left(f"{message.subject}\n{message.body}", stored_texts()):
        problems["ceremony_invitation"] = left
    assert problems == {}, report(problems)


def test_the_ceremony_csv_header_is_english(edition, organizer):
    response = english_client(organizer).get(reverse("judging:ceremony_csv", args=[edition.pk]))
    header = next(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig")), delimiter=";"))
    assert header == [
        "Name",
        "Email address",
        "Organisation or class",
        "Invited as",
        "Sending",
        "Response",
        "People",
        "Answered on",
        "Message",
    ]


def test_a_failed_scheduled_palmares_is_explained_in_english(edition, organizer, settings):
    organizer.language = "en"
    organizer.save(update_fields=["language"])
    scheduled = schedule_publication(
        edition=edition, user=organizer, publish_at=timezone.now() + timedelta(hours=1)
    )
    problems = check_pages(
        english_client(organizer), [reverse("judging:awards_schedule", args=[edition.pk])]
    )
    schedule_url = reverse("judging:awards_schedule", args=[edition.pk])
    problems |= check_post(english_client(organizer), schedule_url, {"publish_at": "tomorrow"})
    problems |= check_post(
        english_client(organizer), schedule_url, {"publish_at": "2001-01-01T10:00"}
    )
    mail.outbox.clear()
    # The worker runs in the installation's language: the failure is recorded in French.
    with translation.override("fr"):
        publish_scheduled(scheduled_id=scheduled.pk, now=scheduled.publish_at + timedelta(hours=1))
    scheduled.refresh_from_db()
    data = [value for value in stored_texts() if value != scheduled.error]
    text = render_email("palmares_schedule_failed", {"edition": edition, "scheduled": scheduled})
    if left := french_left(text, data):
        problems["palmares_schedule_failed"] = left
    response = english_client(organizer).get(reverse("judging:awards_schedule", args=[edition.pk]))
    if left := french_left(response.content.decode(), data):
        problems["awards_schedule (failed)"] = left
    assert problems == {}, report(problems)


def test_impact_report_page_csv_pdf_and_the_installations(festival, organizer):
    build_edition(festival, 2025, films=2)
    problems = check_pages(
        english_client(organizer),
        [reverse("public:impact"), reverse("public:impact_csv"), reverse("public:impact_pdf")],
    )
    operator = factories.make_user(is_superuser=True, is_staff=True)
    problems |= check_pages(
        english_client(operator),
        [
            reverse("public:platform_impact"),
            reverse("public:platform_impact_csv"),
            reverse("public:platform_impact_pdf"),
        ],
    )
    assert problems == {}, report(problems)


def test_privacy_pages_with_their_default_texts(festival, organizer):
    problems = check_pages(
        Client(**ENGLISH),
        [
            reverse("public:privacy"),
            reverse("public:legal_notice"),
            reverse("public:festival_privacy", args=[festival.slug]),
            reverse("public:festival_legal_notice", args=[festival.slug]),
        ],
    )
    problems |= check_pages(english_client(organizer), [reverse("festival:organizer_legal_texts")])
    assert problems == {}, report(problems)


def test_school_data_pages_and_emails():
    world = school_world()
    client = english_client(world.organizer)
    problems = check_pages(
        client,
        [
            reverse("festival:organizer_schools"),
            reverse("festival:organizer_school", args=[world.school.pk]),
            reverse("festival:organizer_school_erasure", args=[world.school.pk]),
        ],
    )
    erasure_url = reverse("festival:organizer_school_erasure", args=[world.school.pk])
    answers = {"asked_by": "Ann Smith", "asked_on": "2026-12-01", "keep_published": "no"}
    problems |= check_post(client, erasure_url, {})  # errors listed
    problems |= check_post(client, erasure_url, answers)  # check your answers
    data = stored_texts()
    context = {"school": world.school, "festival": world.festival, "organizer": world.organizer}
    for template in ("school_data_exported", "school_data_erased"):
        text = render_email(template, context, user=world.teacher)
        if left := french_left(text, data):
            problems[template] = left
    erase_url = reverse("festival:organizer_school_erase", args=[world.school.pk])
    problems |= check_post(client, erase_url, answers)  # the school's page, with its message
    withdrawal = FilmEvent.objects.filter(film=world.accepted).latest("pk")
    assert withdrawal.reason == "Data erased at the school's request."
    assert problems == {}, report(problems)


def test_the_retention_report_email(film, edition, organizer, django_capture_on_commit_callbacks):
    from media_pipeline.retention import apply_retention

    organizer.language = "en"
    organizer.save(update_fields=["language"])
    factories.make_consent(film)
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(now=edition.ceremony_at + timedelta(days=400))
    [message] = mail.outbox
    assert french_left(f"{message.subject}\n{message.body}", stored_texts()) == []


def test_a_schools_export_is_french_through_even_for_an_english_organizer():
    """The archive goes to a French school, like the consent form its parents signed: its
    labels (statuses, kinds) are French too, not the organizer's language mixed in."""
    import zipfile

    world = school_world()
    response = english_client(world.organizer).post(
        reverse("festival:organizer_school_export", args=[world.school.pk])
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    films = archive.read("films.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(films), delimiter=";"))
    assert rows[0][:5] == ["id", "titre", "édition", "catégorie", "statut"]
    assert sorted(row[4] for row in rows[1:]) == ["Accepté", "Accepté"]


def test_the_check_finds_french_in_the_french_pages(festival):
    """The check means something: the same page in French is caught."""
    response = Client().get(reverse("public:festival_privacy", args=[festival.slug]))
    assert len(french_left(response.content.decode(), stored_texts())) > 10
