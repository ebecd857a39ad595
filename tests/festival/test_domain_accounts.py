import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import resolve

from festival.domain import DomainError
from festival.domain.accounts import (
    accept_invitation,
    add_school,
    decide_teacher,
    invite_member,
    link_valid_days,
    register_teacher,
    request_password_reset,
    set_password_link,
)
from festival.enums import Academie, ApprovalStatus, Role
from festival.models import Invitation, School, User
from tests import factories


def register(school, **kw):
    data = {
        "email": "Claire.Girard@AC-Besancon.fr",
        "password": factories.PASSWORD,
        "first_name": "Claire",
        "last_name": "Girard",
        "school": school,
        "phone": "03 81 00 00 00",
    }
    return register_teacher(**{**data, **kw})


def test_register_teacher_creates_a_pending_account_and_tells_everyone(
    school, organizer, other_organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = register(school, language="en")
    assert (user.email, user.role, user.approval, user.school, user.language) == (
        "claire.girard@ac-besancon.fr",
        Role.TEACHER,
        ApprovalStatus.PENDING,
        school,
        "en",
    )
    assert user.check_password(factories.PASSWORD)
    assert user.is_teacher is False
    assert [sorted(m.to) for m in mailoutbox] == [
        ["claire.girard@ac-besancon.fr"],
        sorted([organizer.email, other_organizer.email]),
    ]


def test_register_teacher_with_a_taken_address_tells_its_owner_and_changes_nothing(
    school, teacher, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    password = teacher.password
    with django_capture_on_commit_callbacks(execute=True):
        result = register(school, email=teacher.email.upper(), first_name="Intrus")
    assert result is None
    assert User.objects.filter(email__iexact=teacher.email).count() == 1
    teacher.refresh_from_db()
    assert (teacher.password, teacher.first_name) == (password, "Claire")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([teacher.email], "FILM'IT : inscription avec votre adresse")
    ]


def test_decide_teacher_approves(
    pending_teacher, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide_teacher(teacher=pending_teacher, organizer=organizer, approve=True)
    pending_teacher.refresh_from_db()
    assert pending_teacher.approval == ApprovalStatus.APPROVED
    assert [m.subject for m in mailoutbox] == ["FILM'IT : votre compte est validé"]


def test_decide_teacher_needs_a_reason_to_refuse(pending_teacher, organizer):
    with pytest.raises(DomainError) as excinfo:
        decide_teacher(teacher=pending_teacher, organizer=organizer, approve=False, reason=" ")
    assert excinfo.value.code == "reason_required"


def test_invite_member_creates_an_account_without_password(
    festival, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite_member(
            email="Marc.Petit@example.org",
            first_name="Marc",
            last_name="Petit",
            role=Role.JUROR,
            festival=festival,
            invited_by=organizer,
        )
    assert (user.email, user.role, user.festival, user.approval) == (
        "marc.petit@example.org",
        Role.JUROR,
        festival,
        ApprovalStatus.APPROVED,
    )
    assert user.has_usable_password() is False
    assert list(Invitation.objects.values_list("user", "invited_by")) == [(user.pk, organizer.pk)]
    assert [m.to for m in mailoutbox] == [["marc.petit@example.org"]]


def test_invite_member_may_invite_again_until_a_password_is_chosen(festival, organizer):
    kw = {
        "email": "marc@example.org",
        "first_name": "Marc",
        "last_name": "Petit",
        "role": Role.JUROR,
        "festival": festival,
        "invited_by": organizer,
    }
    first = invite_member(**kw)
    second = invite_member(**kw)
    assert (second, Invitation.objects.filter(user=first).count()) == (first, 2)
    accept_invitation(user=first, password=factories.PASSWORD)
    with pytest.raises(DomainError) as excinfo:
        invite_member(**kw)
    assert excinfo.value.code == "email_taken"


def test_invite_member_invites_only_jurors_and_organizers(festival, organizer):
    with pytest.raises(DomainError) as excinfo:
        invite_member(
            email="x@example.org",
            first_name="X",
            last_name="Y",
            role=Role.TEACHER,
            festival=festival,
            invited_by=organizer,
        )
    assert excinfo.value.code == "role"


def test_accept_invitation_sets_the_password_and_closes_invitations(festival, organizer):
    user = invite_member(
        email="marc@example.org",
        first_name="Marc",
        last_name="Petit",
        role=Role.ORGANIZER,
        festival=festival,
        invited_by=organizer,
    )
    accept_invitation(user=user, password=factories.PASSWORD)
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)
    assert Invitation.objects.filter(user=user, accepted_at__isnull=True).count() == 0


def test_set_password_link_carries_a_valid_token(teacher):
    match = resolve(set_password_link(teacher))
    assert match.view_name == "festival:set_password"
    assert default_token_generator.check_token(teacher, match.kwargs["token"]) is True


def test_link_valid_days_follows_the_setting(settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    assert link_valid_days() == 3
    settings.PASSWORD_RESET_TIMEOUT = 3600
    assert link_valid_days() == 1


def test_add_school_checks_and_normalises_the_uai(db):
    school = add_school(
        uai=" 0250007x ", name=" Lycée Victor Hugo ", town="Besançon", academie=Academie.BESANCON
    )
    assert (school.uai, school.name, school.town) == ("0250007X", "Lycée Victor Hugo", "Besançon")


def test_add_school_gives_back_a_known_uai(school):
    found = add_school(uai=school.uai.lower(), name="Autre", town="Dole", academie="besancon")
    assert (found, School.objects.count()) == (school, 1)


def test_add_school_refuses_an_invalid_uai(db):
    with pytest.raises(ValidationError) as excinfo:
        add_school(uai="0250007Y", name="Lycée", town="Besançon", academie=Academie.BESANCON)
    assert excinfo.value.message_dict == {
        "uai": ["Ce code UAI n'existe pas : la lettre de contrôle ne correspond pas aux chiffres."]
    }
    assert School.objects.count() == 0


def test_request_password_reset_mails_a_link(
    settings, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://filmit.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        request_password_reset(email=teacher.email.upper())
    assert [m.to for m in mailoutbox] == [[teacher.email]]
    link = [line for line in mailoutbox[0].body.splitlines() if "/mot-de-passe/" in line]
    match = resolve(link[0].removeprefix("https://filmit.example.org"))
    assert default_token_generator.check_token(teacher, match.kwargs["token"]) is True


def test_request_password_reset_ignores_unknown_and_inactive(
    teacher, mailoutbox, django_capture_on_commit_callbacks
):
    teacher.is_active = False
    teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        request_password_reset(email=teacher.email)
        request_password_reset(email="personne@example.org")
    assert mailoutbox == []


def test_request_password_reset_helps_an_invited_member(
    festival, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    user = invite_member(
        email="marc@example.org",
        first_name="Marc",
        last_name="Petit",
        role=Role.JUROR,
        festival=festival,
        invited_by=organizer,
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_password_reset(email=user.email)
    assert [m.subject for m in mailoutbox] == ["FILM'IT : choisir un nouveau mot de passe"]
