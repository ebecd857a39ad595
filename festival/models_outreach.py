"""Reaching people: the call for entries an organizer sends, who unsubscribed from it, and the
reminders teachers receive about their films (each one sent once).

Imported at the end of `festival.models`, so Django sees these models as the festival app's.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    PAST_TEACHERS = "past_teachers", _("Les enseignants des éditions précédentes")
    SCHOOLS = "schools", _("Les établissements des académies déjà connues et leurs enseignants")
    COMPANIES = "companies", _("Les contacts des entreprises partenaires")


class CallStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("call", "Brouillon")
    SENDING = "sending", pgettext_lazy("call", "Envoi en cours")
    SENT = "sent", pgettext_lazy("call", "Envoyé")


class RecipientStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("recipient", "À envoyer")
    SENDING = "sending", pgettext_lazy("recipient", "En cours d'envoi")
    SENT = "sent", pgettext_lazy("recipient", "Envoyé")
    FAILED = "failed", pgettext_lazy("recipient", "Échec")


class ReminderKind(models.TextChoices):
    DEADLINE_NEAR = "deadline_near", _("Date limite proche")
    NEEDS_CHANGES = "needs_changes", _("Film à compléter")
    DEADLINE_PASSED = "deadline_passed", _("Date limite passée")


class CallForEntries(models.Model):
    """An edition's call for entries: written once, sent to the chosen lists through the task
    queue. Once sent, it is read-only."""

    edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="calls_for_entries",
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(
        _("message"), help_text=_("Texte simple ; une ligne vide sépare deux paragraphes.")
    )
    audiences = models.JSONField(_("destinataires"), default=list)
    status = models.CharField(
        _("statut"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    recipient_count = models.PositiveIntegerField(_("destinataires"), default=0)
    sent_count = models.PositiveIntegerField(_("envoyés"), default=0)
    failed_count = models.PositiveIntegerField(_("échecs"), default=0)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("appel à films")
        verbose_name_plural = _("appels à films")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.status == CallStatus.DRAFT

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(code).label for code in Audience.values if code in self.audiences]

    @property
    def done_count(self) -> int:
        return self.sent_count + self.failed_count

    @property
    def percent(self) -> int:
        if not self.recipient_count:
            return 100 if self.status == CallStatus.SENT else 0
        return round(100 * self.done_count / self.recipient_count)


class CallRecipient(models.Model):
    """One mailbox a call goes to, with its own status: sending again never writes twice."""

    call = models.ForeignKey(
        CallForEntries,
        verbose_name=_("appel à films"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    email = models.EmailField(_("adresse e-mail"))
    name = models.CharField(_("nom"), max_length=300, blank=True)
    audience = models.CharField(_("liste"), max_length=20, choices=Audience.choices)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=RecipientStatus.choices,
        default=RecipientStatus.PENDING,
    )
    error = models.TextField(_("erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("destinataire d'un appel")
        verbose_name_plural = _("destinataires d'un appel")
        ordering = ["call", "email"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="call_recipient_unique_email")
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return self.email


class CallUnsubscription(models.Model):
    """An address that no longer wants this festival's calls (other festivals may still write)."""

    festival = models.ForeignKey(
        "festival.Festival",
        verbose_name=_("festival"),
        on_delete=models.CASCADE,
        related_name="call_unsubscriptions",
    )
    email = models.EmailField(_("adresse e-mail"))
    created_at = models.DateTimeField(_("désinscrit le"), default=timezone.now)

    class Meta:
        verbose_name = _("désinscription des appels à films")
        verbose_name_plural = _("désinscriptions des appels à films")
        ordering = ["festival", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["festival", "email"], name="call_unsubscription_unique_email"
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.festival})"


class FilmReminder(models.Model):
    """A reminder a teacher received about a film: its row is what makes it sent once."""

    film = models.ForeignKey(
        "festival.Film", verbose_name=_("film"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("rappel"), max_length=20, choices=ReminderKind.choices)
    key = models.CharField(_("clé"), max_length=100)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("rappel à un enseignant")
        verbose_name_plural = _("rappels aux enseignants")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["film", "kind", "key"], name="film_reminder_sent_once")
        ]

    def __str__(self):
        return f"{self.film}: {self.kind} ({self.key})"
