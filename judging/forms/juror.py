"""Forms of the juror's pages: the scoring form, watch reports, conflicts, the jury's decisions."""

import re
from datetime import UTC, datetime
from decimal import Decimal

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from festival.domain import DomainError
from judging.domain.scoring import (
    check_value,
    off_step_message,
    out_of_scale_message,
    shown_number,
    too_many_places_message,
)
from judging.models import Criterion, Evaluation

# A score as a juror types it: 7, 7,5 or 7.5, whatever the browser's language.
SCORE_PATTERN = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse_score(text: str) -> Decimal | None:
    """7,5 and 7.5 are both 7.5; None for what is not a score. static/judging/scoring.js reads
    a score by the same rule."""
    text = text.strip()
    if not SCORE_PATTERN.fullmatch(text):
        return None
    return Decimal(text.replace(",", "."))


class ScoreField(forms.Field):
    """A score typed in a text field: the browser's language never changes how it is read."""

    default_error_messages = {"invalid": _("Saisissez une note comme 7,5.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        score = parse_score(str(value))
        if score is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return score


def _initial(value: Decimal) -> str:
    return f"{value.normalize():f}"


class ScoringForm(forms.Form):
    """The edition's scoring form (grille d'évaluation) for one film.

    Every score may stay empty in a draft: required criteria are checked at validation.
    """

    comment = forms.CharField(
        label=_("Commentaire général"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que vous retenez du film. Lu par le jury lors de la délibération."),
    )
    favourite = forms.BooleanField(
        label=_("Coup de cœur"),
        required=False,
        help_text=_("Un film qui vous a particulièrement touché, quelle que soit sa note."),
    )
    # Sent by the confirmation's button: without it, "Valider mes notes" asks first.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data=None,
        *,
        criteria: list[Criterion],
        evaluation: Evaluation | None = None,
        locked: bool = False,
        **kwargs,
    ):
        initial = {}
        if evaluation is not None and evaluation.pk:
            initial = {
                "comment": evaluation.comment,
                "favourite": evaluation.favourite,
                **{
                    self.field_name(score.criterion_id): _initial(score.value)
                    for score in evaluation.scores.all()
                },
            }
        super().__init__(data, initial=initial, **kwargs)
        self.criteria = criteria
        score_fields = {}
        for criterion in criteria:
            name = self.field_name(criterion.pk)
            scale = _("Note de %(min)s à %(max)s, par pas de %(step)s.") % {
                "min": shown_number(criterion.min_score),
                "max": shown_number(criterion.max_score),
                "step": shown_number(criterion.step),
            }
            # A text field, not type=number: a number field's reading of 7,5 depends on the
            # browser's language, and some send nothing at all for it.
            attrs = {
                "class": "score-input",
                "inputmode": "decimal",
                "autocomplete": "off",
                "size": 5,
                "data-min": _initial(criterion.min_score),
                "data-max": _initial(criterion.max_score),
                "data-step": _initial(criterion.step),
                "data-criterion": criterion.name,
                "data-required": "true" if criterion.required else "false",
                # The server's own words, for static/judging/scoring.js to say them at once.
                "data-message-invalid": ScoreField.default_error_messages["invalid"],
                "data-message-scale": out_of_scale_message(criterion),
                "data-message-places": too_many_places_message(criterion),
                "data-message-step": off_step_message(criterion, below="{below}", above="{above}"),
                # The error container is always on the page: htmx fills it as the juror types.
                "aria-describedby": f"id_{name}_helptext id_{name}_errors",
            }
            score_fields[name] = ScoreField(
                label=criterion.name,
                required=False,
                help_text=" ".join(filter(None, [criterion.description, str(scale)])),
                widget=forms.TextInput(attrs=attrs),
            )
        # The scores first, in the order of the scoring form.
        self.fields = {**score_fields, **self.fields}
        if locked:
            for field in self.fields.values():
                field.disabled = True

    @staticmethod
    def field_name(criterion_id: int) -> str:
        return f"criterion_{criterion_id}"

    def missing(self) -> list[Criterion]:
        """The required criteria without a valid score yet: what "il manque" lists."""
        if self.is_bound:
            values = self.valid_values()
        else:
            values = {c.pk: self.initial.get(self.field_name(c.pk)) for c in self.criteria}
        return [c for c in self.criteria if c.required and values.get(c.pk) in (None, "")]

    def score_fields(self):
        """(criterion, bound field) pairs, for the grid's fieldset."""
        return [(c, self[self.field_name(c.pk)]) for c in self.criteria]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            name = self.field_name(criterion.pk)
            value = cleaned.get(name)
            if value is None:
                continue
            try:
                check_value(criterion=criterion, value=value)
            except DomainError as error:
                self.add_error(name, error)
        return cleaned

    def valid_values(self) -> dict[int, Decimal | None]:
        """The scores that passed their checks, even when another one did not: a draft keeps
        every good score while the juror corrects the bad one."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            c.pk: cleaned[self.field_name(c.pk)]
            for c in self.criteria
            if self.field_name(c.pk) in cleaned
        }


WATCH_SALT = "judging.watch-session"


def watch_session_token(*, juror_id: int, film_id: int, opened_at: datetime) -> str:
    """When the juror opened the watch page, signed: the page sends it back with each passage."""
    return signing.dumps(
        {"juror": juror_id, "film": film_id, "opened": opened_at.timestamp()}, salt=WATCH_SALT
    )


class WatchProgressForm(forms.Form):
    """A passage of the film the player reports as watched, in seconds, with the signed time
    its watch page was opened."""

    start = forms.FloatField()
    end = forms.FloatField()
    duration = forms.FloatField(min_value=0)
    session = forms.CharField(max_length=500)

    def __init__(self, data=None, *, juror_id: int, film_id: int, **kwargs):
        super().__init__(data, **kwargs)
        self.juror_id, self.film_id = juror_id, film_id

    def clean_session(self) -> datetime:
        try:
            payload = signing.loads(
                self.cleaned_data["session"], salt=WATCH_SALT, max_age=WATCH_SESSION_MAX_AGE
            )
            if (payload["juror"], payload["film"]) != (self.juror_id, self.film_id):
                raise ValueError
            return datetime.fromtimestamp(float(payload["opened"]), tz=UTC)
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            raise forms.ValidationError(
                _("Rechargez la page du film pour continuer à enregistrer votre visionnage."),
                code="bad_session",
            ) from error


# A watch page left open longer than this must be reloaded before its reports count.
WATCH_SESSION_MAX_AGE = 12 * 3600


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Par exemple : vous connaissez un élève de l'équipe, vous avez travaillé avec "
            "l'entreprise partenaire. Le film vous sera retiré."
        ),
        error_messages={"required": _("Indiquez le motif du conflit d'intérêts.")},
    )


class DecisionsForm(forms.Form):
    decisions = forms.CharField(
        label=_("Décisions du jury"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Prix attribués, mentions, motifs : ce que le jury a décidé, pour le palmarès."
        ),
    )
