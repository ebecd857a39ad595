"""Results: ranking options, prizes and awards, frozen palmarès publications, public votes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from judging.enums import Aggregation, Normalization, PrizeKind


class ResultsSettings(models.Model):
    edition = models.OneToOneField(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="results_settings",
    )
    normalization = models.CharField(
        _("normalisation"), max_length=10, choices=Normalization.choices, default=Normalization.NONE
    )
    aggregation = models.CharField(
        _("agrégation"), max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    min_jurors = models.PositiveSmallIntegerField(_("jurés au moins par film"), default=2)
    gallery_open = models.BooleanField(
        _("galerie ouverte à tous les films"),
        default=False,
        help_text=_(
            "Montrer au public tous les films dont les autorisations sont validées, "
            "pas seulement les lauréats."
        ),
    )
    public_vote_opens_at = models.DateTimeField(
        _("ouverture du prix du public"), null=True, blank=True
    )
    public_vote_closes_at = models.DateTimeField(
        _("clôture du prix du public"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("réglages des résultats")
        verbose_name_plural = _("réglages des résultats")

    def __str__(self):
        return str(self.edition)


class Prize(models.Model):
    edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.CASCADE,
        related_name="prizes",
    )
    kind = models.CharField(_("type"), max_length=20, choices=PrizeKind.choices)
    category = models.ForeignKey(
        "festival.Category",
        verbose_name=_("catégorie"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prizes",
        help_text=_("Vide pour un prix spécial de toute l'édition."),
    )
    name = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    sponsor = models.ForeignKey(
        "festival.Company",
        verbose_name=_("prix offert par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_prizes",
        help_text=_(
            "L'entreprise qui offre le prix. Son nom n'est montré au public qu'une fois son "
            "accord de diffusion enregistré."
        ),
    )

    class Meta:
        verbose_name = _("prix")
        verbose_name_plural = _("prix")
        ordering = ["edition", "category__position", "position", "pk"]

    def __str__(self):
        return self.name


class Award(models.Model):
    """The jury's decision: this prize goes to this film.

    When the jury departs from the ranking's proposal, the reason is required and kept.
    """

    prize = models.ForeignKey(
        Prize, verbose_name=_("prix"), on_delete=models.CASCADE, related_name="awards"
    )
    film = models.ForeignKey(
        "festival.Film", verbose_name=_("film"), on_delete=models.PROTECT, related_name="awards"
    )
    proposed_by_ranking = models.BooleanField(_("proposé par le classement"), default=True)
    override_reason = models.TextField(_("motif de la décision du jury"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidé le"), auto_now=True)

    class Meta:
        verbose_name = _("prix attribué")
        verbose_name_plural = _("prix attribués")
        constraints = [
            models.UniqueConstraint(fields=["prize", "film"], name="award_unique"),
        ]

    def __str__(self):
        return f"{self.prize} — {self.film}"


class Publication(models.Model):
    """A frozen palmarès: the snapshot never changes; unpublishing is logged with a reason."""

    edition = models.ForeignKey(
        "festival.Edition",
        verbose_name=_("édition"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    snapshot = models.JSONField(_("palmarès figé"))
    content_hash = models.CharField(_("empreinte SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("publié le"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unpublished_at = models.DateTimeField(_("dépublié le"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unpublish_reason = models.TextField(_("motif de dépublication"), blank=True)

    class Meta:
        verbose_name = _("publication du palmarès")
        verbose_name_plural = _("publications du palmarès")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(unpublished_at__isnull=True),
                name="publication_one_live_per_edition",
            ),
        ]

    def __str__(self):
        return f"{self.edition} ({self.published_at:%Y-%m-%d})"


class PublicVote(models.Model):
    """One vote per category per mailbox (canonical email address)."""

    edition = models.ForeignKey(
        "festival.Edition", on_delete=models.CASCADE, related_name="public_votes"
    )
    category = models.ForeignKey(
        "festival.Category", on_delete=models.CASCADE, related_name="public_votes"
    )
    film = models.ForeignKey("festival.Film", on_delete=models.CASCADE, related_name="public_votes")
    email = models.EmailField(_("adresse e-mail"))
    # The mailbox behind `email` (see judging.domain.votes.canonical_email): the unique key.
    email_key = models.CharField(_("adresse e-mail canonique"), max_length=254)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote du public")
        verbose_name_plural = _("votes du public")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "category", "email_key"], name="public_vote_one_per_mailbox"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.film}"
