"""The partner company of a form: chosen in the list, or typed in as a new one.

Shared by the teacher's film form (the company is optional there) and the organizers' volunteer
company form (required). The domain (festival.domain.companies.register_company) creates it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from festival.models import Company
from festival.validators import normalize_siret, validate_siret

# What a new company needs; its sector is optional.
REQUIRED_NEW_COMPANY_FIELDS = ("new_company_name", "new_company_siret", "new_company_town")
NEW_COMPANY_FIELDS = (*REQUIRED_NEW_COMPANY_FIELDS, "new_company_sector")


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.town})"


class CompanyChoiceForm(forms.Form):
    """Base of a form holding a company; `company_required` says whether one must be given."""

    company_required = False

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

    def clean_new_company_siret(self):
        siret = normalize_siret(self.cleaned_data["new_company_siret"])
        if not siret:
            return ""
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
        if "company" in self.fields:
            self._clean_company_choice(cleaned)
        return cleaned

    def _clean_company_choice(self, cleaned):
        typed = any(cleaned.get(name) or name in self.errors for name in NEW_COMPANY_FIELDS)
        if not typed:
            if self.company_required and cleaned.get("company") is None:
                self.add_error(
                    "company",
                    ValidationError(
                        _("Choisissez une entreprise ou ajoutez-en une nouvelle."),
                        code="company_required",
                    ),
                )
            return
        if cleaned.get("company") is not None:
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
            return
        for name in REQUIRED_NEW_COMPANY_FIELDS:
            if name not in self.errors and not cleaned.get(name):
                self.add_error(
                    name,
                    ValidationError(
                        _("Ce champ est nécessaire pour ajouter l'entreprise."), code="required"
                    ),
                )

    @property
    def adds_company(self) -> bool:
        """True when a new company was typed in (complete once the form is valid)."""
        return "company" in self.fields and bool(self.cleaned_data.get("new_company_siret"))

    def new_company_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["new_company_name"],
            "siret": data["new_company_siret"],
            "town": data["new_company_town"],
            "sector": data["new_company_sector"],
        }

    def company_fields(self):
        return [self[name] for name in NEW_COMPANY_FIELDS]

    def drop_company_fields(self) -> None:
        for name in ("company", *NEW_COMPANY_FIELDS):
            del self.fields[name]
