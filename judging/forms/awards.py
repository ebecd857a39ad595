"""Forms of the prizes, awards, publication and prix du public pages. They only parse input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from festival.models import Company
from judging.models_results import Prize


class PrizeForm(forms.ModelForm):
    class Meta:
        model = Prize
        fields = ["position", "name", "kind", "category", "description", "sponsor"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "position": forms.NumberInput(attrs={"class": "narrow-input"}),
        }

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("— Toute l'édition —")
        self.fields["sponsor"].queryset = Company.objects.order_by("name", "town")
        self.fields["sponsor"].empty_label = _("— Aucune —")


class BasePrizeFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, categories, **kwargs):
        self.categories = categories
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "categories": self.categories}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            categories=self.categories,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


PrizeFormSet = forms.modelformset_factory(
    Prize, form=PrizeForm, formset=BasePrizeFormSet, extra=1, can_delete=True
)


class DecisionForm(forms.Form):
    """The jury's decision for one prize: the films it goes to, and why if not as proposed.

    The films are given as a list, read once for every prize of the page.
    """

    films = forms.TypedMultipleChoiceField(
        label=_("Films primés"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun film : le prix n'est pas attribué. Plusieurs : ex aequo."),
    )
    reason = forms.CharField(
        label=_("Motif de la décision du jury"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire si la décision s'écarte de la proposition du classement."),
    )

    def __init__(self, *args, films, **kwargs):
        super().__init__(*args, **kwargs)
        self.film_list = list(films)
        self.fields["films"].choices = [
            (film.pk, f"{film.title} — {film.school.name}") for film in self.film_list
        ]

    def clean_films(self):
        chosen = set(self.cleaned_data["films"])
        return [film for film in self.film_list if film.pk in chosen]


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la dépublication"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the domain refuses an empty reason with its own message
        help_text=_("Obligatoire ; il est conservé dans l'historique des publications."),
    )


class VoteWindowForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Ouverture du vote"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Clôture du vote"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Laissez les deux dates vides pour ne pas organiser de prix du public."),
    )


class FilmChoiceField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.school.name} ({obj.school.town})"


class VoteForm(forms.Form):
    film = FilmChoiceField(label=_("Votre film préféré"), queryset=None, empty_label=None)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_(
            "Nous vous envoyons un lien pour confirmer votre vote. Votre adresse ne sert qu'à "
            "cela : un vote par catégorie et par adresse."
        ),
    )

    def __init__(self, *args, films, category, **kwargs):
        kwargs.setdefault("auto_id", f"vote-{category.pk}-%s")
        super().__init__(*args, **kwargs)
        self.fields["film"].queryset = films
