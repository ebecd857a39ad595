"""A school's data erased at its request (RGPD), in one transaction.

What goes is listed by `festival.school_data.erasure_plan` (the check page shows the same
list): the consents of the films not kept (rows, then their files released), the pupils' first
names, the originals of the films not kept, the films taken down (their consents gone, the
consent gate closes them) and withdrawn from the competition, the teachers' memberships of the
festival, and the teachers' accounts that belong to no other festival, anonymised and closed.
The apps above forget their part on `festival.signals.school_data_erased` (judging: the
teachers' invitations to the festival's ceremonies).
Titles and synopses stay. The shared `School` row and the accounts of other festivals' members
stay as they are.
"""

import logging
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails
from festival.domain import DomainError
from festival.domain.films import set_film_status
from festival.enums import FilmStatus
from festival.models import (
    Festival,
    Film,
    School,
    SchoolDataRequest,
    SchoolDataRequestKind,
    User,
)
from festival.models_outreach import RecipientStatus
from festival.school_data import (
    ERASED_EMAIL_DOMAIN,
    ERASED_LAST_NAME,
    erasure_plan,
    school_films,
)
from festival.signals import film_originals_erased, school_data_erased
from festival.stored_files import release

logger = logging.getLogger(__name__)

def erased_email() -> str:
    return f"compte-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"


def anonymise_account(user: User) -> None:
    user.first_name = ""
    user.last_name = ERASED_LAST_NAME
    user.email = erased_email()
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["first_name", "last_name", "email", "phone", "is_active", "password"])


def erase_school_data(
    *,
    school: School,
    festival: Festival,
    organizer: User,
    asked_by: str,
    asked_on,
    keep_published: bool,
    note: str = "",
) -> SchoolDataRequest:
    """Erase what `festival` holds about `school`; a second erasure finds nothing left."""
    with transaction.atomic():
        # One erasure of a school at a time (a no-op on SQLite, which writes one at a time).
        School.objects.select_for_update().filter(pk=school.pk).first()
        plan = erasure_plan(school=school, festival_id=festival.pk, keep_published=keep_published)
        if plan.nothing_left:
            raise DomainError(
                _(
                    "Il ne reste rien à effacer : les données de cet établissement ont déjà "
                    "été effacées."
                ),
                code="nothing_left",
            )
        now = timezone.now()
        withdrawn = []
        for film in plan.withdrawn:
            set_film_status(
                film=film,
                to=FilmStatus.WITHDRAWN,
                actor=organizer,
                # In the organizer's language, as a reason they would have typed.
                reason=_("Données effacées à la demande de l'établissement."),
            )
            withdrawn.append(film.pk)
        for consent in plan.consents:
            storage, name = consent.file.storage, consent.file.name
            consent.delete()
            release(storage, name)
        for film in plan.originals:
            storage, name = film.original_video.storage, film.original_video.name
            film.original_video = ""
            film.original_filename = ""
            film.original_size = None
            film.save(update_fields=["original_video", "original_filename", "original_size"])
            release(storage, name)
            film_originals_erased.send(sender=Film, film=film)
        Film.objects.filter(pk__in=[film.pk for film in plan.crews]).update(crew="", updated_at=now)
        for membership in plan.memberships:
            membership.delete()
        for recipient in plan.call_recipients:
            if recipient.status == RecipientStatus.PENDING:
                recipient.delete()
            else:
                recipient.email, recipient.name = erased_email(), ""
                recipient.save(update_fields=["email", "name"])
        details = {
            "kept_films": [{"id": f.pk, "title": f.title} for f in plan.kept_films],
            "taken_down_films": [{"id": f.pk, "title": f.title} for f in plan.taken_down],
            "withdrawn_films": withdrawn,
            "consents_deleted": len(plan.consents),
            "crews_removed": len(plan.crews),
            "originals_deleted": len(plan.originals),
            "memberships_removed": len(plan.memberships),
            "accounts_anonymised": len(plan.anonymised),
            "accounts_kept": len(plan.accounts_kept),
            "call_addresses_removed": len(plan.call_recipients),
        }
        record = SchoolDataRequest.objects.create(
            school=school,
            festival=festival,
            kind=SchoolDataRequestKind.ERASURE,
            made_by=organizer,
            made_at=now,
            asked_by=asked_by,
            asked_on=asked_on,
            keep_published=keep_published,
            note=note,
            film_count=plan.film_count,
            consent_count=len(plan.consents),
            teacher_count=len(plan.anonymised),
            details=details,
        )
        # Written while the addresses are still theirs; the messages leave once it is done.
        for teacher in plan.recipients:
            emails.send_to_user(
                template="school_data_erased",
                user=teacher,
                context={
                    "school": school,
                    "festival": festival,
                    "organizer": organizer,
                    "record": record,
                    "plan": plan,
                    "account_erased": teacher in plan.anonymised,
                },
            )
        # The apps above forget what they hold about the school's teachers (judging: their
        # ceremony invitations), while their addresses are still theirs.
        school_data_erased.send(
            sender=School,
            festival=festival,
            film_ids=set(
                school_films(school=school, festival_id=festival.pk).values_list("pk", flat=True)
            ),
            teachers=plan.anonymised + plan.accounts_kept,
            anonymised_ids={teacher.pk for teacher in plan.anonymised},
        )
        for teacher in plan.anonymised:
            anonymise_account(teacher)
    logger.info(
        "School %s: data erased for festival %s by user %s (%s)",
        school.pk,
        festival.pk,
        organizer.pk,
        details,
    )
    return record
