"""Accounts: teacher sign-up and approval per festival, invitations of jurors and organizers,
the festival an organizer works on, throttling.

Nobody may find out who has an account: sign-up and forgotten password answer the same for a
known and an unknown address, and the account's owner is told by email instead.
"""

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from festival import emails, throttle
from festival.domain import DomainError
from festival.enums import ApprovalStatus, Role
from festival.models import Festival, Invitation, Membership, School, User
from festival.validators import normalize_siret, normalize_uai

logger = logging.getLogger(__name__)


def register_teacher(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    school: School,
    festival: Festival,
    phone: str = "",
    language: str = "fr",
) -> User | None:
    """A teacher account waiting for the approval of `festival`, or None when the address is
    taken.

    A taken address changes nothing: its owner gets an email saying someone tried to sign up
    with it, and the caller answers as for a new account.
    """
    email = User.objects.normalize_email(email).lower()
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        # Hashed for nothing, so that a taken address takes as long to answer as a new one.
        make_password(password)
        emails.send_to_user(template="signup_address_taken", user=owner, context={})
        logger.info("Sign-up attempt with the address of user %s", owner.pk)
        return None
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            school=school,
            phone=phone,
            role=Role.TEACHER,
            language=language,
        )
        Membership.objects.create(user=user, festival=festival, role=Role.TEACHER)
    emails.send_to_user(template="teacher_registered", user=user, context={"festival": festival})
    _tell_organizers(user, festival)
    return user


def _tell_organizers(teacher: User, festival: Festival) -> None:
    """Only this festival's organizers hear of a teacher asking to join it."""
    emails.send_to_users(
        template="teacher_registered_organizers",
        users=User.objects.members_of(festival.pk, Role.ORGANIZER),
        context={"teacher": teacher, "festival": festival},
    )


def request_membership(*, teacher: User, festival: Festival) -> Membership:
    """A teacher asks to take part in another festival: its organizers decide.

    A refused teacher does not ask again from the platform (each request emails the
    organizers): they write to the festival, whose organizers may still approve them.
    """
    if teacher.role != Role.TEACHER or not teacher.is_active:
        raise DomainError(_("Ce compte n'est pas un compte enseignant."), code="not_teacher")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=teacher, festival=festival, role=Role.TEACHER
        )
    if not created:
        messages = {
            ApprovalStatus.APPROVED: _("Vous participez déjà au festival %(festival)s."),
            ApprovalStatus.PENDING: _(
                "Votre demande au festival %(festival)s attend déjà sa réponse."
            ),
            ApprovalStatus.REFUSED: _(
                "Le festival %(festival)s a refusé votre participation : écrivez à son "
                "organisation s'il s'agit d'une erreur."
            ),
        }
        raise DomainError(
            messages[membership.approval] % {"festival": festival.name}, code="already_asked"
        )
    teacher.forget_memberships()
    _tell_organizers(teacher, festival)
    return membership


def decide_membership(
    *, membership: Membership, organizer: User, approve: bool, reason: str = ""
) -> Membership:
    """Approve or refuse a teacher in one festival: the others are not touched."""
    if membership.role != Role.TEACHER:
        raise DomainError(_("Ce compte n'est pas un compte enseignant."), code="not_teacher")
    if not approve and not (reason or "").strip():
        raise DomainError(_("Indiquez un motif de refus."), code="reason_required")
    membership.approval = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
    membership.refusal_reason = "" if approve else reason.strip()
    membership.decided_at = timezone.now()
    membership.decided_by = organizer
    membership.save(update_fields=["approval", "refusal_reason", "decided_at", "decided_by"])
    membership.user.forget_memberships()
    emails.send_to_user(
        template="teacher_approved" if approve else "teacher_refused",
        user=membership.user,
        context={"reason": reason, "festival": membership.festival},
    )
    return membership


def switch_festival(*, user: User, festival: Festival) -> User:
    """The festival whose pages an organizer (or juror) sees now, among their own."""
    if not (user.is_superuser or festival.pk in user.festival_ids(user.role)):
        raise DomainError(
            _("Vous ne faites pas partie de l'équipe de ce festival."), code="not_member"
        )
    user.festival = festival
    user.save(update_fields=["festival"])
    return user


def ensure_membership(*, user: User, festival: Festival) -> Membership:
    """An approved membership in `festival` for a juror or an organizer (their role)."""
    membership, _created = Membership.objects.update_or_create(
        user=user,
        festival=festival,
        role=user.role,
        defaults={"approval": ApprovalStatus.APPROVED},
    )
    user.forget_memberships()
    return membership


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("festival:set_password", args=[uid, token])


