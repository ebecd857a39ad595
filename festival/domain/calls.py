"""The call for entries: who it goes to, what each recipient reads, and its sending.

An organizer writes one per edition and picks lists of addresses; one mailbox gets one email
(addresses compared in lowercase), never one that unsubscribed from the festival's calls nor an
inactive account. Sending goes through the task queue (`festival.tasks.send_call_for_entries`),
in batches, with a status per recipient: a task run again only writes to the ones still waiting.
"""

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from festival import emails
from festival.domain import DomainError
from festival.enums import Role
from festival.models import (
    CallForEntries,
    CallRecipient,
    CallUnsubscription,
    CompanyContact,
    Edition,
    Festival,
    Film,
    School,
    User,
)
from festival.models_outreach import Audience, CallStatus, RecipientStatus
from festival.school_data import ERASED_EMAIL_DOMAIN

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "filmit.call-for-entries.unsubscribe"


def canonical_email(address: str) -> str:
    """One mailbox, one spelling: how addresses are compared and stored here."""
    return (address or "").strip().lower()


# Who a call goes to


@dataclass(frozen=True)
class Candidate:
    email: str
    name: str
    audience: str
    language: str = ""


@dataclass
class Audit:
    """The recipients of a call, and how they were counted (shown before sending)."""

    lists: list[tuple[str, int]] = field(default_factory=list)  # (list's label, addresses)
    duplicates: int = 0  # addresses on several lists, written to once
    unsubscribed: int = 0
    recipients: list[Candidate] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.recipients)


def _festival_films(edition: Edition):
    return Film.objects.filter(edition__festival_id=edition.festival_id)


def past_teachers(edition: Edition) -> list[Candidate]:
    """Teachers with a film in an earlier edition of the festival, still approved there."""
    teachers = (
        User.objects.members_of(edition.festival_id, Role.TEACHER)
        .filter(
            films__edition__festival_id=edition.festival_id,
            films__edition__year__lt=edition.year,
        )
        .distinct()
        .only("email", "first_name", "last_name", "language")
    )
    return [
        Candidate(t.email, t.get_full_name(), Audience.PAST_TEACHERS, t.language) for t in teachers
    ]


def known_schools(edition: Edition) -> list[Candidate]:
    """The schools of the académies the festival's films come from (their office's address),
    and the teachers attached to those schools."""
    academies = _festival_films(edition).values("school__academie")
    schools = (
        School.objects.filter(academie__in=academies)
        .exclude(contact_email="")
        .only("name", "contact_email")
    )
    teachers = User.objects.filter(
        role=Role.TEACHER, is_active=True, school__academie__in=academies
    ).only("email", "first_name", "last_name", "language")
    return [Candidate(s.contact_email, s.name, Audience.SCHOOLS) for s in schools] + [
        Candidate(t.email, t.get_full_name(), Audience.SCHOOLS, t.language) for t in teachers
    ]


def partner_companies(edition: Edition) -> list[Candidate]:
    """The contacts of the companies where the festival's films were shot."""
    contacts = (
        CompanyContact.objects.filter(company__films__in=_festival_films(edition))
        .distinct()
        .select_related("company")
    )
    return [
        Candidate(c.email, f"{c.name} ({c.company.name})", Audience.COMPANIES) for c in contacts
    ]


AUDIENCE_READERS = {
    Audience.PAST_TEACHERS: past_teachers,
    Audience.SCHOOLS: known_schools,
    Audience.COMPANIES: partner_companies,
}


