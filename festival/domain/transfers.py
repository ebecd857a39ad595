"""A regional festival sends its winners to another festival's edition (a national final).

An organizer of the source festival offers an awarded film, once its edition's palmarès is
published, to the current edition of another festival of the installation that has not started
judging yet. The target festival's organizers accept it (in one of their categories) or decline
it with a reason. Until they decide, the source festival's organizers may withdraw the offer
(and offer the film again later). Accepted, it becomes a new film of the target edition
(`Film.forwarded_from`), accepted at once, that shares the source film's stored files: the
original keeps its stored name, consents are new rows on the same files with their validated
state, and the media pipeline copies its rows through the copier it registers here.
`festival.stored_files` deletes a shared file only when no row refers to it any more.
"""

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails
from festival.domain import DomainError
from festival.enums import FilmStatus, Role
from festival.models import (
    Category,
    ConsentForm,
    Edition,
    Film,
    FilmEvent,
    FilmTransfer,
    TransferState,
    User,
)
from festival.rules import is_festival_organizer, is_film_organizer
from festival.signals import film_status_changed

logger = logging.getLogger(__name__)

# Registered by the apps above: judging reads the awarded films of a live palmarès, the media
# pipeline copies a film's media rows onto the forwarded film.
AwardedReader = Callable[[Edition], set[int]]
MediaCopier = Callable[..., object]
_awarded_readers: list[AwardedReader] = []
_media_copiers: list[MediaCopier] = []


def register_awarded_reader(reader: AwardedReader) -> None:
    """`reader(edition)`: ids of the films awarded in the edition's published palmarès."""
    if reader not in _awarded_readers:
        _awarded_readers.append(reader)


def register_media_copier(copier: MediaCopier) -> None:
    """`copier(source=film, target=film)`: give the forwarded film its media rows."""
    if copier not in _media_copiers:
        _media_copiers.append(copier)


def awarded_film_ids(edition: Edition) -> set[int]:
    ids: set[int] = set()
    for reader in _awarded_readers:
        ids |= reader(edition)
    return ids


def target_editions(*, film: Film, now=None):
    """Where a film may be offered: the current edition of any other festival of the
    installation whose judging has not started (its jurors can still be given the film)."""
    now = now or timezone.now()
    return (
        Edition.objects.filter(is_current=True, judging_start_at__gt=now)
        .exclude(festival_id=film.edition.festival_id)
        .select_related("festival")
        .order_by("festival__name", "-year")
    )


def offerable_films(*, editions: Iterable[Edition]) -> list[Film]:
    """The awarded films of these editions whose palmarès is published, in their order."""
    ids: set[int] = set()
    for edition in editions:
        if edition.palmares_is_published():
            ids |= awarded_film_ids(edition)
    if not ids:
        return []
    return list(
        Film.objects.filter(pk__in=ids, status=FilmStatus.ACCEPTED).select_related(
            "edition__festival", "category", "school"
        )
    )


def offer_errors(*, film: Film) -> list[str]:
    """Why this film cannot be offered now (empty when it can)."""
    if not film.edition.palmares_is_published():
        return [_("Le palmarès de l'édition doit être publié avant d'envoyer ses lauréats.")]
    if film.status != FilmStatus.ACCEPTED or film.pk not in awarded_film_ids(film.edition):
        return [_("Seuls les films primés au palmarès publié peuvent être envoyés.")]
    return []


CLOSED_STATES = (TransferState.DECLINED, TransferState.WITHDRAWN)


def _live_offer(film: Film, edition: Edition) -> FilmTransfer | None:
    return (
        FilmTransfer.objects.filter(film=film, target_edition=edition)
        .exclude(state__in=CLOSED_STATES)
        .first()
    )


def _already_closed(state: str) -> DomainError:
    """The offer no longer waits: someone answered or withdrew it a moment ago."""
    if state == TransferState.WITHDRAWN:
        text = _("L'organisation du festival d'origine a retiré cette proposition.")
    else:
        text = _("Cette proposition a déjà reçu une réponse : « %(state)s ».") % {
            "state": TransferState(state).label
        }
    return DomainError(text, code="decided")


