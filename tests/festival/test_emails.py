"""Every email the domain sends has a template, with a subject line and absolute links."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from festival import emails
from festival.domain.accounts import register_teacher
from festival.domain.films import STATUS_EMAILS
from festival.enums import Role
from tests import factories

SITE = "https://filmit.example.org"
LINK_RE = re.compile(r"https?://\S+")
EMAIL_DIR = Path(django_settings.BASE_DIR) / "templates" / "emails"
APPS = ("festival", "media_pipeline", "judging")


# template="name", or template="name" if condition else "other"
TEMPLATE_ARG_RE = re.compile(r'template=("\w+"(?:\s+if\s+\w+\s+else\s+"\w+")?)')


def templates_sent() -> set[str]:
    names = {str(name) for name in STATUS_EMAILS.values()}
    sources = [
        path for app in APPS for path in (Path(django_settings.BASE_DIR) / app).rglob("*.py")
    ]
    for source in sources:
        for argument in TEMPLATE_ARG_RE.findall(source.read_text()):
            names.update(re.findall(r'"(\w+)"', argument))
    return names


def test_every_email_sent_has_a_template_and_every_template_is_sent():
    templates = {path.stem for path in EMAIL_DIR.glob("*.txt")}
    assert sorted(templates_sent()) == sorted(templates)


@pytest.fixture
def cast(settings, teacher, organizer, category):
    settings.SITE_URL = SITE
    film = factories.make_film(teacher=teacher, category=category, title="L'atelier de Léa")
    return {
        "teacher": teacher,
        "organizer": organizer,
        "festival": category.edition.festival,
        "film": film,
        "consent": factories.make_consent(film),
    }


def film_url(name, film):
    return SITE + reverse(name, args=[film.pk])


# name -> (context builder, French subject, expected links)
CASES = {
    "film_submitted": (
        lambda c: {"film": c["film"], "user": c["teacher"]},
        "FILM'IT : votre film « L'atelier de Léa » est déposé",
        lambda c: [film_url("festival:teacher_film", c["film"])],
    ),
    "film_submitted_organizers": (
        lambda c: {"film": c["film"]},
        "FILM'IT : nouveau film déposé, « L'atelier de Léa »",
        lambda c: [film_url("festival:organizer_film", c["film"])],
    ),
    "film_accepted": (
        lambda c: {"film": c["film"], "user": c["teacher"], "reason": ""},
        "FILM'IT : votre film « L'atelier de Léa » est accepté",
        lambda c: [film_url("festival:teacher_film", c["film"])],
    ),
    "film_needs_changes": (
        lambda c: {"film": c["film"], "user": c["teacher"], "reason": "Il manque le générique."},
        "FILM'IT : votre film « L'atelier de Léa » est à compléter",
        lambda c: [film_url("festival:teacher_film", c["film"])],
    ),
    "film_rejected": (
        lambda c: {"film": c["film"], "user": c["teacher"], "reason": "Hors sujet."},
        "FILM'IT : votre film « L'atelier de Léa » n'est pas retenu",
        lambda c: [film_url("festival:teacher_film", c["film"])],
    ),
    "consent_refused": (
        lambda c: {
            "film": c["film"],
            "consent": c["consent"],
            "user": c["teacher"],
            "reason": "Signature manquante.",
        },
        "FILM'IT : une autorisation de droit à l'image est refusée (« L'atelier de Léa »)",
        lambda c: [film_url("festival:teacher_film", c["film"])],
    ),
    "teacher_registered": (
        lambda c: {"user": c["teacher"], "festival": c["film"].edition.festival},
        "FILM'IT : votre inscription est enregistrée",
        lambda c: [SITE + reverse("festival:login")],
    ),
    "teacher_registered_organizers": (
        lambda c: {"teacher": c["teacher"], "festival": c["film"].edition.festival},
        "FILM'IT Franche-Comté : nouvelle inscription à valider (Claire Girard)",
        lambda c: [SITE + reverse("festival:organizer_teachers")],
    ),
    "teacher_approved": (
        lambda c: {"user": c["teacher"], "reason": "", "festival": c["film"].edition.festival},
        "FILM'IT : votre compte est validé",
        lambda c: [SITE + reverse("festival:teacher_dashboard")],
    ),
    "teacher_refused": (
        lambda c: {
            "user": c["teacher"],
            "reason": "Adresse personnelle.",
            "festival": c["festival"],
        },
        "FILM'IT : votre inscription n'est pas validée",
        lambda c: [SITE + reverse("public:home")],
    ),
    "invitation": (
        lambda c: {
            "user": c["teacher"],
            "festival": c["festival"],
            "role": Role.JUROR.label,
            "link": "/compte/mot-de-passe/MQ/abc-123/",
            "valid_days": 14,
            "invited_by": c["organizer"],
        },
        "FILM'IT : invitation à rejoindre FILM'IT Franche-Comté",
        lambda c: [
            SITE + "/compte/mot-de-passe/MQ/abc-123/",
            SITE + reverse("festival:password_reset"),
        ],
    ),
    "membership_added": (
        lambda c: {
            "user": c["teacher"],
            "festival": c["festival"],
            "role": Role.JUROR.label,
            "invited_by": c["organizer"],
        },
        "FILM'IT : vous rejoignez FILM'IT Franche-Comté",
        lambda c: [SITE + reverse("festival:login")],
    ),
    "password_reset": (
        lambda c: {
            "user": c["teacher"],
            "link": "/compte/mot-de-passe/MQ/abc-123/",
            "valid_days": 1,
        },
        "FILM'IT : choisir un nouveau mot de passe",
        lambda c: [SITE + "/compte/mot-de-passe/MQ/abc-123/"],
    ),
}


def send(template, context, language, mailoutbox, capture):
    with capture(execute=True):
        emails.send_templated(
            template=template, to=["claire@example.org"], context=context, language=language
        )
    assert len(mailoutbox) == 1
    return mailoutbox[0]


@pytest.mark.parametrize("template", sorted(CASES))
def test_email_in_french(template, cast, mailoutbox, django_capture_on_commit_callbacks):
    build, subject, links = CASES[template]
    message = send(template, build(cast), "fr", mailoutbox, django_capture_on_commit_callbacks)
    assert message.subject == subject
    assert LINK_RE.findall(message.body) == links(cast)
    assert message.to == ["claire@example.org"]
    # Plain text: nothing is HTML-escaped.
    assert re.findall(r"&#?\w+;", message.subject + message.body) == []


@pytest.mark.parametrize("template", sorted(CASES))
def test_email_in_english(template, cast, mailoutbox, django_capture_on_commit_callbacks):
    build, _subject, links = CASES[template]
    message = send(template, build(cast), "en", mailoutbox, django_capture_on_commit_callbacks)
    assert message.subject.strip() == message.subject
    assert len(message.subject) > len("FILM'IT")
    assert LINK_RE.findall(message.body) == links(cast)


def test_reason_and_contact_appear_in_the_rejection(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    festival = cast["festival"]
    festival.contact_email = "filmit@uimm-fc.example.org"
    festival.save()
    film = cast["film"]
    film.edition.festival = festival
    message = send(
        "film_rejected",
        {"film": film, "user": cast["teacher"], "reason": "Le film dure 9 minutes."},
        "fr",
        mailoutbox,
        django_capture_on_commit_callbacks,
    )
    paragraphs = message.body.split("\n\n")
    assert paragraphs[2:4] == [
        "Le film dure 9 minutes.",
        "Pour toute question, écrivez à filmit@uimm-fc.example.org.",
    ]


def test_invitation_without_inviter(cast, mailoutbox, django_capture_on_commit_callbacks):
    build, _subject, _links = CASES["invitation"]
    context = {**build(cast), "invited_by": None}
    message = send("invitation", context, "fr", mailoutbox, django_capture_on_commit_callbacks)
    assert message.body.split("\n\n")[1] == (
        "L'organisation du festival FILM'IT Franche-Comté vous invite à rejoindre sa "
        "plateforme, en tant que juré."
    )


def test_link_validity_is_plural_aware(cast, mailoutbox, django_capture_on_commit_callbacks):
    build, _subject, _links = CASES["password_reset"]
    message = send(
        "password_reset", build(cast), "fr", mailoutbox, django_capture_on_commit_callbacks
    )
    assert message.body.split("\n\n")[2] == "Ce lien ne sert qu'une fois et expire dans 1 jour."


def test_organizers_are_written_to_each_in_their_language(
    festival, mailoutbox, django_capture_on_commit_callbacks
):
    french = factories.make_organizer(festival, language="fr")
    english = factories.make_organizer(festival, language="en")
    factories.make_organizer(factories.make_festival(), language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        register_teacher(
            email="lea.bernard@example.org",
            password="un-mot-de-passe-solide-2027",
            first_name="Léa",
            last_name="Bernard",
            school=factories.make_school(),
            festival=festival,
        )
    to_organizers = {
        tuple(message.to): message.subject
        for message in mailoutbox
        if message.to != ["lea.bernard@example.org"]
    }
    assert to_organizers == {
        (english.email,): f"{festival.name}: new registration to approve (Léa Bernard)",
        (french.email,): f"{festival.name} : nouvelle inscription à valider (Léa Bernard)",
    }
