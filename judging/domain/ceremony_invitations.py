"""Invitations to the ceremony: who is invited, the sending, and the guests' answers.

Invited: the finalist classes (their teachers, one invitation per teacher), the contacts of their
companies, the edition's jurors and the guests the organizers enter. One mailbox gets one
invitation listing all its roles: addresses are compared by the mailbox behind them
(`judging.domain.votes.canonical_email`: case, spaces, plus tags, Gmail's dots), and the first
address met is the one written to. Sending goes through the task
queue in batches with a status per invitation (`judging.tasks.send_ceremony_invitations`): a run
only writes to the ones still waiting, so nobody is written to twice.
"""

import logging
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails
from festival.domain.calls import canonical_email
from festival.domain.ceremony import ceremony_of
from festival.models import CompanyContact, Edition, User
from judging.domain import DomainError
from judging.domain.votes import canonical_email as mailbox_key
from judging.enums import SelectionState
from judging.models import JuryMember
from judging.models_ceremony import Answer, CeremonyInvitation, InvitationKind, SendingStatus
from judging.models_selection import SelectionRound
from judging.selectors_selection import finalist_films

logger = logging.getLogger(__name__)

# How many people an answer may bring, by role (a class comes with its pupils and parents).
MAX_PEOPLE = {
    InvitationKind.CLASS: 60,
    InvitationKind.COMPANY: 5,
    InvitationKind.JUROR: 5,
    InvitationKind.GUEST: 5,
}
KIND_ORDER = list(InvitationKind.values)


def max_people(invitation: CeremonyInvitation) -> int:
    return max((MAX_PEOPLE[InvitationKind(role)] for role in invitation.roles), default=5)


def new_token() -> str:
    return secrets.token_urlsafe(32)


# Who is invited


@dataclass
class Candidate:
    email: str
    name: str
    kind: str
    organisation: str = ""  # a school, a company, a jury
    language: str = ""
    film_id: int | None = None
    company_id: int | None = None
    user_id: int | None = None
    detail: str = ""  # a class's film, shown after its school


def finalists_known(edition: Edition) -> bool:
    """Whether the finalists may be invited: at once without a pre-selection round, once they
    are announced with one (an invitation before would tell a class it is a finalist while the
    list may still change, and before the public knows)."""
    return (
        not SelectionRound.objects.filter(edition=edition, enabled=True)
        .exclude(state=SelectionState.ANNOUNCED)
        .exists()
    )


def finalist_classes(edition: Edition) -> list[Candidate]:
    films = (
        finalist_films(edition)
        .filter(teacher__is_active=True)
        .select_related("teacher", "school")
        .order_by("pk")
    )
    return [
        Candidate(
            film.teacher.email,
            film.teacher.get_full_name() or film.teacher.email,
            InvitationKind.CLASS,
            film.school.name,
            film.teacher.language,
            film_id=film.pk,
            user_id=film.teacher_id,
            detail=film.title,
        )
        for film in films
    ]


def finalist_companies(edition: Edition) -> list[Candidate]:
    films = finalist_films(edition).filter(company__isnull=False)
    contacts = (
        CompanyContact.objects.filter(company__films__in=films)
        .distinct()
        .select_related("company")
        .order_by("pk")
    )
    return [
        Candidate(c.email, c.name, InvitationKind.COMPANY, c.company.name, company_id=c.company_id)
        for c in contacts
    ]


def edition_jurors(edition: Edition) -> list[Candidate]:
    members = (
        JuryMember.objects.filter(jury__edition=edition, active=True, juror__is_active=True)
        .select_related("juror", "jury")
        .order_by("pk")
    )
    return [
        Candidate(
            m.juror.email,
            m.juror.get_full_name() or m.juror.email,
            InvitationKind.JUROR,
            m.jury.name,
            m.juror.language,
            user_id=m.juror_id,
        )
        for m in members
    ]