def audit_recipients(*, edition: Edition, audiences) -> Audit:
    """Read the chosen lists, in the order of `Audience`, and keep one entry per mailbox."""
    audit = Audit()
    lists = []
    for audience in Audience:
        if audience.value in audiences:
            lists.append((audience, AUDIENCE_READERS[audience](edition)))
    addresses = {canonical_email(c.email) for _audience, entries in lists for c in entries}
    accounts = {
        email: (is_active, language)
        for email, is_active, language in User.objects.filter(email__in=addresses).values_list(
            "email", "is_active", "language"
        )
    }
    unsubscribed = set(
        CallUnsubscription.objects.filter(
            festival_id=edition.festival_id, email__in=addresses
        ).values_list("email", flat=True)
    )
    kept: dict[str, Candidate] = {}
    seen_unsubscribed = set()
    for audience, entries in lists:
        in_list = set()
        for candidate in entries:
            email = canonical_email(candidate.email)
            is_active, language = accounts.get(email, (True, candidate.language))
            if not email or not is_active or email in in_list:
                continue
            in_list.add(email)
            if email in unsubscribed:
                seen_unsubscribed.add(email)
                continue
            if email in kept:
                audit.duplicates += 1
                continue
            kept[email] = Candidate(
                email, candidate.name, audience.value, language or settings.LANGUAGE_CODE
            )
        audit.lists.append((audience.label, len(in_list)))
    audit.unsubscribed = len(seen_unsubscribed)
    audit.recipients = list(kept.values())
    return audit


# Drafts


def _clean_body(body: str) -> str:
    """Paragraphs separated by one blank line, whatever the browser sent."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    return re.sub(r"\n{3,}", "\n\n", body)


def check_audiences(audiences) -> list[str]:
    chosen = [code for code in Audience.values if code in audiences]
    if not chosen:
        raise DomainError(_("Choisissez au moins une liste de destinataires."), code="audiences")
    return chosen


def check_draft(call: CallForEntries) -> None:
    if not call.is_draft:
        raise DomainError(
            _("Cet appel à films est déjà envoyé : il ne peut plus être modifié."), code="sent"
        )


def create_call(
    *, edition: Edition, organizer: User, subject: str, body: str, audiences
) -> CallForEntries:
    call = CallForEntries.objects.create(
        edition=edition,
        subject=subject.strip(),
        body=_clean_body(body),
        audiences=check_audiences(audiences),
        created_by=organizer,
    )
    logger.info("Call for entries %s created by user %s", call.pk, organizer.pk)
    return call


def update_call(
    *, call: CallForEntries, organizer: User, edition: Edition, subject: str, body: str, audiences
) -> CallForEntries:
    check_draft(call)
    call.edition = edition
    call.subject = subject.strip()
    call.body = _clean_body(body)
    call.audiences = check_audiences(audiences)
    call.save(update_fields=["edition", "subject", "body", "audiences", "updated_at"])
    return call


# What a recipient reads


def unsubscribe_token(*, festival_id: int, email: str) -> str:
    return signing.dumps(
        {"f": festival_id, "e": canonical_email(email)}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def read_unsubscribe_token(token: str) -> tuple[Festival, str]:
    """The festival and the address a link was made for; a clear refusal otherwise."""
    try:
        payload = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=settings.CALL_UNSUBSCRIBE_DAYS * 86400
        )
    except signing.SignatureExpired:
        raise DomainError(
            _(
                "Ce lien de désinscription a expiré. Utilisez celui du dernier appel à films "
                "reçu, ou écrivez à l'organisation du festival."
            ),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise DomainError(
            _(
                "Ce lien de désinscription n'est pas valide. Vérifiez qu'il est complet, ou "
                "utilisez celui du dernier appel à films reçu."
            ),
            code="invalid",
        ) from None
    festival = Festival.objects.filter(pk=payload.get("f")).first()
    email = canonical_email(payload.get("e", ""))
    if festival is None or not email:
        raise DomainError(_("Ce lien de désinscription n'est pas valide."), code="invalid")
    return festival, email


def unsubscribe(*, festival: Festival, email: str) -> CallUnsubscription:
    """Record that this mailbox wants no more of this festival's calls (only this one's)."""
    unsubscription, created = CallUnsubscription.objects.get_or_create(
        festival=festival, email=canonical_email(email)
    )
    if created:
        logger.info("Festival %s: an address unsubscribed from calls", festival.pk)
    return unsubscription


def is_unsubscribed(*, festival: Festival, email: str) -> bool:
    return CallUnsubscription.objects.filter(
        festival=festival, email=canonical_email(email)
    ).exists()


def build_message(
    *, call: CallForEntries, email: str, language: str, test: bool = False
) -> EmailMessage:
    """The email as `email` receives it, in `language`, with its own unsubscribe link."""
    edition = call.edition
    festival = edition.festival
    token = unsubscribe_token(festival_id=festival.pk, email=email)
    unsubscribe_url = settings.SITE_URL + reverse("festival:call_unsubscribe", args=[token])
    context = {
        "call": call,
        "edition": edition,
        "festival": festival,
        "festival_url": settings.SITE_URL + reverse("public:festival", args=[festival.slug]),
        "signup_url": settings.SITE_URL + reverse("festival:signup"),
        "unsubscribe_url": unsubscribe_url,
    }
    subject, body = emails.render_templated(
        template="call_for_entries", context=context, language=language
    )
    if test:
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = f"[{_('Test')}] {subject}"
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        reply_to=[festival.contact_email] if festival.contact_email else None,
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
    )


def send_test(*, call: CallForEntries, organizer: User) -> str:
    """The call as a recipient will read it, to the organizer's own address only."""
    message = build_message(
        call=call, email=organizer.email, language=organizer.language, test=True
    )
    transaction.on_commit(message.send)
    logger.info("Call for entries %s: test sent to user %s", call.pk, organizer.pk)
    return organizer.email


