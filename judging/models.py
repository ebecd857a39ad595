from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from judging.enums import (
    AssignmentEnd,
    AssignmentMode,
    AssignmentSource,
    EvaluationState,
    JuryStage,
)


class JudgingSettings(models.Model):
    """How an edition is judged: assignment rule, watch gate, reminders."""

    edition = models.OneToOneField(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="judging_settings",
    )
    assignment_mode = models.CharField(
        _("répartition des films"),
        max_length=20,
        choices=AssignmentMode.choices,
        default=AssignmentMode.EVERYONE,
    )
    jurors_per_film = models.PositiveSmallIntegerField(
        _("jurés par film (au moins)"), default=3, validators=[MinValueValidator(1)]
    )
    max_films_per_juror = models.PositiveSmallIntegerField(
        _("films par juré (au plus)"), null=True, blank=True
    )
    min_watched_ratio = models.DecimalField(
        _("part du film à regarder avant de valider"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("relance automatique (jours avant la fin)"), default=3
    )
    reminder_sent_at = models.DateTimeField(
        _("relance automatique envoyée le"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("réglages du jury")
        verbose_name_plural = _("réglages du jury")

    def __str__(self):
        return str(self.edition)


class Criterion(models.Model):
    """A line of the edition's scoring form (grille d'évaluation)."""

    edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("coefficient"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_score = models.DecimalField(_("note minimale"), max_digits=5, decimal_places=2, default=0)
    max_score = models.DecimalField(_("note maximale"), max_digits=5, decimal_places=2, default=10)
    step = models.DecimalField(_("pas"), max_digits=4, decimal_places=2, default=Decimal("0.5"))
    required = models.BooleanField(_("obligatoire"), default=True)
    is_priority = models.BooleanField(
        _("critère prioritaire"),
        default=False,
        help_text=_("Départage les ex aequo au classement."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["edition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="criterion_unique_name"),
            models.UniqueConstraint(
                fields=["edition"], condition=Q(is_priority=True), name="criterion_one_priority"
            ),
            models.CheckConstraint(
                condition=Q(min_score__lt=F("max_score")), name="criterion_scale_ordered"
            ),
        ]

    def __str__(self):
        return self.name


class Jury(models.Model):
    edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="juries",
    )
    name = models.CharField(_("nom"), max_length=150)
    categories = models.ManyToManyField(
        "festival.Category", verbose_name=_("catégories"), related_name="juries"
    )
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("président du jury"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_juries",
    )
    decisions = models.TextField(_("décisions du jury"), blank=True)
    stage = models.CharField(
        _("étape"),
        max_length=20,
        choices=JuryStage.choices,
        default=JuryStage.FINAL,
        help_text=_("Seules les notes des jurys de la finale comptent pour le palmarès."),
    )

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("jurys")
        ordering = ["edition", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="jury_unique_name"),
        ]

    def __str__(self):
        return self.name


class JuryMember(models.Model):
    jury = models.ForeignKey(
        Jury, verbose_name=_("jury"), on_delete=models.CASCADE, related_name="members"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juré"),
        on_delete=models.PROTECT,
        related_name="jury_memberships",
    )
    is_trainee = models.BooleanField(
        _("juré en formation"),
        default=False,
        help_text=_("Ses notes sont enregistrées et affichées mais ne comptent pas."),
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        ordering = ["jury", "juror__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "juror"], name="jury_member_unique"),
        ]

    def __str__(self):
        return f"{self.juror} ({self.jury})"


class Affiliation(models.Model):
    """A school or company a juror is linked to: they never score its films."""

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juré"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    school = models.ForeignKey(
        "festival.School",
        verbose_name=_("établissement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    company = models.ForeignKey(
        "festival.Company",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(school__isnull=False) & Q(company__isnull=True))
                | (Q(school__isnull=True) & Q(company__isnull=False)),
                name="affiliation_school_or_company",
            ),
        ]

    def __str__(self):
        return str(self.school or self.company)


class ConflictDeclaration(models.Model):
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juré"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    film = models.ForeignKey(
        "festival.Film", verbose_name=_("film"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.TextField(_("motif"))
    created_at = models.DateTimeField(_("déclaré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        constraints = [
            models.UniqueConstraint(fields=["juror", "film"], name="conflict_unique"),
        ]

    def __str__(self):
        return f"{self.juror} / {self.film}"


class Assignment(models.Model):
    """A film a juror must watch and score. Ended assignments are kept with their reason."""

    jury = models.ForeignKey(
        Jury, verbose_name=_("jury"), on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juré"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    film = models.ForeignKey(
        "festival.Film",
        verbose_name=_("film"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    source = models.CharField(
        _("origine"),
        max_length=20,
        choices=AssignmentSource.choices,
        default=AssignmentSource.AUTOMATIC,
    )
    active = models.BooleanField(_("active"), default=True)
    ended_reason = models.CharField(
        _("fin"), max_length=20, choices=AssignmentEnd.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("film attribué")
        verbose_name_plural = _("films attribués")
        ordering = ["film__title"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "film"], name="assignment_unique"),
        ]

    def __str__(self):
        return f"{self.juror} → {self.film}"


class Evaluation(models.Model):
    """A juror's scoring of one film: draft as they type, then validated and locked."""

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("juré"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    film = models.ForeignKey(
        "festival.Film",
        verbose_name=_("film"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    state = models.CharField(
        _("état"), max_length=20, choices=EvaluationState.choices, default=EvaluationState.TO_WATCH
    )
    comment = models.TextField(_("commentaire général"), blank=True)
    favourite = models.BooleanField(_("coup de cœur"), default=False)
    watched_ranges = models.JSONField(
        _("passages regardés"),
        default=list,
        help_text=_("Intervalles [début, fin] en secondes, fusionnés."),
    )
    watched_seconds = models.FloatField(_("secondes regardées"), default=0)
    film_duration = models.FloatField(_("durée du film"), null=True, blank=True)
    # The latest viewing session: when its watch page was opened, and the seconds of film it
    # has credited so far (at most twice the time elapsed since then).
    watch_opened_at = models.DateTimeField(
        _("page de visionnage ouverte le"), null=True, blank=True
    )
    watch_session_seconds = models.FloatField(_("secondes créditées à cette séance"), default=0)
    watch_reported_at = models.DateTimeField(
        _("dernier passage enregistré à"), null=True, blank=True
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [
            models.UniqueConstraint(fields=["juror", "film"], name="evaluation_unique"),
        ]

    def __str__(self):
        return f"{self.juror} / {self.film}"


class Score(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("évaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("critère"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("note"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_unique"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ScoreChange(models.Model):
    """The audit trail: every change to a score, comment, flag or state."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=120)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("modification de note")
        verbose_name_plural = _("modifications de notes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.evaluation}: {self.field}"


from judging.models_ceremony import CeremonyInvitation, ScheduledPublication  # noqa: E402, F401
from judging.models_results import Award, Prize, Publication, PublicVote, ResultsSettings  # noqa: E402, F401
from judging.models_selection import Finalist, SelectionNotice, SelectionRound  # noqa: E402, F401