@dataclass
class Plan:
    """What sending now would do: new invitations, and roles added to existing ones."""

    new: dict[str, list[Candidate]] = field(default_factory=dict)  # mailbox → its candidates
    added_roles: dict[int, list[Candidate]] = field(default_factory=dict)  # invitation → …
    by_kind: dict[str, int] = field(default_factory=dict)  # addresses per role
    finalists_waiting: bool = False  # a pre-selection whose finalists are not announced yet

    @property
    def new_count(self) -> int:
        return len(self.new)


def plan_invitations(edition: Edition) -> Plan:
    """Read the lists and the invitations already made; writes nothing (shown before sending)."""
    existing = {
        mailbox_key(invitation.email): invitation
        for invitation in CeremonyInvitation.objects.filter(edition=edition)
    }
    known = finalists_known(edition)
    plan = Plan(finalists_waiting=not known)
    finalists = finalist_classes(edition) + finalist_companies(edition) if known else []
    seen: dict[str, set[str]] = {}
    for candidate in finalists + edition_jurors(edition):
        mailbox = mailbox_key(candidate.email)
        if not mailbox:
            continue
        kinds = seen.setdefault(mailbox, set())
        if candidate.kind not in kinds:
            kinds.add(candidate.kind)
            plan.by_kind[candidate.kind] = plan.by_kind.get(candidate.kind, 0) + 1
        invitation = existing.get(mailbox)
        if invitation is None:
            plan.new.setdefault(mailbox, []).append(candidate)
        elif candidate.kind not in invitation.roles:
            plan.added_roles.setdefault(invitation.pk, []).append(candidate)
    return plan


def _organisation(candidates: list[Candidate]) -> str:
    """Each organisation once, a class's films after its school: "School — Film A, Film B"."""
    details: dict[str, list[str]] = {}
    for candidate in candidates:
        if candidate.organisation:
            films = details.setdefault(candidate.organisation, [])
            if candidate.detail and candidate.detail not in films:
                films.append(candidate.detail)
    parts = [f"{name} — {', '.join(films)}" if films else name for name, films in details.items()]
    return " ; ".join(parts)[:500]


def _roles(kinds) -> list[str]:
    return sorted(set(kinds), key=KIND_ORDER.index)


def _first(candidates: list[Candidate], attribute: str):
    return next((getattr(c, attribute) for c in candidates if getattr(c, attribute)), None)


def sync_invitations(*, edition: Edition) -> int:
    """Create the missing invitations and add new roles to existing ones; returns how many were
    created. Existing answers and sending statuses are kept."""
    plan = plan_invitations(edition)
    created = []
    for candidates in plan.new.values():
        roles = _roles(c.kind for c in candidates)
        first = next(c for c in candidates if c.kind == roles[0])
        created.append(
            CeremonyInvitation(
                edition=edition,
                kind=roles[0],
                roles=roles,
                film_id=_first(candidates, "film_id"),
                company_id=_first(candidates, "company_id"),
                user_id=_first(candidates, "user_id"),
                name=first.name[:300],
                organisation=_organisation(candidates),
                email=canonical_email(candidates[0].email),
                language=_first(candidates, "language") or settings.LANGUAGE_CODE,
                token=new_token(),
            )
        )
    CeremonyInvitation.objects.bulk_create(created)
    for invitation in CeremonyInvitation.objects.filter(pk__in=plan.added_roles):
        candidates = plan.added_roles[invitation.pk]
        _merge(invitation, candidates)
    return len(created)


def _merge(invitation: CeremonyInvitation, candidates: list[Candidate]) -> None:
    invitation.roles = _roles([*invitation.roles, *(c.kind for c in candidates)])
    invitation.kind = invitation.roles[0]
    extra = _organisation(candidates)
    if extra and extra not in invitation.organisation:
        invitation.organisation = " ; ".join(p for p in (invitation.organisation, extra) if p)[:500]
    for attribute in ("film_id", "company_id", "user_id"):
        if getattr(invitation, attribute) is None:
            setattr(invitation, attribute, _first(candidates, attribute))
    invitation.save(
        update_fields=["roles", "kind", "organisation", "film_id", "company_id", "user_id"]
    )


