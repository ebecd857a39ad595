"""An edition's ceremony (remise des prix): where it happens, its programme and how to get there.

Its date stays the edition's `ceremony_at` (the calendar lives on `Edition`); this page adds the
place and the practical information, shown to the public once an organizer opens it.
Imported at the end of `festival.models`, so Django sees this model as the festival app's.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ceremony(models.Model):
    edition = models.OneToOneField(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="ceremony",
    )
    place = models.CharField(_("lieu"), max_length=200)
    address = models.TextField(_("adresse"))
    programme = models.TextField(_("programme"), blank=True)
    transport = models.TextField(_("venir en transports en commun"), blank=True)
    parking = models.TextField(_("stationnement"), blank=True)
    accessibility = models.TextField(_("accessibilité"), blank=True)
    opened_at = models.DateTimeField(_("page ouverte au public le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("remise des prix")
        verbose_name_plural = _("remises des prix")

    def __str__(self):
        return f"{self.edition} — {self.place}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    @property
    def location(self) -> str:
        """The place and its address on one line (an agenda's LOCATION)."""
        address = ", ".join(line.strip() for line in self.address.splitlines() if line.strip())
        return f"{self.place}, {address}" if address else self.place
