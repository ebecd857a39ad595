"""Forms of the organizer's pages. They only parse input: the domain functions decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.enums import ApprovalStatus, ConsentStatus, FilmStatus, Role

REASON_MAX_LENGTH = 2000


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.year})"


class CategoryChoiceField(forms.ModelChoiceField):
    # Every edition has its own "Lycée": the year tells them apart.
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.edition.year})"


class EditionSwitchForm(forms.Form):
    """The edition shown on the dashboard, among the organizer's festival's editions."""

    edition = EditionChoiceField(
        label=pgettext_lazy("festival", "Édition"), queryset=None, empty_label=None
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions


class FilmStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Nouveau statut"), choices=FilmStatus.choices)
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Obligatoire pour demander des compléments ou refuser le film : "
            "l'enseignant le reçoit par e-mail."
        ),
    )


class FilmDecisionForm(forms.Form):
    """The decision to confirm, from the film page's buttons."""

    to = forms.ChoiceField(choices=FilmStatus.choices)


class ConsentReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (ConsentStatus.VALIDATED, pgettext_lazy("consent", "Valider")),
            (ConsentStatus.REFUSED, pgettext_lazy("consent", "Refuser")),
        ],
    )
    note = forms.CharField(
        label=_("Remarque"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire en cas de refus : l'enseignant la reçoit par e-mail."),
    )


class TeacherDecisionForm(forms.Form):
    APPROVE = "approve"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(APPROVE, _("Valider le compte")), (REFUSE, _("Refuser le compte"))],
    )
    reason = forms.CharField(
        label=_("Motif du refus"),
        required=False,
        max_length=REASON_MAX_LENGTH,
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=[(Role.JUROR, Role.JUROR.label), (Role.ORGANIZER, Role.ORGANIZER.label)],
        initial=Role.JUROR,
    )


class TeacherSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Recherche"),
        required=False,
        help_text=_("Nom, e-mail, établissement, code UAI ou numéro SIRET"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    approval = forms.ChoiceField(
        label=_("Compte"),
        required=False,
        choices=[("", _("Tous")), *ApprovalStatus.choices],
    )

    def filter(self, memberships):
        """Filter teacher memberships of one festival."""
        approval = self.cleaned_data["approval"]
        if approval:
            memberships = memberships.filter(approval=approval)
        for word in self.cleaned_data["q"].split():
            memberships = memberships.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(user__school__name__icontains=word)
                | Q(user__school__uai__iexact=word)
                | Q(user__school__siret=word)
            )
        return memberships
