import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import resolve

from festival.domain import DomainError
from festival.domain.accounts import (
    accept_invitation,
    add_school,
    decide_membership,
    invite_member,
    link_valid_days,
    register_teacher,
    request_membership,
    request_password_reset,
    set_password_link,
)
from festival.enums import Academie, ApprovalStatus, Role
from festival.models import Invitation, Membership, School, User
from tests import factories


def register(school, **kw):
    data = {
        "festival": kw.pop("festival", None) or factories.make_festival(),
        "email": "Claire.Girard@AC-Besancon.fr",
        "password": factories.PASSWORD,
        "first_name": "Claire",
        "last_name": "Girard",
        "school": school,
        "phone": "03 81 00 00 00",
    }
    return register_teacher(**{**data, **kw})


def test_register_teacher_asks_one_festival_and_tells_only_its_organizers(
    school, festival, organizer, other_organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = register(school, festival=festival, language="en")
    assert (user.email, user.role, user.school, user.language) == (
        "claire.girard@ac-besancon.fr",
        Role.TEACHER,
        school,
        "en",
    )
    assert list(user.memberships.values_list("festival", "role", "approval")) == [
        (festival.pk, Role.TEACHER, ApprovalStatus.PENDING)
    ]
    assert user.check_password(factories.PASSWORD)
    assert user.is_teacher is False
    # The other festival's organizer hears nothing of it.
    assert [m.to for m in mailoutbox] == [["claire.girard@ac-besancon.fr"], [organizer.email]]
    assert festival.name in mailoutbox[1].subject
    assert festival.name in mailoutbox[0].body


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


def _teacher_asking(festivals, approval=ApprovalStatus.PENDING):
    return factories.make_teacher(festivals=festivals, approval=approval)


def test_decide_membership_approves_in_that_festival_only(
    organizer, festival, mailoutbox, django_capture_on_commit_callbacks
):
    other = factories.make_festival()
    teacher = _teacher_asking([festival, other])
    membership = teacher.memberships.get(festival=festival)
    with django_capture_on_commit_callbacks(execute=True):
        decide_membership(membership=membership, organizer=organizer, approve=True)
    assert dict(teacher.memberships.values_list("festival", "approval")) == {
        festival.pk: ApprovalStatus.APPROVED,
        other.pk: ApprovalStatus.PENDING,
    }
    membership.refresh_from_db()
    assert (membership.decided_by, membership.decided_at is not None) == (organizer, True)
    assert [m.subject for m in mailoutbox] == ["FILM'IT : votre compte est validé"]
    assert festival.name in mailoutbox[0].body
    teacher.forget_memberships()
    assert teacher.festival_ids(Role.TEACHER) == {festival.pk}


def test_a_refusal_in_one_festival_changes_nothing_in_another(organizer, festival):
    other = factories.make_festival()
    teacher = _teacher_asking([festival, other], approval=ApprovalStatus.APPROVED)
    decide_membership(
        membership=teacher.memberships.get(festival=festival),
        organizer=organizer,
        approve=False,
        reason="Inconnu de l'établissement",
    )
    teacher.forget_memberships()
    assert teacher.is_teacher is True
    assert teacher.festival_ids(Role.TEACHER) == {other.pk}
    assert teacher.memberships.get(festival=festival).refusal_reason == (
        "Inconnu de l'établissement"
    )


def test_decide_membership_needs_a_reason_to_refuse(festival, organizer):
    membership = _teacher_asking([festival]).memberships.get()
    with pytest.raises(DomainError) as excinfo:
        decide_membership(membership=membership, organizer=organizer, approve=False, reason=" ")
    assert excinfo.value.code == "reason_required"


def test_request_membership_asks_another_festival_and_tells_its_organizers(
    festival, organizer, other_organizer, mailoutbox, django_capture_on_commit_callbacks
):
    teacher = _teacher_asking([festival], approval=ApprovalStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        membership = request_membership(teacher=teacher, festival=other_organizer.festival)
    assert (membership.approval, membership.festival) == (
        ApprovalStatus.PENDING,
        other_organizer.festival,
    )
    assert [m.to for m in mailoutbox] == [[other_organizer.email]]
    # Asked once: asking again, or after a refusal, is refused with a clear message.
    with pytest.raises(DomainError, match="attend déjà sa réponse"):
        request_membership(teacher=teacher, festival=other_organizer.festival)
    decide_membership(membership=membership, organizer=other_organizer, approve=False, reason="Non")
    with pytest.raises(DomainError, match="a refusé votre participation"):
        request_membership(teacher=teacher, festival=other_organizer.festival)
    with pytest.raises(DomainError, match="participez déjà"):
        request_membership(teacher=teacher, festival=festival)


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
    assert (user.email, user.role, user.festival, user.festival_ids(Role.JUROR)) == (
        "marc.petit@example.org",
        Role.JUROR,
        festival,
        {festival.pk},
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
    assert excinfo.value.code == "already_member"


def test_a_juror_of_one_festival_joins_another_and_keeps_their_password(
    festival, organizer, other_organizer, mailoutbox, django_capture_on_commit_callbacks
):
    juror = factories.make_juror(festival)
    password = juror.password
    with django_capture_on_commit_callbacks(execute=True):
        same = invite_member(
            email=juror.email.upper(),
            first_name="X",
            last_name="Y",
            role=Role.JUROR,
            festival=other_organizer.festival,
            invited_by=other_organizer,
        )
    assert same == juror
    juror.refresh_from_db()
    assert (juror.password, juror.festival) == (password, festival)
    assert juror.festival_ids(Role.JUROR) == {festival.pk, other_organizer.festival_id}
    assert [m.to for m in mailoutbox] == [[juror.email]]
    assert "vous rejoignez" in mailoutbox[0].subject
    assert "/compte/mot-de-passe/" not in mailoutbox[0].body
    assert list(Invitation.objects.values_list("festival", flat=True)) == [
        other_organizer.festival_id
    ]


def test_a_teacher_cannot_be_invited_as_a_juror(festival, organizer, teacher):
    with pytest.raises(DomainError) as excinfo:
        invite_member(
            email=teacher.email,
            first_name="X",
            last_name="Y",
            role=Role.JUROR,
            festival=festival,
            invited_by=organizer,
        )
    assert excinfo.value.code == "email_taken"
    assert Membership.objects.filter(user=teacher, role=Role.JUROR).exists() is False


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