# Guests


@dataclass(frozen=True)
class Guest:
    name: str
    email: str
    organisation: str = ""
    language: str = ""


def parse_guest_lines(text: str) -> tuple[list[Guest], list[str]]:
    """A pasted list, one guest a line: "Name; email; organisation" (a tab or a comma works too,
    the organisation may be left out). Returns the guests and an error per unreadable line."""
    guests, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [part.strip() for part in re.split(r"[;\t]", line)]
        if len(parts) == 1:
            parts = [part.strip() for part in line.split(",")]
        email_index = next((i for i, part in enumerate(parts) if "@" in part), None)
        if email_index is None:
            errors.append(_("Ligne %(line)d : aucune adresse e-mail.") % {"line": number})
            continue
        email = parts[email_index].strip("<>").strip()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Ligne %(line)d : « %(email)s » n'est pas une adresse e-mail valide.")
                % {"line": number, "email": email}
            )
            continue
        name = ", ".join(p for p in parts[:email_index] if p) or email
        organisation = ", ".join(p for p in parts[email_index + 1 :] if p)
        guests.append(Guest(name[:300], email, organisation[:500]))
    return guests, errors


def add_guests(*, edition: Edition, organizer: User, guests: list[Guest]) -> tuple[int, int]:
    """Invite guests (not sent yet). An address already invited gets the guest role on its one
    invitation. Returns (new invitations, addresses already invited)."""
    created = merged = 0
    with transaction.atomic():
        # One writer of the edition's invitations at a time (as `start_sending`): two lists
        # added at once never give one mailbox two invitations under two spellings.
        Edition.objects.select_for_update().filter(pk=edition.pk).first()
        invited = {
            mailbox_key(invitation.email): invitation
            for invitation in CeremonyInvitation.objects.select_for_update().filter(edition=edition)
        }
        for guest in guests:
            email = canonical_email(guest.email)
            invitation = invited.get(mailbox_key(email))
            if invitation is not None:
                merged += 1
                if InvitationKind.GUEST not in invitation.roles:
                    _merge(
                        invitation,
                        [Candidate(email, guest.name, InvitationKind.GUEST, guest.organisation)],
                    )
                continue
            invited[mailbox_key(email)] = CeremonyInvitation.objects.create(
                edition=edition,
                kind=InvitationKind.GUEST,
                roles=[InvitationKind.GUEST],
                name=guest.name.strip()[:300],
                organisation=guest.organisation.strip()[:500],
                email=email,
                language=guest.language or settings.LANGUAGE_CODE,
                token=new_token(),
            )
            created += 1
    logger.info(
        "Ceremony of edition %s: %s guest(s) added, %s already invited, by user %s",
        edition.pk,
        created,
        merged,
        organizer.pk,
    )
    return created, merged


# Sending

# The task that sends the invitations calls `send_pending`: judging.apps hands it over.
_sending_task = None


def register_sending_task(task) -> None:
    global _sending_task
    _sending_task = task


def _enqueue(edition: Edition) -> None:
    transaction.on_commit(lambda: _sending_task.enqueue(edition.pk))


def start_sending(*, edition: Edition, organizer: User) -> int:
    """Create the invitations still missing and send every one still waiting; returns how many
    will be written to."""
    with transaction.atomic():
        Edition.objects.select_for_update().filter(pk=edition.pk).first()
        sync_invitations(edition=edition)
        waiting = CeremonyInvitation.objects.filter(
            edition=edition, status=SendingStatus.PENDING
        ).count()
        if not waiting:
            raise DomainError(
                _("Toutes les invitations sont déjà parties : personne n'attend la sienne."),
                code="nothing_to_send",
            )
        _enqueue(edition)
    logger.info(
        "Ceremony of edition %s: %s invitation(s) queued by user %s",
        edition.pk,
        waiting,
        organizer.pk,
    )
    return waiting


