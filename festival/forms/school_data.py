"""The erasure request of a school's data, as the organizer received it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 2000


class DateInput(forms.DateInput):
    input_type = "date"


class ErasureRequestForm(forms.Form):
    asked_by = forms.CharField(
        label=_("Qui a fait la demande ?"),
        max_length=200,
        help_text=_("Par exemple : Mme Martin, principale du collège, par courrier."),
    )
    asked_on = forms.DateField(label=_("Date de la demande"), widget=DateInput(format="%Y-%m-%d"))
    keep_published = forms.TypedChoiceField(
        label=_("L'établissement demande-t-il de garder ses films publiés en ligne ?"),
        choices=[
            ("yes", _("Oui, les films publiés restent en ligne avec leurs autorisations")),
            ("no", _("Non, tous ses films sont retirés")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si l'établissement garde ses films publiés.")},
    )
    note = forms.CharField(
        label=_("Remarque (facultatif)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_asked_on(self):
        asked_on = self.cleaned_data["asked_on"]
        if asked_on > timezone.localdate():
            raise forms.ValidationError(_("La date de la demande ne peut pas être dans le futur."))
        return asked_on
