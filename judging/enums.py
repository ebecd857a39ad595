from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.enums import FilmStatus

# Films the jury judges. Submitted films count as well as accepted ones: screening often runs
# late into the judging weeks, and a film the organizers later reject or that is withdrawn
# simply leaves the jury's list (its assignments end, its scores are kept).
ELIGIBLE_FILM_STATUSES = (FilmStatus.SUBMITTED, FilmStatus.ACCEPTED)


class AssignmentMode(models.TextChoices):
    EVERYONE = "everyone", _("Chaque juré note tous les films de son jury")
    AT_LEAST_K = "at_least_k", _("Chaque film reçoit au moins k jurés, charges équilibrées")


class AssignmentSource(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatique")
    MANUAL = "manual", _("Manuelle")


class AssignmentEnd(models.TextChoices):
    CONFLICT = "conflict", _("Conflit d'intérêts déclaré")
    REMOVED = "removed", _("Retirée par l'organisation")
    DROPPED_OUT = "dropped_out", _("Juré indisponible")


class EvaluationState(models.TextChoices):
    TO_WATCH = "to_watch", pgettext_lazy("evaluation", "À regarder")
    DRAFT = "draft", pgettext_lazy("evaluation", "Brouillon")
    VALIDATED = "validated", pgettext_lazy("evaluation", "Validée")


class PrizeKind(models.TextChoices):
    CATEGORY_FIRST = "first", _("1er prix")
    CATEGORY_SECOND = "second", _("2e prix")
    CATEGORY_THIRD = "third", _("3e prix")
    JURY = "jury", _("Prix du jury")
    FAVOURITE = "favourite", _("Coup de cœur")
    PUBLIC = "public", _("Prix du public")
    SPECIAL = "special", _("Prix spécial")


class Normalization(models.TextChoices):
    NONE = "none", _("Aucune")
    ZSCORE = "zscore", _("Centrée réduite par juré (z-score)")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Moyenne")
    MEDIAN = "median", _("Médiane")
    TRIMMED = "trimmed", _("Moyenne sans la note la plus haute ni la plus basse")


class JuryStage(models.TextChoices):
    """Which round a jury scores for: only the final stage's scores make the palmarès."""

    PRESELECTION = "preselection", _("Présélection")
    FINAL = "final", _("Finale")


class SelectionState(models.TextChoices):
    """The pre-selection round's workflow (`judging.domain.selection.set_round_state`)."""

    OPEN = "open", pgettext_lazy("selection", "En cours")
    SCHEDULED = "scheduled", pgettext_lazy("selection", "Annonce programmée")
    ANNOUNCED = "announced", pgettext_lazy("selection", "Finalistes annoncés")


class SelectionNoticeKind(models.TextChoices):
    FINALIST = "finalist", _("Annonce des finalistes")
    THANKS = "thanks", _("Remerciements")
