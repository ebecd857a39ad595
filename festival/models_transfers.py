"""A regional festival's awarded film offered to another festival's edition (a national final).

The offer is decided by the target festival's organizers: accepted, it becomes a new film of the
target edition (`Film.forwarded_from`) that shares the source film's stored files
(`festival.domain.transfers`, `festival.stored_files`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TransferState(models.TextChoices):
    OFFERED = "offered", pgettext_lazy("transfer", "Proposé")
    ACCEPTED = "accepted", pgettext_lazy("transfer", "Accepté")
    DECLINED = "declined", pgettext_lazy("transfer", "Décliné")
    # Taken back by the offering festival before the target festival decided.
    WITHDRAWN = "withdrawn", pgettext_lazy("transfer", "Retiré")


class FilmTransfer(models.Model):
    film = models.ForeignKey(
        "festival.Film",
        verbose_name=_("film proposé"),
        on_delete=models.CASCADE,
        related_name="transfers_out",
    )
    target_edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition d'accueil"),
        on_delete=models.CASCADE,
        related_name="transfers_in",
    )
    target_category = models.ForeignKey(
        "festival.Category",
        verbose_name=_("catégorie d'accueil"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("état"), max_length=20, choices=TransferState.choices, default=TransferState.OFFERED
    )
    message = models.TextField(_("message aux organisateurs"), blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered_at = models.DateTimeField(_("proposé le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retiré par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    resulting_film = models.OneToOneField(
        "festival.Film",
        verbose_name=_("film créé dans l'édition d'accueil"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfer_in",
    )

    class Meta:
        verbose_name = _("film proposé à une autre édition")
        verbose_name_plural = _("films proposés à d'autres éditions")
        ordering = ["-offered_at", "-pk"]
        constraints = [
            # One live offer (waiting or accepted) of a film to an edition; a declined or
            # withdrawn one may be followed by a new offer.
            models.UniqueConstraint(
                fields=["film", "target_edition"],
                condition=~Q(state__in=["declined", "withdrawn"]),
                name="filmtransfer_one_live_offer",
            ),
        ]

    def __str__(self):
        return f"{self.film} → {self.target_edition}"

    @property
    def is_waiting(self) -> bool:
        return self.state == TransferState.OFFERED

    @property
    def closed_at(self):
        """When the offer stopped waiting: decided by the target, or withdrawn by the source."""
        return self.withdrawn_at or self.decided_at