# Sending

# The task that sends a call: it calls `send_call`, so this module cannot import it;
# festival.apps hands it over at start-up.
_sending_task = None


def register_sending_task(task) -> None:
    global _sending_task
    _sending_task = task


def start_sending(*, call: CallForEntries, organizer: User) -> CallForEntries:
    """Freeze the call and its recipients, then hand the sending to the task queue."""
    with transaction.atomic():
        call = CallForEntries.objects.select_for_update().get(pk=call.pk)
        check_draft(call)
        audit = audit_recipients(edition=call.edition, audiences=call.audiences)
        if not audit.recipients:
            raise DomainError(
                _("Aucun destinataire : choisissez d'autres listes avant d'envoyer."),
                code="empty",
            )
        CallRecipient.objects.bulk_create(
            [
                CallRecipient(
                    call=call,
                    email=c.email,
                    name=c.name[:300],
                    audience=c.audience,
                    language=c.language,
                )  # fmt: skip
                for c in audit.recipients
            ],
            ignore_conflicts=True,
        )
        call.status = CallStatus.SENDING
        call.recipient_count = len(audit.recipients)
        call.save(update_fields=["status", "recipient_count", "updated_at"])
        transaction.on_commit(lambda: _sending_task.enqueue(call.pk))
    logger.info(
        "Call for entries %s: sending to %s address(es), by user %s",
        call.pk,
        call.recipient_count,
        organizer.pk,
    )
    return call


def resume_sending(*, call: CallForEntries, organizer: User) -> CallForEntries:
    """Queue the sending again (a worker lost, a task dropped): only the recipients still
    waiting are written to."""
    if call.status != CallStatus.SENDING:
        raise DomainError(_("Cet appel à films n'est pas en cours d'envoi."), code="not_sending")
    transaction.on_commit(lambda: _sending_task.enqueue(call.pk))
    logger.info("Call for entries %s: sending queued again by user %s", call.pk, organizer.pk)
    return call


