"""The organizers' ceremony form: the edition's ceremony date and the page's practical text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from festival.forms.editions import DATETIME_WIDGET
from festival.models import Ceremony


class CeremonyForm(forms.ModelForm):
    ceremony_at = forms.DateTimeField(
        label=_("Date et heure de la remise des prix"),
        widget=forms.DateTimeInput(**DATETIME_WIDGET),
        help_text=_("La date du calendrier de l'édition : la changer ici la change partout."),
    )

    class Meta:
        model = Ceremony
        fields = ["place", "address", "programme", "transport", "parking", "accessibility"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "programme": forms.Textarea(attrs={"rows": 6}),
            "transport": forms.Textarea(attrs={"rows": 3}),
            "parking": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "place": _("Le nom de la salle ou du lieu, par exemple « Théâtre Ledoux »."),
            "programme": _("Le déroulé de la soirée, une ligne par moment."),
            "accessibility": _("Accès des personnes à mobilité réduite, boucle magnétique…"),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ceremony_at"].initial = edition.ceremony_at

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
