"""Forms of the film media block. They only parse input: the domain functions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from media_pipeline.delivery import SUBTITLE_LANGUAGES


class PosterForm(forms.Form):
    candidate = forms.ChoiceField(
        label=_("Image tirée du film"), required=False, widget=forms.RadioSelect
    )
    image = forms.FileField(
        label=_("Ou votre propre image"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, de préférence au format 16/9."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [(path, path) for path in candidates]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("candidate") and not cleaned.get("image"):
            raise forms.ValidationError(_("Choisissez une image du film ou envoyez la vôtre."))
        return cleaned


class SubtitlesForm(forms.Form):
    language = forms.ChoiceField(label=_("Langue"), choices=SUBTITLE_LANGUAGES, initial="fr")
    file = forms.FileField(
        label=_("Fichier de sous-titres"),
        help_text=_("Au format SRT ou WebVTT, tel que l'exporte votre logiciel de sous-titrage."),
        widget=forms.ClearableFileInput(attrs={"accept": ".srt,.vtt,text/vtt"}),
    )
