"""Films: creation, edits, submission and the status workflow."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from festival.domain import DomainError
from festival.domain.companies import register_company
from festival.domain.films import (
    TRANSITIONS,
    allowed_transitions,
    create_film,
    missing_for_submission,
    set_film_status,
    submit_film,
    update_film,
    withdraw_film,
)
from festival.enums import ConsentStatus, FilmStatus
from festival.models import Company, Film, FilmEvent
from tests import factories

DRAFT = FilmStatus.DRAFT
SUBMITTED = FilmStatus.SUBMITTED
NEEDS_CHANGES = FilmStatus.NEEDS_CHANGES
ACCEPTED = FilmStatus.ACCEPTED
REJECTED = FilmStatus.REJECTED
WITHDRAWN = FilmStatus.WITHDRAWN

# The workflow as the festival runs it, written out independently of the code.
EXPECTED_TRANSITIONS = {
    (DRAFT, SUBMITTED): {"teacher"},
    (NEEDS_CHANGES, SUBMITTED): {"teacher"},
    (SUBMITTED, ACCEPTED): {"organizer"},
    (SUBMITTED, NEEDS_CHANGES): {"organizer"},
    (SUBMITTED, REJECTED): {"organizer"},
    (ACCEPTED, NEEDS_CHANGES): {"organizer"},
    (ACCEPTED, REJECTED): {"organizer"},
    (REJECTED, SUBMITTED): {"organizer"},
    (DRAFT, WITHDRAWN): {"teacher", "organizer"},
    (SUBMITTED, WITHDRAWN): {"teacher", "organizer"},
    (NEEDS_CHANGES, WITHDRAWN): {"teacher", "organizer"},
    (ACCEPTED, WITHDRAWN): {"teacher", "organizer"},
    (WITHDRAWN, DRAFT): {"teacher", "organizer"},
}
ALL_MOVES = [(src, dst) for src in FilmStatus for dst in FilmStatus if src != dst]
STATUS_EMAILS = {
    ACCEPTED: "film_accepted",
    NEEDS_CHANGES: "film_needs_changes",
    REJECTED: "film_rejected",
}
REASON = "Le son est inaudible après la deuxième minute."


def video_file(name="montage final.mp4", content=None):
    return SimpleUploadedFile(name, factories.tiny_video_bytes() if content is None else content)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_transitions_are_the_festival_workflow():
    assert TRANSITIONS == EXPECTED_TRANSITIONS


@pytest.mark.parametrize("actor_name", ["teacher", "organizer"])
@pytest.mark.parametrize(("src", "dst"), ALL_MOVES)
def test_each_move_is_allowed_only_to_its_actors(
    request,
    src,
    dst,
    actor_name,
    teacher,
    category,
    sent_emails,
    django_capture_on_commit_callbacks,
):
    actor = request.getfixturevalue(actor_name)
    film = factories.make_film(teacher=teacher, category=category, status=src)
    allowed = actor_name in EXPECTED_TRANSITIONS.get((src, dst), set())

    if not allowed:
        with pytest.raises(DomainError) as excinfo:
            set_film_status(film=film, to=dst, actor=actor, reason=REASON)
        assert excinfo.value.code == "transition"
        assert excinfo.value.messages == [
            f"Impossible de passer ce film de « {src.label} » à « {dst.label} »."
        ]
        film.refresh_from_db()
        assert film.status == src
        assert FilmEvent.objects.filter(film=film).count() == 0
        assert sent_emails == []
        return

    with django_capture_on_commit_callbacks(execute=True):
        set_film_status(film=film, to=dst, actor=actor, reason=REASON)
    film.refresh_from_db()
    assert film.status == dst
    assert film.status_reason == REASON
    event = FilmEvent.objects.get(film=film)
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        actor,
        src,
        dst,
        REASON,
    )
    expected = [(STATUS_EMAILS[dst], [teacher.email])] if dst in STATUS_EMAILS else []
    assert sent_emails == expected


@pytest.mark.parametrize("stranger_name", ["other_teacher", "other_organizer", "juror"])
@pytest.mark.parametrize(("src", "dst"), sorted(EXPECTED_TRANSITIONS))
def test_strangers_move_nothing(request, src, dst, stranger_name, film):
    stranger = request.getfixturevalue(stranger_name)
    Film.objects.filter(pk=film.pk).update(status=src)
    film.refresh_from_db()

    with pytest.raises(DomainError) as excinfo:
        set_film_status(film=film, to=dst, actor=stranger, reason=REASON)

    assert excinfo.value.code == "transition"
    film.refresh_from_db()
    assert film.status == src


def test_pending_teacher_cannot_move_their_own_film(pending_teacher, category):
    film = factories.make_film(teacher=pending_teacher, category=category)
    with pytest.raises(DomainError) as excinfo:
        set_film_status(film=film, to=WITHDRAWN, actor=pending_teacher)
    assert excinfo.value.code == "transition"


def test_allowed_transitions_per_actor(film, teacher, organizer, other_teacher):
    assert allowed_transitions(film=film, user=teacher) == [SUBMITTED, WITHDRAWN]
    assert allowed_transitions(film=film, user=organizer) == [WITHDRAWN]
    assert allowed_transitions(film=film, user=other_teacher) == []


@pytest.mark.parametrize("dst", [NEEDS_CHANGES, REJECTED])
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_sending_back_or_rejecting_needs_a_reason(
    dst,
    reason,
    teacher,
    category,
    organizer,
    sent_emails,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    film = factories.make_film(teacher=teacher, category=category, status=SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError) as excinfo:
            set_film_status(film=film, to=dst, actor=organizer, reason=reason)

    assert excinfo.value.code == "reason_required"
    assert excinfo.value.messages == ["Indiquez un motif : l'enseignant le recevra par e-mail."]
    film.refresh_from_db()
    assert film.status == SUBMITTED
    assert FilmEvent.objects.filter(film=film).count() == 0
    assert mailoutbox == []


def test_status_email_is_sent_only_after_commit(
    teacher, category, organizer, sent_emails, django_capture_on_commit_callbacks, mailoutbox
):
    film = factories.make_film(teacher=teacher, category=category, status=SUBMITTED)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        set_film_status(film=film, to=NEEDS_CHANGES, actor=organizer, reason=REASON)
    assert mailoutbox == []

    for callback in callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [[teacher.email]]


def test_submission_date_is_set_on_submission_and_kept_after(
    teacher, category, organizer, sent_emails
):
    film = factories.make_film(teacher=teacher, category=category, status=REJECTED)
    set_film_status(film=film, to=SUBMITTED, actor=organizer)
    film.refresh_from_db()
    submitted_at = film.submitted_at
    assert submitted_at is not None

    set_film_status(film=film, to=ACCEPTED, actor=organizer)
    film.refresh_from_db()
    assert film.submitted_at == submitted_at


# Submission.


def test_submit_complete_film(
    complete_film,
    teacher,
    organizer,
    other_organizer,
    sent_emails,
    django_capture_on_commit_callbacks,
):
    factories.make_organizer(  # inactive: no email
        organizer.festival, is_active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_film(film=complete_film, user=teacher)

    complete_film.refresh_from_db()
    assert complete_film.status == SUBMITTED
    assert complete_film.submitted_at is not None
    event = FilmEvent.objects.get(film=complete_film)
    assert (event.from_status, event.to_status, event.actor) == (DRAFT, SUBMITTED, teacher)
    assert sent_emails == [
        ("film_submitted", [teacher.email]),
        ("film_submitted_organizers", [organizer.email]),
    ]


def test_submission_emails_leave_after_commit(
    complete_film, teacher, organizer, sent_emails, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_film(film=complete_film, user=teacher)

    assert [message.to for message in mailoutbox] == [[teacher.email], [organizer.email]]


def test_incomplete_film_lists_everything_missing(film, teacher, sent_emails):
    with pytest.raises(DomainError) as excinfo:
        submit_film(film=film, user=teacher)

    assert excinfo.value.code == "incomplete"
    assert excinfo.value.messages == [
        "Il manque encore : un synopsis, l'entreprise partenaire, au moins un métier présenté, "
        "le nombre d'élèves, le nombre d'élèves à l'écran, la vidéo du film, "
        "les autorisations de droit à l'image, "
        "la déclaration des droits (musique et contenus de tiers)."
    ]
    film.refresh_from_db()
    assert film.status == DRAFT
    assert sent_emails == []


def test_refused_consents_do_not_count(complete_film, teacher):
    complete_film.consents.update(status=ConsentStatus.REFUSED)

    with pytest.raises(DomainError) as excinfo:
        submit_film(film=complete_film, user=teacher)

    assert excinfo.value.messages == ["Il manque encore : les autorisations de droit à l'image."]


def test_missing_for_submission_of_a_complete_film(complete_film):
    assert missing_for_submission(complete_film) == []


def test_submission_before_the_window_opens(teacher, festival, sent_emails):
    edition = factories.make_edition(
        festival,
        submissions_open_at=utc(2099, 3, 1, 9, 0),
        submissions_close_at=utc(2099, 4, 1, 9, 0),
    )
    film = factories.make_film(
        teacher=teacher, category=factories.make_category(edition), complete=True
    )

    with pytest.raises(DomainError) as excinfo:
        submit_film(film=film, user=teacher)

    assert excinfo.value.code == "not_open"
    # Shown in the festival's time zone: Paris is UTC+1 in March.
    assert excinfo.value.messages == ["Les dépôts pour FILM'IT 2027 ouvrent le 1 mars 2099 10:00."]
    film.refresh_from_db()
    assert film.status == DRAFT


def closed_edition(festival):
    return factories.make_edition(
        festival,
        submissions_open_at=utc(2020, 1, 6, 8, 0),
        submissions_close_at=utc(2020, 3, 31, 20, 0),
    )


def test_submission_after_the_window_closes(teacher, festival, sent_emails):
    film = factories.make_film(
        teacher=teacher, category=factories.make_category(closed_edition(festival)), complete=True
    )

    with pytest.raises(DomainError) as excinfo:
        submit_film(film=film, user=teacher)

    assert excinfo.value.code == "late"
    assert excinfo.value.messages == [
        "Les dépôts pour FILM'IT 2027 sont clos depuis le 31 mars 2020 22:00."
    ]
    film.refresh_from_db()
    assert film.status == DRAFT


def test_resubmission_after_changes_is_allowed_after_the_deadline(teacher, festival, sent_emails):
    film = factories.make_film(
        teacher=teacher,
        category=factories.make_category(closed_edition(festival)),
        complete=True,
        status=NEEDS_CHANGES,
    )

    submit_film(film=film, user=teacher)

    film.refresh_from_db()
    assert film.status == SUBMITTED


def test_submit_uses_the_given_time(complete_film, teacher, sent_emails):
    late = complete_film.edition.submissions_close_at
    with pytest.raises(DomainError) as excinfo:
        submit_film(film=complete_film, user=teacher, now=late)
    assert excinfo.value.code == "late"


def test_a_submitted_film_cannot_be_submitted_again(complete_film, teacher, sent_emails):
    submit_film(film=complete_film, user=teacher)
    with pytest.raises(DomainError) as excinfo:
        submit_film(film=complete_film, user=teacher)
    assert excinfo.value.code == "transition"


def test_organizer_cannot_submit_for_the_teacher(complete_film, organizer, sent_emails):
    with pytest.raises(DomainError) as excinfo:
        submit_film(film=complete_film, user=organizer)
    assert excinfo.value.code == "transition"


def test_withdraw_keeps_the_reason(film, teacher, sent_emails):
    withdraw_film(film=film, user=teacher, reason="Le tournage n'a pas pu avoir lieu.")
    film.refresh_from_db()
    assert (film.status, film.status_reason) == (WITHDRAWN, "Le tournage n'a pas pu avoir lieu.")
    assert sent_emails == []


# Creation and edits.


def test_create_film(teacher, edition, category):
    company = factories.make_company()
    trade = factories.make_trade()

    film = create_film(
        teacher=teacher,
        edition=edition,
        category=category,
        title="Les mains de l'usine",
        synopsis="Une journée à l'atelier.",
        company=company,
        trades=[trade],
        pupil_count=3,
        crew="Léa\nTom B.",
    )

    film.refresh_from_db()
    assert (film.status, film.teacher, film.school, film.company) == (
        DRAFT,
        teacher,
        teacher.school,
        company,
    )
    assert list(film.trades.all()) == [trade]
    event = FilmEvent.objects.get(film=film)
    assert (event.actor, event.from_status, event.to_status) == (teacher, "", DRAFT)


def test_create_film_in_a_category_of_another_edition(teacher, edition, festival):
    other = factories.make_category(factories.make_edition(festival, is_current=False))

    with pytest.raises(DomainError) as excinfo:
        create_film(teacher=teacher, edition=edition, category=other, title="Titre")

    assert excinfo.value.code == "wrong_category"
    assert excinfo.value.messages == [
        f"La catégorie « {other.name} » n'appartient pas à l'édition « FILM'IT 2027 »."
    ]
    assert Film.objects.count() == 0


def test_pending_teacher_cannot_create_a_film(pending_teacher, edition, category):
    with pytest.raises(DomainError) as excinfo:
        create_film(teacher=pending_teacher, edition=edition, category=category, title="Titre")
    assert excinfo.value.code == "not_approved"
    assert excinfo.value.messages == [
        "Votre compte enseignant doit être validé avant de créer un film."
    ]


def test_teacher_without_school_cannot_create_a_film(edition, category):
    teacher = factories.make_user(school=None)
    with pytest.raises(DomainError) as excinfo:
        create_film(teacher=teacher, edition=edition, category=category, title="Titre")
    assert excinfo.value.code == "not_approved"


def test_no_new_film_after_the_deadline(teacher, festival):
    edition = closed_edition(festival)
    with pytest.raises(DomainError) as excinfo:
        create_film(
            teacher=teacher,
            edition=edition,
            category=factories.make_category(edition),
            title="Titre",
        )
    assert excinfo.value.code == "late"
    assert Film.objects.count() == 0


def test_a_draft_can_be_prepared_before_submissions_open(teacher, festival):
    edition = factories.make_edition(
        festival,
        submissions_open_at=utc(2099, 3, 1, 9, 0),
        submissions_close_at=utc(2099, 4, 1, 9, 0),
    )
    film = create_film(
        teacher=teacher, edition=edition, category=factories.make_category(edition), title="Titre"
    )
    assert film.status == DRAFT


def test_update_film(film, teacher, edition):
    other_category = factories.make_category(edition)
    trade = factories.make_trade()

    update_film(
        film=film, user=teacher, trades=[trade], category=other_category, title="Nouveau titre"
    )

    film.refresh_from_db()
    assert (film.category, film.title) == (other_category, "Nouveau titre")
    assert list(film.trades.all()) == [trade]


def test_update_film_leaves_trades_alone_when_not_given(complete_film, teacher):
    trades = list(complete_film.trades.all())
    update_film(film=complete_film, user=teacher, title="Autre titre")
    assert list(complete_film.trades.all()) == trades


def test_update_film_refuses_a_category_of_another_edition(film, teacher, festival):
    other = factories.make_category(factories.make_edition(festival, is_current=False))
    with pytest.raises(DomainError) as excinfo:
        update_film(film=film, user=teacher, category=other)
    assert excinfo.value.code == "wrong_category"
    film.refresh_from_db()
    assert film.category_id != other.pk


@pytest.mark.parametrize("status", [SUBMITTED, ACCEPTED, REJECTED, WITHDRAWN])
def test_update_film_refused_when_not_editable(status, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=status, title="Avant")

    with pytest.raises(DomainError) as excinfo:
        update_film(film=film, user=teacher, title="Après")

    assert excinfo.value.code == "not_editable"
    assert excinfo.value.messages == [
        f"Ce film est « {status.label} » : il ne peut plus être modifié, sauf si l'organisation "
        "demande des compléments."
    ]
    film.refresh_from_db()
    assert film.title == "Avant"


def test_film_sent_back_for_changes_is_editable(teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=NEEDS_CHANGES)
    update_film(film=film, user=teacher, title="Corrigé")
    film.refresh_from_db()
    assert film.title == "Corrigé"


def test_update_film_rejects_fields_that_are_not_editable(film, teacher):
    with pytest.raises(TypeError):
        update_film(film=film, user=teacher, status=ACCEPTED)


# Partner companies a teacher adds with a film.


def test_register_company(teacher):
    siret = factories.valid_siret(987654)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"

    company = register_company(
        name=" Forges de Franche-Comté ", siret=spaced, town="Besançon", user=teacher
    )

    company.refresh_from_db()
    assert (company.name, company.siret, company.town, company.sector) == (
        "Forges de Franche-Comté",
        siret,
        "Besançon",
        "",
    )


def test_register_company_with_an_invalid_siret(teacher):
    with pytest.raises(DomainError) as excinfo:
        register_company(name="Forges", siret="73282932000075", town="Besançon", user=teacher)
    assert excinfo.value.code == "siret_checksum"
    assert Company.objects.count() == 0


def test_register_company_twice(teacher):
    company = factories.make_company()
    with pytest.raises(DomainError) as excinfo:
        register_company(name="Autre nom", siret=company.siret, town="Dole", user=teacher)
    assert excinfo.value.code == "siret_taken"
    assert list(Company.objects.all()) == [company]
