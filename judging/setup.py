"""Judging's steps of an edition's set-up checklist (scoring form, prizes, juries, public
vote), shown on the organizers' edition page. Reads only: a GET never writes."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from festival.models import Edition
from festival.setup import SetupStep
from judging.domain.votes import vote_window
from judging.models import Criterion, Jury
from judging.models_results import Prize


def setup_steps(edition: Edition) -> list[SetupStep]:
    criteria = Criterion.objects.filter(edition=edition).count()
    prizes = Prize.objects.filter(edition=edition).count()
    juries = Jury.objects.filter(edition=edition).count()
    window = vote_window(edition)
    return [
        SetupStep(
            label=_("Grille d'évaluation"),
            done=criteria > 0,
            summary=ngettext("%(n)s critère", "%(n)s critères", criteria) % {"n": criteria}
            if criteria
            else _("La grille par défaut sera créée à la préparation de l'évaluation."),
            url=reverse("judging:organizer_criteria", args=[edition.pk]),
            link_label=_("Voir la grille d'évaluation"),
        ),
        SetupStep(
            label=_("Prix"),
            done=prizes > 0,
            summary=ngettext("%(n)s prix", "%(n)s prix", prizes) % {"n": prizes}
            if prizes
            else _("Aucun prix pour l'instant."),
            url=reverse("judging:awards_prizes", args=[edition.pk]),
            link_label=_("Voir les prix"),
        ),
        SetupStep(
            label=_("Jurys"),
            done=juries > 0,
            summary=ngettext("%(n)s jury", "%(n)s jurys", juries) % {"n": juries}
            if juries
            else _("Aucun jury pour l'instant."),
            url=reverse("judging:organizer_juries", args=[edition.pk]),
            link_label=_("Voir les jurys"),
        ),
        SetupStep(
            label=_("Prix du public"),
            done=window is not None,
            summary=_("Vote du %(start)s au %(end)s")
            % {
                "start": date_format(timezone.localtime(window.opens_at)),
                "end": date_format(timezone.localtime(window.closes_at)),
            }
            if window
            else _("Pas de vote du public prévu (facultatif)."),
            url=reverse("judging:awards_votes", args=[edition.pk]),
            link_label=_("Régler le vote du public"),
        ),
    ]
