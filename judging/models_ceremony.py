"""The ceremony's invitations with their answers, and the palmarès scheduled for the ceremony.

Invitations live in judging because they read the juries and the finalists. `festival.Invitation`
is something else (an account invitation). Imported at the end of `judging.models`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InvitationKind(models.TextChoices):
    """Why someone is invited; in this order, the first of a person's roles is their kind."""

    CLASS = "class", _("Classe finaliste")
    COMPANY = "company", _("Entreprise partenaire")
    JUROR = "juror", _("Juré")
    GUEST = "guest", _("Invité")


class SendingStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation", "À envoyer")
    SENDING = "sending", pgettext_lazy("invitation", "En cours d'envoi")
    SENT = "sent", pgettext_lazy("invitation", "Envoyée")
    FAILED = "failed", pgettext_lazy("invitation", "Échec")


class Answer(models.TextChoices):
    PENDING = "pending", pgettext_lazy("answer", "Pas de réponse")
    YES = "yes", pgettext_lazy("answer", "Vient")
    NO = "no", pgettext_lazy("answer", "Ne vient pas")


class CeremonyInvitation(models.Model):
    """One invitation per mailbox and ceremony, listing every role of that address."""

    edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="ceremony_invitations",
    )
    kind = models.CharField(_("invité comme"), max_length=10, choices=InvitationKind.choices)
    roles = models.JSONField(_("rôles"), default=list)
    film = models.ForeignKey(
        "festival.Film",
        verbose_name=_("film"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ceremony_invitations",
    )
    company = models.ForeignKey(
        "festival.Company",
        verbose_name=_("entreprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("nom"), max_length=300)
    organisation = models.CharField(_("organisation ou classe"), max_length=500, blank=True)
    email = models.EmailField(_("adresse e-mail"))
    language = models.CharField(_("langue"), max_length=10, blank=True)
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("envoi"), max_length=10, choices=SendingStatus.choices, default=SendingStatus.PENDING
    )
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    answer = models.CharField(
        _("réponse"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    people = models.PositiveSmallIntegerField(_("nombre de personnes"), default=0)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    note = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation à la remise des prix")
        verbose_name_plural = _("invitations à la remise des prix")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "edition", Lower("email"), name="ceremony_invitation_one_per_mailbox"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def role_labels(self) -> list[str]:
        return [str(InvitationKind(role).label) for role in self.roles if role in InvitationKind]


class ScheduleState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("schedule", "Programmée")
    PUBLISHED = "published", pgettext_lazy("schedule", "Publiée")
    CANCELLED = "cancelled", pgettext_lazy("schedule", "Annulée")
    FAILED = "failed", pgettext_lazy("schedule", "Échec")


class ScheduledPublication(models.Model):
    """The palmarès to publish by itself at a given time (the announcement at the ceremony)."""

    edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="scheduled_publications",
    )
    publish_at = models.DateTimeField(_("publication prévue le"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programmée par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("état"), max_length=10, choices=ScheduleState.choices, default=ScheduleState.SCHEDULED
    )
    error = models.TextField(_("motif de l'échec"), blank=True)
    publication = models.ForeignKey(
        "judging.Publication",
        verbose_name=_("publication"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publication programmée")
        verbose_name_plural = _("publications programmées")
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(state="scheduled"),
                name="scheduled_publication_one_per_edition",
            ),
        ]

    def __str__(self):
        return f"{self.edition} @ {self.publish_at:%Y-%m-%d %H:%M}"
