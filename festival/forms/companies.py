"""Forms about partner companies: contacts, the public agreement, volunteer companies.

They only parse input: the domain functions (festival.domain.companies) decide.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.forms.company_choice import NEW_COMPANY_FIELDS, CompanyChoiceForm
from festival.models import Trade


class ContactForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("full name", "Nom"), max_length=200)
    role = forms.CharField(
        label=_("Fonction"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : responsable des ressources humaines, chef d'atelier."),
    )
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)


class AgreementForm(forms.Form):
    note = forms.CharField(
        label=_("Précisions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Qui a donné l'accord, sous quelle forme (courriel, convention signée…)."),
    )


class VolunteerForm(CompanyChoiceForm):
    """A volunteer company's entry; the company is chosen only when the entry is new."""

    company_required = True

    trades = forms.ModelMultipleChoiceField(
        label=_("Métiers à montrer"),
        queryset=Trade.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label=_("Personne à contacter"), max_length=200)
    contact_email = forms.EmailField(label=_("Adresse e-mail"), max_length=254, required=False)
    contact_phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    offer = forms.CharField(
        label=_("Ce que l'entreprise propose"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Visite, tournage dans un atelier, témoignage d'un salarié, périodes…"),
    )
    active = forms.BooleanField(
        label=_("Visible des enseignants"),
        required=False,
        initial=True,
        help_text=_("Décochez quand l'entreprise ne peut plus accueillir de classe cette année."),
    )

    def __init__(self, *args, entry=None, **kwargs):
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "trades": list(entry.trades.all()),
                    "contact_name": entry.contact_name,
                    "contact_email": entry.contact_email,
                    "contact_phone": entry.contact_phone,
                    "offer": entry.offer,
                    "active": entry.active,
                },
            )
        super().__init__(*args, **kwargs)
        if entry is not None:
            self.drop_company_fields()

    def entry_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("company", *NEW_COMPANY_FIELDS):
            data.pop(name, None)
        return data


class VolunteerFilterForm(forms.Form):
    """The teachers' filters over the volunteer companies: a trade, a town."""

    trade = forms.ModelChoiceField(
        label=_("Métier"), queryset=Trade.objects.none(), required=False, empty_label=_("Tous")
    )
    town = forms.ChoiceField(label=_("Commune"), required=False)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trade"].queryset = (
            Trade.objects.filter(volunteer_entries__in=entries).distinct().order_by("name")
        )
        towns = sorted(set(entries.values_list("company__town", flat=True)), key=str.casefold)
        self.fields["town"].choices = [("", _("Toutes")), *[(town, town) for town in towns]]

    def filter(self, entries):
        if not self.is_valid():
            return entries
        if self.cleaned_data.get("trade"):
            entries = entries.filter(trades=self.cleaned_data["trade"])
        if self.cleaned_data.get("town"):
            entries = entries.filter(company__town=self.cleaned_data["town"])
        return entries
