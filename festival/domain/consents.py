"""Image-rights consent forms: teachers upload them, organizers validate them."""

from django.utils import timezone
from django.utils.translation import gettext as _

from festival import emails, stored_files
from festival.domain import DomainError
from festival.enums import ConsentStatus, FilmStatus
from festival.models import ConsentForm, Film, User
from festival.uploads import clean_filename, consent_content_type

OPEN_FOR_CONSENTS = {
    FilmStatus.DRAFT,
    FilmStatus.SUBMITTED,
    FilmStatus.NEEDS_CHANGES,
    FilmStatus.ACCEPTED,
}


def add_consent(*, film: Film, user: User, uploaded_file) -> ConsentForm:
    # Consents may still arrive after submission: schools often collect the last ones late.
    if film.status not in OPEN_FOR_CONSENTS:
        raise DomainError(
            _("On ne peut plus ajouter d'autorisation à un film « %(status)s ».")
            % {"status": film.get_status_display()},
            code="consent_closed",
        )
    if film.forwarded_from_id is not None:
        raise DomainError(
            _(
                "Ce film vient d'un autre festival : ses autorisations sont celles du film "
                "d'origine."
            ),
            code="consent_forwarded",
        )
    content_type = consent_content_type(uploaded_file)
    consent = ConsentForm(
        film=film,
        uploaded_by=user,
        original_filename=clean_filename(uploaded_file.name),
        content_type=content_type,
    )
    consent.file.save("consent", uploaded_file, save=False)
    consent.save()
    return consent


def delete_consent(*, consent: ConsentForm, user: User) -> None:
    if consent.film.forwarded_from_id is not None:
        raise DomainError(
            _(
                "Ce film vient d'un autre festival : ses autorisations sont celles du film "
                "d'origine."
            ),
            code="consent_forwarded",
        )
    if consent.status == ConsentStatus.VALIDATED:
        raise DomainError(
            _("Cette autorisation a déjà été validée : elle ne peut plus être supprimée."),
            code="consent_validated",
        )
    name = consent.file.name
    storage = consent.file.storage
    consent.delete()
    # A film forwarded to another festival's edition shares its consents' files.
    stored_files.release(storage, name)


def review_consent(
    *, consent: ConsentForm, organizer: User, status: str, note: str = ""
) -> ConsentForm:
    if status not in (ConsentStatus.VALIDATED, ConsentStatus.REFUSED):
        raise DomainError(_("Décision inconnue."), code="consent_decision")
    note = (note or "").strip()
    if status == ConsentStatus.REFUSED and not note:
        raise DomainError(
            _("Indiquez pourquoi l'autorisation est refusée : l'enseignant le recevra."),
            code="reason_required",
        )
    consent.status = status
    consent.review_note = note
    consent.reviewed_by = organizer
    consent.reviewed_at = timezone.now()
    consent.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    if status == ConsentStatus.REFUSED:
        emails.send_to_user(
            template="consent_refused",
            user=consent.film.teacher,
            context={"film": consent.film, "consent": consent, "reason": note},
        )
    return consent