def retry_failed(*, call: CallForEntries, organizer: User) -> int:
    """Write again to the addresses a mail server refused (a full mailbox, a server down for
    the night): they wait again and the call goes back to sending. An address unsubscribed
    from the festival's calls since, or erased with its school's data, stays as it failed:
    nobody is written to against their wish. Returns how many."""
    with transaction.atomic():
        call = CallForEntries.objects.select_for_update().get(pk=call.pk)
        if call.status != CallStatus.SENT:
            raise DomainError(
                _("Seul un appel à films déjà envoyé peut être réessayé."), code="not_sent"
            )
        unsubscribed = CallUnsubscription.objects.filter(
            festival_id=call.edition.festival_id
        ).values("email")
        count = (
            call.recipients.filter(status=RecipientStatus.FAILED)
            .annotate(address=Lower("email"))
            .exclude(address__in=unsubscribed)
            .exclude(address__endswith="@" + ERASED_EMAIL_DOMAIN)
            .update(status=RecipientStatus.PENDING, error="")
        )
        if not count:
            raise DomainError(_("Aucune adresse en échec à réessayer."), code="no_failure")
        call.status = CallStatus.SENDING
        call.save(update_fields=["status", "updated_at"])
        refresh_counts(call)
        transaction.on_commit(lambda: _sending_task.enqueue(call.pk))
    logger.info("Call for entries %s: %s failed address(es) retried by user %s", call.pk, count,
                organizer.pk)  # fmt: skip
    return count


def _claim(recipient: CallRecipient) -> bool:
    """Take a waiting recipient for this run: two runs never write to the same one."""
    return bool(
        CallRecipient.objects.filter(pk=recipient.pk, status=RecipientStatus.PENDING).update(
            status=RecipientStatus.SENDING
        )
    )


def _send_one(call: CallForEntries, recipient: CallRecipient) -> None:
    try:
        build_message(call=call, email=recipient.email, language=recipient.language).send()
    except Exception as error:  # one refused address must not stop the others
        logger.warning("Call for entries %s: %s refused: %s", call.pk, recipient.pk, error)
        recipient.status = RecipientStatus.FAILED
        recipient.error = str(error)[:500] or type(error).__name__
    else:
        recipient.status = RecipientStatus.SENT
        recipient.error = ""
    recipient.sent_at = timezone.now()
    recipient.save(update_fields=["status", "error", "sent_at"])


def refresh_counts(call: CallForEntries) -> CallForEntries:
    counts = call.recipients.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=RecipientStatus.SENT)),
        failed=Count("pk", filter=Q(status=RecipientStatus.FAILED)),
    )
    call.recipient_count = counts["total"]
    call.sent_count = counts["sent"]
    call.failed_count = counts["failed"]
    call.save(update_fields=["recipient_count", "sent_count", "failed_count", "updated_at"])
    return call


def send_batch(*, call: CallForEntries, size: int | None = None) -> int:
    """Write to the next waiting recipients; returns how many were taken."""
    size = size or settings.CALL_BATCH_SIZE
    batch = list(call.recipients.filter(status=RecipientStatus.PENDING).order_by("pk")[:size])
    taken = 0
    for recipient in batch:
        if _claim(recipient):
            _send_one(call, recipient)
            taken += 1
    refresh_counts(call)
    return taken


def send_call(*, call: CallForEntries) -> CallForEntries:
    """Send every waiting recipient, batch after batch (progress is saved after each), then
    mark the call sent. Run again, it writes to nobody twice."""
    if call.status == CallStatus.DRAFT:
        return call
    while call.recipients.filter(status=RecipientStatus.PENDING).exists():
        send_batch(call=call)
    refresh_counts(call)
    if not call.recipients.filter(status=RecipientStatus.SENDING).exists():
        updated = CallForEntries.objects.filter(pk=call.pk, status=CallStatus.SENDING).update(
            status=CallStatus.SENT, sent_at=timezone.now()
        )
        if updated:
            call.refresh_from_db()
            logger.info(
                "Call for entries %s sent: %s sent, %s failed",
                call.pk,
                call.sent_count,
                call.failed_count,
            )
    return call
