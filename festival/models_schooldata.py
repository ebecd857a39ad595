"""A school's data, exported or erased at its request (RGPD): the record of each request.

Imported at the end of `festival.models`, so Django sees this model as the festival app's.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SchoolDataRequestKind(models.TextChoices):
    EXPORT = "export", pgettext_lazy("school data", "Export")
    ERASURE = "erasure", pgettext_lazy("school data", "Effacement")


class SchoolDataRequest(models.Model):
    """One export or erasure of what a festival holds about a school, made by an organizer.

    The record keeps no personal data: counts, film ids and titles (kept by the erasure), and
    the words of the request."""

    school = models.ForeignKey(
        "festival.School",
        verbose_name=_("établissement"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    festival = models.ForeignKey(
        "festival.Festival",
        verbose_name=_("festival"),
        on_delete=models.CASCADE,
        related_name="school_data_requests",
    )
    kind = models.CharField(_("type"), max_length=20, choices=SchoolDataRequestKind.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fait par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    made_at = models.DateTimeField(_("fait le"), default=timezone.now)
    # The erasure's request, as the organizer received it.
    asked_by = models.CharField(_("demandé par"), max_length=200, blank=True)
    asked_on = models.DateField(_("demande reçue le"), null=True, blank=True)
    keep_published = models.BooleanField(_("films publiés conservés"), default=False)
    note = models.TextField(_("remarque"), blank=True)
    film_count = models.PositiveIntegerField(_("films"), default=0)
    consent_count = models.PositiveIntegerField(_("autorisations"), default=0)
    teacher_count = models.PositiveIntegerField(_("enseignants"), default=0)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("demande sur les données d'un établissement")
        verbose_name_plural = _("demandes sur les données des établissements")
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["festival", "school", "kind"])]

    def __str__(self):
        return f"{self.school} — {self.get_kind_display()} ({self.made_at:%Y-%m-%d})"