def link_valid_days() -> int:
    """How long a set-password link works, as the emails tell it."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


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
        if user is not None and user.role != role:
            raise DomainError(
                _("%(email)s a déjà un compte sur la plateforme, avec un autre rôle.")
                % {"email": email},
                code="email_taken",
            )
        # Inviting again someone who has not chosen a password yet sends a fresh link.
        if (
            user is not None
            and user.has_usable_password()
            and festival.pk in user.festival_ids(role)
        ):
            raise DomainError(
                _("%(email)s fait déjà partie de ce festival.") % {"email": email},
                code="already_member",
            )
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                first_name=first_name,
                last_name=last_name,
                role=role,
                festival=festival,
            )
        ensure_membership(user=user, festival=festival)
        if user.festival_id is None:
            user.festival = festival
            user.save(update_fields=["festival"])
        Invitation.objects.create(user=user, invited_by=invited_by, festival=festival)
    context = {"festival": festival, "role": Role(role).label, "invited_by": invited_by}
    if user.has_usable_password():
        # Someone who already has an account joins one more festival: no password to choose.
        emails.send_to_user(template="membership_added", user=user, context=context)
    else:
        context.update(link=set_password_link(user), valid_days=link_valid_days())
        emails.send_to_user(template="invitation", user=user, context=context)
    return user


def accept_invitation(*, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    return user


def add_school(*, uai: str, name: str, town: str, academie: str, kind: str = "") -> School:
    """A school a teacher could not find in the list. Its UAI is checked, never trusted.

    A UAI already known gives back that school: the code identifies the establishment.
    """
    uai = normalize_uai(uai)
    existing = School.objects.filter(uai=uai).first()
    if existing is not None:
        return existing
    school = School(uai=uai, name=name.strip(), town=town.strip(), academie=academie, kind=kind)
    school.full_clean()
    school.save()
    logger.info("School %s (%s) added at sign-up", school.pk, school.uai)
    return school


def add_structure(*, siret: str, name: str, town: str, academie: str, kind: str) -> School:
    """A structure outside the Éducation nationale (école de la deuxième chance, mission locale,
    CFA, association…), known by its SIRET instead of a UAI code. Its SIRET is checked.

    A SIRET already known gives back that structure, as a known UAI gives back its school.
    """
    siret = normalize_siret(siret)
    existing = School.objects.filter(siret=siret).first()
    if existing is not None:
        return existing
    structure = School(
        siret=siret, name=name.strip(), town=town.strip(), academie=academie, kind=kind
    )
    structure.full_clean()
    structure.save()
    logger.info("Structure %s (SIRET %s) added at sign-up", structure.pk, structure.siret)
    return structure


def request_password_reset(*, email: str) -> None:
    """Mail a set-password link to the account with this address, if there is one.

    The caller never learns whether there was one: nobody may find out who has an account.
    Invited members who have not chosen a password yet get a fresh link too, so an expired
    invitation is never a dead end.
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    emails.send_to_user(
        template="password_reset",
        user=user,
        context={"link": set_password_link(user), "valid_days": link_valid_days()},
    )


# Throttling: counted in windows of 15 minutes, per address and per IP address.
THROTTLE_WINDOW_SECONDS = 15 * 60


def login_throttled(*, email: str, ip: str | None) -> bool:
    """Whether this address, or this IP address, has failed to log in too often lately.

    Read before the password is checked: once throttled, it is not checked at all.
    """
    window = THROTTLE_WINDOW_SECONDS
    if throttle.count("login:account", email, window=window) >= settings.LOGIN_MAX_PER_ACCOUNT:
        return True
    return bool(ip) and throttle.count("login:ip", ip, window=window) >= settings.LOGIN_MAX_PER_IP


def record_failed_login(*, email: str, ip: str | None) -> None:
    """Count a wrong password (or unknown address). Successes are never counted, nor reset
    anything: a user logging in from a shared address does not clear an attacker's count."""
    throttle.hit("login:account", email, window=THROTTLE_WINDOW_SECONDS)
    if ip:
        throttle.hit("login:ip", ip, window=THROTTLE_WINDOW_SECONDS)


def password_reset_throttled(*, email: str, ip: str | None) -> bool:
    """Count this request for a new password; whether there were too many lately.

    Counted per address whether it has an account or not, so the answer reveals nothing.
    """
    email = User.objects.normalize_email(email).lower()
    window = THROTTLE_WINDOW_SECONDS
    over = (
        throttle.hit("password-reset:account", email, window=window)
        > settings.PASSWORD_RESET_MAX_PER_ACCOUNT
    )
    if ip:
        over |= (
            throttle.hit("password-reset:ip", ip, window=window)
            > settings.PASSWORD_RESET_MAX_PER_IP
        )
    return over
