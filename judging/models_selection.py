"""The pre-selection round of an edition and its finalists (imported by `judging.models`)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from judging.enums import SelectionNoticeKind, SelectionState


class SelectionRound(models.Model):
    """An edition's optional pre-selection: the organizers (or a pre-selection jury) choose
    the finalists of each category, announced on a date they set."""

    edition = models.OneToOneField(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="selection_round",
    )
    enabled = models.BooleanField(
        _("présélection"),
        default=False,
        help_text=_("Seuls les finalistes vont aux jurys de la finale et peuvent être primés."),
    )
    finalists_per_category = models.PositiveSmallIntegerField(
        _("finalistes par catégorie (suggestion)"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    announce_at = models.DateTimeField(_("annonce des finalistes le"), null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=20, choices=SelectionState.choices, default=SelectionState.OPEN
    )
    announced_at = models.DateTimeField(_("finalistes annoncés le"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("présélection")
        verbose_name_plural = _("présélections")

    def __str__(self):
        return str(self.edition)

    @property
    def is_announced(self) -> bool:
        return self.state == SelectionState.ANNOUNCED


class Finalist(models.Model):
    """A film chosen for the final of its category."""

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("présélection"),
        on_delete=models.CASCADE,
        related_name="finalists",
    )
    film = models.OneToOneField(
        "festival.Film",
        verbose_name=_("film"),
        on_delete=models.CASCADE,
        related_name="finalist",
    )
    category = models.ForeignKey(
        "festival.Category",
        verbose_name=_("catégorie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("choisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("choisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("finaliste")
        verbose_name_plural = _("finalistes")
        ordering = ["category__position", "film__title", "pk"]

    def __str__(self):
        return str(self.film)


class SelectionNotice(models.Model):
    """An email sent about the round to a film's teacher: one per film, teacher and kind."""

    film = models.ForeignKey(
        "festival.Film", on_delete=models.CASCADE, related_name="selection_notices"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=SelectionNoticeKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message de présélection")
        verbose_name_plural = _("messages de présélection")
        constraints = [
            models.UniqueConstraint(
                fields=["film", "teacher", "kind"], name="selection_notice_unique"
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.film}"
