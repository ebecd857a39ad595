"""The public's audience, counted by the platform itself: no cookie, no third-party service.

Counters are per day: a film's page views and plays (`FilmDay`), an edition's unique visitors
(`EditionDay`, written when a day is folded). A visitor is a salted hash of their address and
browser (`VisitorHash`), with a salt drawn at random for each day (`AudienceSalt`); the address is
never stored, and the salt of a past day is deleted by `fold_audience`, with the day's hashes,
so that no hash can be recomputed. See public.audience.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilmDay(models.Model):
    film = models.ForeignKey(
        "festival.Film", verbose_name=_("film"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("jour"))
    views = models.PositiveIntegerField(_("vues"), default=0)
    plays = models.PositiveIntegerField(_("lectures"), default=0)

    class Meta:
        verbose_name = _("audience d'un film par jour")
        verbose_name_plural = _("audience des films par jour")
        constraints = [
            models.UniqueConstraint(fields=["film", "day"], name="film_day_unique"),
        ]

    def __str__(self):
        return f"{self.film_id} {self.day}"


class EditionDay(models.Model):
    """An edition's unique visitors of a day, once the day is over and folded."""

    edition = models.ForeignKey(
        "festival.Edition", verbose_name=_("édition"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("jour"))
    visitors = models.PositiveIntegerField(_("visiteurs uniques"), default=0)

    class Meta:
        verbose_name = _("visiteurs d'une édition par jour")
        verbose_name_plural = _("visiteurs des éditions par jour")
        constraints = [
            models.UniqueConstraint(fields=["edition", "day"], name="edition_day_unique"),
        ]

    def __str__(self):
        return f"{self.edition_id} {self.day}"


class AudienceSalt(models.Model):
    """The day's random salt; deleted once the day is over."""

    day = models.DateField(_("jour"), unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)


class VisitorHash(models.Model):
    """A visitor of a film's page on a day (kept until the day is folded into counts).

    `play` marks the visitor's counted play of the film that day: at most one each."""

    day = models.DateField(_("jour"))
    film = models.ForeignKey("festival.Film", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    play = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "film", "digest", "play"], name="visitor_hash_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.digest[:8]}"