def offer_film(
    *, film: Film, target_edition: Edition, user: User, message: str = ""
) -> FilmTransfer:
    """An organizer of the film's festival offers it to another festival's edition."""
    if not is_film_organizer(user, film):
        raise DomainError(_("Seule l'organisation du festival du film peut l'envoyer."))
    errors = offer_errors(film=film)
    if errors:
        raise DomainError(errors[0], code="not_offerable")
    if not target_editions(film=film).filter(pk=target_edition.pk).exists():
        raise DomainError(
            _("Cette édition n'accueille pas de films d'autres festivals en ce moment."),
            code="target_closed",
        )
    with transaction.atomic():
        if _live_offer(film, target_edition) is not None:
            raise DomainError(
                _("Ce film est déjà proposé à cette édition."), code="already_offered"
            )
        transfer = FilmTransfer.objects.create(
            film=film,
            target_edition=target_edition,
            offered_by=user,
            message=(message or "").strip(),
        )
    logger.info("Film %s offered to edition %s by user %s", film.pk, target_edition.pk, user.pk)
    emails.send_to_users(
        template="transfer_offered",
        users=User.objects.members_of(target_edition.festival_id, Role.ORGANIZER),
        context={"transfer": transfer, "film": film},
    )
    return transfer


def _check_decider(transfer: FilmTransfer, user: User) -> None:
    if not is_festival_organizer(user, transfer.target_edition.festival_id):
        raise DomainError(_("Seule l'organisation du festival d'accueil peut décider."))
    if transfer.state != TransferState.OFFERED:
        raise _already_closed(transfer.state)


def accept_errors(*, transfer: FilmTransfer, now=None) -> list[str]:
    if transfer.target_edition.judging_is_over(now):
        return [
            _("L'évaluation de cette édition est terminée : elle ne peut plus accueillir de film.")
        ]
    return []


def accept_transfer(*, transfer: FilmTransfer, user: User, category: Category) -> Film:
    """Accept the offer: the film joins the target edition, accepted, sharing its files."""
    _check_decider(transfer, user)
    if category.edition_id != transfer.target_edition_id:
        raise DomainError(
            _("Choisissez une catégorie de l'édition d'accueil."), code="wrong_category"
        )
    errors = accept_errors(transfer=transfer)
    if errors:
        raise DomainError(errors[0], code="target_closed")
    source = transfer.film
    now = timezone.now()
    with transaction.atomic():
        locked = FilmTransfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.state != TransferState.OFFERED:
            raise _already_closed(locked.state)
        film = _forwarded_copy(source=source, edition=transfer.target_edition, category=category)
        FilmEvent.objects.create(
            film=film, actor=user, from_status="", to_status=FilmStatus.ACCEPTED
        )
        for copier in _media_copiers:
            copier(source=source, target=film)
        transfer.state = TransferState.ACCEPTED
        transfer.target_category = category
        transfer.decided_by = user
        transfer.decided_at = now
        transfer.resulting_film = film
        transfer.save(
            update_fields=["state", "target_category", "decided_by", "decided_at", "resulting_film"]
        )
    logger.info("Transfer %s accepted: film %s is film %s", transfer.pk, source.pk, film.pk)
    # Judging gives the film to the target edition's jurors, as for any film accepted there.
    film_status_changed.send(sender=Film, film=film, previous=FilmStatus.SUBMITTED, actor=user)
    context = {"transfer": transfer, "film": source, "forwarded": film}
    emails.send_to_users(
        template="transfer_accepted",
        users=User.objects.members_of(source.edition.festival_id, Role.ORGANIZER),
        context=context,
    )
    emails.send_to_user(template="transfer_accepted_teacher", user=source.teacher, context=context)
    return film


