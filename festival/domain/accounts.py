"""Accounts: teacher sign-up and approval, invitations of jurors and organizers."""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from festival import emails
from festival.domain import DomainError
from festival.enums import ApprovalStatus, Role
from festival.models import Festival, Invitation, School, User


def register_teacher(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    school: School,
    phone: str = "",
    language: str = "fr",
) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _(
                "Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou réinitialisez "
                "votre mot de passe."
            ),
            code="email_taken",
        )
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        school=school,
        phone=phone,
        role=Role.TEACHER,
        approval=ApprovalStatus.PENDING,
        language=language,
    )
    emails.send_to_user(template="teacher_registered", user=user, context={})
    organizers = User.objects.filter(role=Role.ORGANIZER, is_active=True)
    emails.send_templated(
        template="teacher_registered_organizers",
        to=[o.email for o in organizers],
        context={"teacher": user},
    )
    return user


def decide_teacher(*, teacher: User, organizer: User, approve: bool, reason: str = "") -> User:
    if teacher.role != Role.TEACHER:
        raise DomainError(_("Ce compte n'est pas un compte enseignant."), code="not_teacher")
    if not approve and not (reason or "").strip():
        raise DomainError(_("Indiquez un motif de refus."), code="reason_required")
    teacher.approval = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
    teacher.save(update_fields=["approval"])
    emails.send_to_user(
        template="teacher_approved" if approve else "teacher_refused",
        user=teacher,
        context={"reason": reason},
    )
    return teacher


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("festival:set_password", args=[uid, token])


def invite_member(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    festival: Festival,
    invited_by: User,
) -> User:
    if role not in (Role.JUROR, Role.ORGANIZER):
        raise DomainError(_("On invite seulement des jurés et des organisateurs."), code="role")
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and user.has_usable_password():
            raise DomainError(
                _("%(email)s a déjà un compte sur la plateforme.") % {"email": email},
                code="email_taken",
            )
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                first_name=first_name,
                last_name=last_name,
                role=role,
                festival=festival,
                approval=ApprovalStatus.APPROVED,
            )
        Invitation.objects.create(user=user, invited_by=invited_by)
    emails.send_to_user(
        template="invitation",
        user=user,
        context={
            "festival": festival,
            "role": Role(role).label,
            "link": set_password_link(user),
            "invited_by": invited_by,
        },
    )
    return user


def accept_invitation(*, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    return user
