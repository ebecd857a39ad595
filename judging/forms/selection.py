"""Forms of the pre-selection pages. They only parse input: `judging.domain.selection` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from judging.models_selection import SelectionRound

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SelectionSettingsForm(forms.ModelForm):
    class Meta:
        model = SelectionRound
        fields = ["enabled", "finalists_per_category", "announce_at"]
        labels = {"enabled": _("Organiser une présélection pour cette édition")}
        help_texts = {
            "finalists_per_category": _(
                "Une suggestion : le classement de présélection propose ce nombre de films."
            ),
            "announce_at": _(
                "Les finalistes deviennent publics et leurs enseignants sont prévenus à cette "
                "date (heure de Paris)."
            ),
        }
        widgets = {"announce_at": DATETIME_WIDGET}

    def clean_finalists_per_category(self):
        value = self.cleaned_data["finalists_per_category"]
        if value < 1:
            raise forms.ValidationError(_("Au moins un finaliste par catégorie."))
        return value


class FinalistsForm(forms.Form):
    """The films ticked as finalists, among the edition's films in competition."""

    films = forms.ModelMultipleChoiceField(
        label=_("Finalistes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, films, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["films"].queryset = films

    def clean_films(self):
        films = self.cleaned_data["films"]
        if not films:
            raise forms.ValidationError(_("Cochez au moins un film finaliste."))
        return films


class AnnounceForm(forms.Form):
    WHEN_CHOICES = [
        ("scheduled", _("À la date prévue")),
        ("now", _("Maintenant")),
    ]
    when = forms.ChoiceField(
        label=_("Quand annoncer les finalistes ?"),
        choices=WHEN_CHOICES,
        widget=forms.RadioSelect,
        initial="scheduled",
        error_messages={"required": _("Choisissez quand annoncer les finalistes.")},
    )
