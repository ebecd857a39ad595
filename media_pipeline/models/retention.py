"""One run of the retention chore (manage.py apply_retention): what it deleted, and when."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """Recorded for every real run (a dry run records nothing), even one that removed nothing,
    so that operators see the chore runs."""

    ran_at = models.DateTimeField(_("exécutée le"), auto_now_add=True)
    originals_deleted = models.PositiveIntegerField(_("vidéos originales supprimées"), default=0)
    consents_deleted = models.PositiveIntegerField(_("autorisations supprimées"), default=0)
    files_kept = models.PositiveIntegerField(
        _("fichiers gardés"),
        default=0,
        help_text=_("Fichiers qu'un autre film utilise encore (une finale nationale) : gardés."),
    )
    bytes_freed = models.BigIntegerField(_("octets libérés"), default=0)
    # [{"film": pk, "title": ..., "edition": pk, "festival": pk, "originals": n, "consents": n}]
    films = models.JSONField(_("films concernés"), default=list, blank=True)

    class Meta:
        verbose_name = _("passage de la conservation des données")
        verbose_name_plural = _("passages de la conservation des données")
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}"