def resume_sending(*, edition: Edition, organizer: User) -> None:
    """Queue the sending again (a worker lost): only the invitations still waiting are sent."""
    _enqueue(edition)
    logger.info("Ceremony of edition %s: sending queued again by user %s", edition.pk,
                organizer.pk)  # fmt: skip


def resend(*, invitation: CeremonyInvitation, organizer: User) -> CeremonyInvitation:
    """Send one person's invitation again (lost, in spam, a mail server refused it)."""
    if invitation.status in (SendingStatus.PENDING, SendingStatus.SENDING):
        raise DomainError(
            _("Cette invitation part déjà : attendez la fin de l'envoi."), code="sending"
        )
    invitation.status = SendingStatus.PENDING
    invitation.error = ""
    invitation.save(update_fields=["status", "error"])
    _enqueue(invitation.edition)
    logger.info("Ceremony invitation %s: sent again by user %s", invitation.pk, organizer.pk)
    return invitation


def answer_url(invitation: CeremonyInvitation) -> str:
    return settings.SITE_URL + reverse("public:ceremony_answer", args=[invitation.token])


def build_message(invitation: CeremonyInvitation) -> EmailMessage:
    edition = invitation.edition
    festival = edition.festival
    subject, body = emails.render_templated(
        template="ceremony_invitation",
        context={
            "invitation": invitation,
            "edition": edition,
            "festival": festival,
            "ceremony": ceremony_of(edition),
            "answer_url": answer_url(invitation),
            "max_people": max_people(invitation),
        },
        language=invitation.language,
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        reply_to=[festival.contact_email] if festival.contact_email else None,
    )


def _claim(invitation: CeremonyInvitation) -> bool:
    """Take a waiting invitation for this run: two runs never write to the same person."""
    return bool(
        CeremonyInvitation.objects.filter(pk=invitation.pk, status=SendingStatus.PENDING).update(
            status=SendingStatus.SENDING
        )
    )


def _send_one(invitation: CeremonyInvitation) -> None:
    try:
        build_message(invitation).send()
    except Exception as error:  # one refused address must not stop the others
        logger.warning("Ceremony invitation %s refused: %s", invitation.pk, error)
        invitation.status = SendingStatus.FAILED
        invitation.error = str(error)[:500] or type(error).__name__
    else:
        invitation.status = SendingStatus.SENT
        invitation.error = ""
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["status", "error", "sent_at"])


def send_batch(*, edition: Edition, size: int | None = None) -> int:
    """Write to the next waiting invitations; returns how many were taken."""
    size = size or settings.CALL_BATCH_SIZE
    batch = list(
        CeremonyInvitation.objects.filter(edition=edition, status=SendingStatus.PENDING)
        .select_related("edition__festival")
        .order_by("pk")[:size]
    )
    taken = 0
    for invitation in batch:
        if _claim(invitation):
            _send_one(invitation)
            taken += 1
    return taken


def send_pending(*, edition: Edition, size: int | None = None) -> int:
    """Send every waiting invitation, batch after batch (progress saved after each one)."""
    total = 0
    while taken := send_batch(edition=edition, size=size):
        total += taken
    logger.info("Ceremony of edition %s: %s invitation(s) sent", edition.pk, total)
    return total


# Answers


def answers_open(edition: Edition, now=None) -> bool:
    """An answer can be given or changed until the ceremony starts."""
    return (now or timezone.now()) < edition.ceremony_at


