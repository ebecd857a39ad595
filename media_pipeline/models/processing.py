"""One uploaded original of a film and everything its processing produced.

A film keeps all its versions: the playable one is its latest ready version (`playable()`),
so a new upload never takes the film offline while it is being processed. State changes go
through `media_pipeline.versions.transition` and `media_pipeline.ladder.transition`, never
through `save()` elsewhere.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", pgettext_lazy("video", "Envoyée")
    QUEUED = "queued", pgettext_lazy("video", "En attente de traitement")
    PROBING = "probing", pgettext_lazy("video", "Vérification du fichier")
    PROCESSING = "processing", pgettext_lazy("video", "En cours de traitement")
    READY = "ready", pgettext_lazy("video", "Prête")
    REJECTED = "rejected", pgettext_lazy("video", "Refusée")
    FAILED = "failed", pgettext_lazy("video", "Échec du traitement")
    CANCELLED = "cancelled", pgettext_lazy("video", "Annulée")
    SUPERSEDED = "superseded", pgettext_lazy("video", "Remplacée")


class LadderStatus(models.TextChoices):
    """The fast path's second pass: the renditions below a copied top one.

    A ready version whose original already played everywhere is watchable at once in its
    own quality; the lower rungs (for slow connections) follow in a job of their own.
    """

    NONE = "", pgettext_lazy("ladder", "Rien à ajouter")
    QUEUED = "queued", pgettext_lazy("ladder", "En attente")
    PROCESSING = "processing", pgettext_lazy("ladder", "En préparation")
    DONE = "done", pgettext_lazy("ladder", "Prêtes")
    FAILED = "failed", pgettext_lazy("ladder", "Échec")
    CANCELLED = "cancelled", pgettext_lazy("ladder", "Annulées")


# Waiting for, or held by, a worker: a newer upload cancels these.
PENDING_STATUSES = (
    VideoStatus.UPLOADED,
    VideoStatus.QUEUED,
    VideoStatus.PROBING,
    VideoStatus.PROCESSING,
)
# A worker holds the version: the watchdog looks for dead or late ones among these.
RUNNING_STATUSES = (VideoStatus.PROBING, VideoStatus.PROCESSING)


def default_max_attempts() -> int:
    return settings.MEDIA_MAX_ATTEMPTS


class VideoVersionQuerySet(models.QuerySet):
    def playable(self):
        """The versions that can be watched, newest first: a film's first one is its video.

        The one rule of "the film's video": a newer upload plays only once it is ready, and
        until then the previous ready version goes on playing. Prefetch it to read many films.
        """
        return self.filter(status=VideoStatus.READY).order_by("-number")

    def playable_for(self, film) -> "VideoVersion | None":
        """The version that plays for this film, if it has one."""
        return self.filter(film=film).playable().first()


class VideoVersion(models.Model):
    film = models.ForeignKey(
        "festival.Film",
        verbose_name=_("film"),
        on_delete=models.CASCADE,
        related_name="video_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    original = models.FileField(_("fichier original"), max_length=300)
    original_filename = models.CharField(_("nom du fichier envoyé"), max_length=255, blank=True)
    original_size = models.BigIntegerField(_("taille du fichier"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("état"), max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADED
    )
    percent = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    max_attempts = models.PositiveSmallIntegerField(
        _("tentatives au plus"), default=default_max_attempts
    )
    error_code = models.CharField(_("code d'erreur"), max_length=50, blank=True)
    message = models.TextField(_("message"), blank=True)
    log_excerpt = models.TextField(_("extrait du journal de ffmpeg"), blank=True)
    probe = models.JSONField(_("analyse du fichier"), default=dict, blank=True)
    outputs = models.JSONField(_("fichiers produits"), default=dict, blank=True)
    output_prefix = models.CharField(
        _("dossier des fichiers produits"),
        max_length=300,
        blank=True,
        help_text=_("Un dossier neuf par tentative : une reprise ne mélange jamais ses fichiers."),
    )
    timings = models.JSONField(_("durées des étapes"), default=dict, blank=True)
    ladder_status = models.CharField(
        _("qualités réduites"),
        max_length=20,
        choices=LadderStatus.choices,
        default=LadderStatus.NONE,
        blank=True,
        help_text=_(
            "Vidéo déjà lisible partout : sa qualité d'origine est copiée, les qualités "
            "pour connexions lentes sont préparées ensuite."
        ),
    )
    ladder_attempts = models.PositiveSmallIntegerField(
        _("tentatives (qualités réduites)"), default=0
    )
    ladder_folder = models.CharField(
        _("dossier des qualités réduites"),
        max_length=100,
        blank=True,
        help_text=_("Un dossier neuf par tentative, dans celui des fichiers produits."),
    )
    ladder_error_code = models.CharField(
        _("code d'erreur (qualités réduites)"), max_length=50, blank=True
    )
    # The job currently held, first the processing, then the lower renditions' pass.
    task_id = models.CharField(_("tâche"), max_length=64, blank=True)
    worker = models.CharField(_("processus de traitement"), max_length=255, blank=True)
    work_dir = models.CharField(_("dossier de travail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    queued_at = models.DateTimeField(_("mise en file le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("à terminer avant"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    objects = VideoVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version vidéo")
        verbose_name_plural = _("versions vidéo")
        ordering = ["film", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["film", "number"], name="videoversion_unique_number"),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["film", "status"]),
            models.Index(fields=["ladder_status"]),
        ]

    def __str__(self):
        return f"{self.film} — v{self.number}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_final(self) -> bool:
        return not self.is_pending

    @property
    def ladder_pending(self) -> bool:
        return self.status == VideoStatus.READY and self.ladder_status in LADDER_PENDING_STATUSES


LADDER_PENDING_STATUSES = (LadderStatus.QUEUED, LadderStatus.PROCESSING)