def _forwarded_copy(*, source: Film, edition: Edition, category: Category) -> Film:
    """The new film of the target edition: the same facts, the same stored files."""
    film = Film.objects.create(
        edition=edition,
        category=category,
        school_id=source.school_id,
        company_id=source.company_id,
        teacher_id=source.teacher_id,
        title=source.title,
        synopsis=source.synopsis,
        pupil_count=source.pupil_count,
        pupils_on_screen=source.pupils_on_screen,
        crew=source.crew,
        # The same stored name: nothing is copied (festival.stored_files counts both rows).
        original_video=source.original_video.name,
        original_filename=source.original_filename,
        original_size=source.original_size,
        video_uploaded_at=source.video_uploaded_at,
        original_deleted_at=source.original_deleted_at,
        consents_deleted_at=source.consents_deleted_at,
        status=FilmStatus.ACCEPTED,
        submitted_at=source.submitted_at,
        music_rights=source.music_rights,
        third_party_credits=source.third_party_credits,
        rights_declared_at=source.rights_declared_at,
        rights_declared_by_id=source.rights_declared_by_id,
        forwarded_from=source,
    )
    film.trades.set(source.trades.all())
    ConsentForm.objects.bulk_create(
        ConsentForm(
            film=film,
            file=consent.file.name,
            original_filename=consent.original_filename,
            content_type=consent.content_type,
            uploaded_by_id=consent.uploaded_by_id,
            status=consent.status,
            reviewed_by_id=consent.reviewed_by_id,
            reviewed_at=consent.reviewed_at,
            review_note=consent.review_note,
        )
        for consent in source.consents.all()
    )
    return film


def decline_transfer(*, transfer: FilmTransfer, user: User, reason: str) -> FilmTransfer:
    """Decline the offer; the source festival's organizers read the reason."""
    _check_decider(transfer, user)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Indiquez pourquoi : l'organisation du festival d'origine le recevra."),
            code="reason_required",
        )
    with transaction.atomic():
        # The offering festival may be withdrawing it at this very moment.
        locked = FilmTransfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.state != TransferState.OFFERED:
            raise _already_closed(locked.state)
        transfer.state = TransferState.DECLINED
        transfer.reason = reason
        transfer.decided_by = user
        transfer.decided_at = timezone.now()
        transfer.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    emails.send_to_users(
        template="transfer_declined",
        users=User.objects.members_of(transfer.film.edition.festival_id, Role.ORGANIZER),
        context={"transfer": transfer, "film": transfer.film},
    )
    return transfer


def withdraw_transfer(*, transfer: FilmTransfer, user: User) -> FilmTransfer:
    """The offering festival takes its offer back while the target festival has not decided.

    The row is locked and read again: an offer accepted or declined a moment ago stays as it
    is, and the organizer reads why. Withdrawn, the film may be offered again."""
    if not is_film_organizer(user, transfer.film):
        raise DomainError(
            _("Seule l'organisation du festival du film peut retirer cette proposition."),
            code="not_allowed",
        )
    with transaction.atomic():
        locked = FilmTransfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.state == TransferState.WITHDRAWN:
            raise DomainError(_("Cette proposition est déjà retirée."), code="withdrawn")
        if locked.state != TransferState.OFFERED:
            raise DomainError(
                _(
                    "Cette proposition ne peut plus être retirée : elle a reçu une réponse "
                    "entre-temps (« %(state)s »)."
                )
                % {"state": TransferState(locked.state).label},
                code="decided",
            )
        transfer.state = TransferState.WITHDRAWN
        transfer.withdrawn_by = user
        transfer.withdrawn_at = timezone.now()
        transfer.save(update_fields=["state", "withdrawn_by", "withdrawn_at"])
    logger.info("Transfer %s withdrawn by user %s", transfer.pk, user.pk)
    emails.send_to_users(
        template="transfer_withdrawn",
        users=User.objects.members_of(transfer.target_edition.festival_id, Role.ORGANIZER),
        context={"transfer": transfer, "film": transfer.film},
    )
    return transfer
