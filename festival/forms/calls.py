"""Forms of the call for entries: they parse input, `festival.domain.calls` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.forms.organizer import EditionChoiceField
from festival.models_outreach import Audience


class CallForm(forms.Form):
    edition = EditionChoiceField(
        label=pgettext_lazy("festival", "Édition"), queryset=None, empty_label=None
    )
    subject = forms.CharField(label=_("Objet de l'e-mail"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Texte simple ; une ligne vide sépare deux paragraphes. Les dates de l'édition, le "
            "lien vers le festival, l'inscription et la désinscription sont ajoutés à la fin."
        ),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Destinataires"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Une adresse présente dans plusieurs listes ne reçoit qu'un e-mail ; les adresses "
            "désinscrites ne reçoivent rien."
        ),
        error_messages={"required": _("Choisissez au moins une liste de destinataires.")},
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions


class SendCallForm(forms.Form):
    """The organizer confirms that the call leaves now, to the counted recipients."""

    confirm = forms.BooleanField(
        label=_("J'ai relu l'appel à films et je confirme son envoi."),
        error_messages={"required": _("Cochez la case pour confirmer l'envoi.")},
    )
