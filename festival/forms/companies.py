"""Forms about partner companies: contacts, the public agreement, volunteer companies.

They only parse input: the domain functions (festival.domain.companies) decide.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from festival.models import Company, Trade
from festival.validators import normalize_siret, validate_siret


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.town})"


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
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


NEW_COMPANY_FIELDS = (
    "new_company_name",
    "new_company_siret",
    "new_company_town",
    "new_company_sector",
)


class VolunteerForm(forms.Form):
    """A volunteer company's entry; the company is chosen only when the entry is new."""

    company = CompanyChoiceField(
        label=_("Entreprise"),
        queryset=Company.objects.order_by("name", "town"),
        required=False,
        empty_label=_("— Choisir une entreprise —"),
        help_text=_("Absente de la liste ? Ajoutez-la ci-dessous."),
    )
    new_company_name = forms.CharField(label=_("Raison sociale"), max_length=200, required=False)
    new_company_siret = forms.CharField(
        label=_("Numéro SIRET"),
        max_length=20,
        required=False,
        help_text=_("14 chiffres, sur les factures ou sur annuaire-entreprises.data.gouv.fr."),
    )
    new_company_town = forms.CharField(label=_("Commune"), max_length=100, required=False)
    new_company_sector = forms.CharField(
        label=_("Secteur d'activité"), max_length=200, required=False
    )
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
            for name in ("company", *NEW_COMPANY_FIELDS):
                del self.fields[name]

    def clean_new_company_siret(self):
        siret = normalize_siret(self.cleaned_data["new_company_siret"])
        if siret:
            validate_siret(siret)
            existing = Company.objects.filter(siret=siret).first()
            if existing is not None:
                raise ValidationError(
                    _(
                        "Cette entreprise est déjà enregistrée sous le nom « %(name)s » : "
                        "choisissez-la dans la liste."
                    ),
                    code="siret_taken",
                    params={"name": existing.name},
                )
        return siret

    def clean(self):
        cleaned = super().clean()
        if "company" not in self.fields:
            return cleaned
        new = [name for name in NEW_COMPANY_FIELDS if cleaned.get(name)]
        if cleaned.get("company") is not None and new:
            self.add_error(
                "company",
                ValidationError(
                    _(
                        "Choisissez une entreprise de la liste ou ajoutez-en une nouvelle, "
                        "pas les deux."
                    ),
                    code="company_twice",
                ),
            )
        elif cleaned.get("company") is None:
            if not new and "new_company_siret" not in self.errors:
                self.add_error(
                    "company",
                    ValidationError(
                        _("Choisissez une entreprise ou ajoutez-en une nouvelle."),
                        code="company_required",
                    ),
                )
            for name in ("new_company_name", "new_company_siret", "new_company_town"):
                if not cleaned.get(name) and name not in self.errors and new:
                    self.add_error(
                        name,
                        ValidationError(
                            _("Ce champ est nécessaire pour ajouter l'entreprise."),
                            code="required",
                        ),
                    )
        return cleaned

    @property
    def adds_company(self) -> bool:
        return "company" in self.fields and self.cleaned_data.get("company") is None

    def new_company_data(self) -> dict:
        return {
            "name": self.cleaned_data["new_company_name"],
            "siret": self.cleaned_data["new_company_siret"],
            "town": self.cleaned_data["new_company_town"],
            "sector": self.cleaned_data["new_company_sector"],
        }

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
