"""Forms of the films sent to another festival's edition (festival.domain.transfers)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OfferForm(forms.Form):
    edition = forms.ModelChoiceField(
        label=_("Édition qui accueille le film"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message à l'organisation de cette édition (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions
        self.fields["edition"].label_from_instance = lambda edition: (
            f"{edition.festival.name} — {edition.title}"
        )


class AcceptForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Catégorie où le film concourt"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.order_by("position", "pk")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (obligatoire)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("L'organisation du festival d'origine reçoit ce motif par e-mail."),
    )


class ConfirmForm(forms.Form):
    """The "check your answers" page posts the same answers again, with this box."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
