"""Forms of the ceremony: guests, the sending's confirmation, the list's filters, an invited
person's answer, and the palmarès' scheduled time. They parse; the domain decides."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.forms.editions import DATETIME_WIDGET
from judging.domain.ceremony_invitations import Guest, parse_guest_lines
from judging.models_ceremony import Answer, InvitationKind


class GuestForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("full name", "Nom"), max_length=300)
    email = forms.EmailField(label=_("Adresse e-mail"))
    organisation = forms.CharField(label=_("Organisation"), max_length=500, required=False)
    language = forms.ChoiceField(
        label=_("Langue de l'invitation"), choices=settings.LANGUAGES, initial="fr"
    )

    def guests(self) -> list[Guest]:
        data = self.cleaned_data
        return [Guest(data["name"], data["email"], data["organisation"], data["language"])]


class GuestListForm(forms.Form):
    lines = forms.CharField(
        label=_("Liste d'invités"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Une personne par ligne : nom ; adresse e-mail ; organisation (facultative). "
            "Une liste copiée d'un tableur (colonnes séparées par des tabulations) convient aussi."
        ),
    )

    def clean_lines(self):
        guests, errors = parse_guest_lines(self.cleaned_data["lines"])
        if errors:
            raise ValidationError(errors)
        if not guests:
            raise ValidationError(_("Aucune personne à inviter dans cette liste."))
        self.parsed = guests
        return self.cleaned_data["lines"]

    def guests(self) -> list[Guest]:
        return self.parsed


class SendInvitationsForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme l'envoi des invitations."),
        error_messages={"required": _("Cochez la case pour confirmer l'envoi.")},
    )


class InvitationFilterForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Réponse"),
        required=False,
        choices=[("", pgettext_lazy("answers", "Toutes")), *Answer.choices],
    )
    kind = forms.ChoiceField(
        label=_("Invité comme"),
        required=False,
        choices=[("", pgettext_lazy("kinds", "Tous")), *InvitationKind.choices],
    )


class AnswerForm(forms.Form):
    coming = forms.TypedChoiceField(
        label=_("Venez-vous à la remise des prix ?"),
        choices=[("yes", _("Oui, je viens")), ("no", _("Non, je ne pourrai pas venir"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites-nous si vous venez.")},
    )
    people = forms.IntegerField(
        label=_("Combien serez-vous, vous compris ?"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "narrow-input", "inputmode": "numeric"}),
        error_messages={"invalid": _("Indiquez un nombre entier, par exemple 3.")},
    )
    note = forms.CharField(
        label=_("Un message pour l'organisation (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, max_people: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].help_text = _("Entre 1 et %(max)d personnes.") % {"max": max_people}


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Date et heure de la publication"),
        widget=forms.DateTimeInput(**DATETIME_WIDGET),
        help_text=_("Par exemple le moment de l'annonce pendant la remise des prix."),
    )