def record_answer(
    *,
    invitation: CeremonyInvitation,
    coming: bool,
    people: int | None,
    note: str = "",
    now=None,
) -> CeremonyInvitation:
    now = now or timezone.now()
    if not answers_open(invitation.edition, now):
        raise DomainError(
            _("La remise des prix a eu lieu : les réponses sont closes."), code="closed"
        )
    limit = max_people(invitation)
    if coming:
        if people is None or not 1 <= people <= limit:
            raise DomainError(
                {
                    "people": [
                        _("Indiquez un nombre de personnes entre 1 et %(max)d.") % {"max": limit}
                    ]
                }
            )
    invitation.answer = Answer.YES if coming else Answer.NO
    invitation.people = people if coming else 0
    invitation.note = (note or "").strip()[:2000]
    invitation.answered_at = now
    invitation.save(update_fields=["answer", "people", "note", "answered_at"])
    logger.info("Ceremony invitation %s answered: %s", invitation.pk, invitation.answer)
    return invitation


# A school's data erased (festival.domain.school_erasure)


def forget_erased_school(
    *, festival_id: int, film_ids, teachers, anonymised_ids
) -> tuple[int, int]:
    """The school's teachers leave the festival's ceremonies: an invitation naming one of the
    school's films, one of its teachers' accounts or mailboxes goes (name, address, school,
    film, answer), and its answer link says it no longer holds. A teacher whose account is
    kept (another festival's member) and who is also invited in another role keeps that
    invitation, without its class and its organisation. Returns (deleted, changed)."""
    film_ids, anonymised_ids = set(film_ids), set(anonymised_ids)
    user_ids = {teacher.pk for teacher in teachers}
    mailboxes = {mailbox_key(teacher.email) for teacher in teachers}
    closed = {mailbox_key(t.email) for t in teachers if t.pk in anonymised_ids}
    deleted, changed = [], 0
    for invitation in CeremonyInvitation.objects.filter(edition__festival_id=festival_id):
        mailbox = mailbox_key(invitation.email)
        if not (
            invitation.film_id in film_ids or invitation.user_id in user_ids or mailbox in mailboxes
        ):
            continue
        others = [role for role in invitation.roles if role != InvitationKind.CLASS]
        if not others or mailbox in closed or invitation.user_id in anonymised_ids:
            deleted.append(invitation.pk)
            continue
        invitation.roles, invitation.kind = others, others[0]
        invitation.film, invitation.organisation = None, ""
        invitation.save(update_fields=["roles", "kind", "film", "organisation"])
        changed += 1
    CeremonyInvitation.objects.filter(pk__in=deleted).delete()
    if deleted or changed:
        logger.info(
            "Ceremony invitations of festival %s: %s removed, %s without their class "
            "(a school's data erased)",
            festival_id,
            len(deleted),
            changed,
        )
    return len(deleted), changed


def on_school_data_erased(sender, *, festival, film_ids, teachers, anonymised_ids, **kwargs):
    forget_erased_school(
        festival_id=festival.pk,
        film_ids=film_ids,
        teachers=teachers,
        anonymised_ids=anonymised_ids,
    )


# What the organizers read


@dataclass(frozen=True)
class AnswerCounts:
    total: int
    coming: int
    not_coming: int
    no_answer: int
    people: int
    waiting: int  # not sent yet
    failed: int


def answer_counts(edition: Edition) -> AnswerCounts:
    row = CeremonyInvitation.objects.filter(edition=edition).aggregate(
        total=Count("pk"),
        coming=Count("pk", filter=Q(answer=Answer.YES)),
        not_coming=Count("pk", filter=Q(answer=Answer.NO)),
        no_answer=Count("pk", filter=Q(answer=Answer.PENDING)),
        people=Sum("people", filter=Q(answer=Answer.YES), default=0),
        waiting=Count("pk", filter=Q(status__in=[SendingStatus.PENDING, SendingStatus.SENDING])),
        failed=Count("pk", filter=Q(status=SendingStatus.FAILED)),
    )
    return AnswerCounts(**row)
