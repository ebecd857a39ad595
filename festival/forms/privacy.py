"""The organizers' form for their festival's personal-data page and legal notice."""

from django import forms

from festival.domain.privacy import LEGAL_TEXT_FIELDS
from festival.models import FestivalLegalTexts


class LegalTextsForm(forms.ModelForm):
    class Meta:
        model = FestivalLegalTexts
        fields = LEGAL_TEXT_FIELDS
        widgets = {
            "data_controller": forms.Textarea(attrs={"rows": 3}),
            "rights_postal_address": forms.Textarea(attrs={"rows": 3}),
            "dpo_contact": forms.Textarea(attrs={"rows": 2}),
            "hosting_provider": forms.Textarea(attrs={"rows": 3}),
            "publisher": forms.Textarea(attrs={"rows": 3}),
            "privacy_extra": forms.Textarea(attrs={"rows": 6}),
            "legal_extra": forms.Textarea(attrs={"rows": 6}),
        }

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in LEGAL_TEXT_FIELDS}
