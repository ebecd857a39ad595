"""Forms of the organizers' judging pages. They only parse input: the domain functions decide."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from festival.models import Company, School
from judging.enums import JuryStage
from judging.models import Criterion, JudgingSettings


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.email})"


class CategoriesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class JuryForm(forms.Form):
    name = forms.CharField(label=_("Nom du jury"), max_length=150)
    categories = CategoriesField(
        label=_("Catégories jugées"),
        queryset=None,
        help_text=_("Chaque catégorie est jugée par un seul jury."),
    )
    president = PersonChoiceField(
        label=_("Président du jury"),
        queryset=None,
        required=False,
        empty_label=_("— Pas encore choisi —"),
        help_text=_("Il devient membre du jury s'il ne l'est pas déjà. Il mène la délibération."),
    )
    stage = forms.ChoiceField(
        label=_("Étape"),
        choices=JuryStage.choices,
        initial=JuryStage.FINAL,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Un jury de présélection note les films pour choisir les finalistes ; seules les "
            "notes des jurys de la finale comptent pour le palmarès. Fixée à la création."
        ),
    )

    def __init__(self, *args, categories, jurors, stage_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = categories
        self.fields["president"].queryset = jurors
        if stage_fixed:
            self.fields["stage"].disabled = True


class MemberForm(forms.Form):
    juror = PersonChoiceField(label=_("Juré"), queryset=None)
    is_trainee = forms.BooleanField(
        label=_("Juré en formation"),
        required=False,
        help_text=_("Ses notes sont enregistrées et affichées mais ne comptent pas."),
    )

    def __init__(self, *args, jurors, **kwargs):
        kwargs.setdefault("auto_id", "member_%s")  # Unique ids beside the invitation form.
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = jurors


class InviteJurorForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    is_trainee = forms.BooleanField(label=_("Juré en formation"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)


class TraineeForm(forms.Form):
    is_trainee = forms.BooleanField(required=False)


class AffiliationsForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(
        label=_("Établissements"),
        queryset=School.objects.order_by("name", "town"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Le juré ne notera aucun film de ces établissements."),
    )
    companies = forms.ModelMultipleChoiceField(
        label=_("Entreprises"),
        queryset=Company.objects.order_by("name", "town"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Le juré ne notera aucun film tourné dans ces entreprises."),
    )


class JudgingSettingsForm(forms.ModelForm):
    min_watched_percent = forms.IntegerField(
        label=_("Part du film à regarder avant de valider (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("90 % par défaut : aucun film n'est noté sans avoir été vu."),
    )

    class Meta:
        model = JudgingSettings
        fields = (
            "assignment_mode",
            "jurors_per_film",
            "max_films_per_juror",
            "reminder_days_before",
        )
        widgets = {"assignment_mode": forms.RadioSelect}
        help_texts = {
            "jurors_per_film": _("Utilisé seulement quand chaque film reçoit au moins k jurés."),
            "max_films_per_juror": _(
                "Laisser vide pour ne pas limiter. Les jurés en formation ne sont pas limités."
            ),
            "reminder_days_before": _(
                "Un rappel part une fois, ce nombre de jours avant la fin de l'évaluation, aux "
                "jurés qui ont encore des films à noter. 0 : pas de rappel automatique."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_watched_percent"].initial = int(self.instance.min_watched_ratio * 100)

    def clean_max_films_per_juror(self):
        cap = self.cleaned_data["max_films_per_juror"]
        if cap == 0:
            raise forms.ValidationError(
                _("Un juré doit pouvoir recevoir au moins un film : laissez vide ou indiquez 1.")
            )
        return cap

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["min_watched_ratio"] = Decimal(self.cleaned_data["min_watched_percent"]) / 100
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = (
            "position",
            "name",
            "description",
            "weight",
            "min_score",
            "max_score",
            "step",
            "required",
            "is_priority",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned_data = super().clean()
        low, high, step = (cleaned_data.get(name) for name in ("min_score", "max_score", "step"))
        if step is not None and step <= 0:
            self.add_error("step", _("Le pas doit être positif, par exemple 0,5."))
        elif low is not None and high is not None and step:
            if low >= high:
                self.add_error("max_score", _("La note maximale doit dépasser la note minimale."))
            elif (high - low) % step:
                self.add_error(
                    "step",
                    _(
                        "L'écart entre la note minimale et la note maximale doit être un multiple "
                        "du pas."
                    ),
                )
        return cleaned_data


class BaseCriterionFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise forms.ValidationError(_("La grille doit compter au moins un critère."))
        names = [form.cleaned_data["name"].strip().casefold() for form in kept]
        if len(set(names)) < len(names):
            raise forms.ValidationError(
                _("Deux critères portent le même nom : donnez-leur des noms différents.")
            )
        if sum(bool(form.cleaned_data.get("is_priority")) for form in kept) > 1:
            raise forms.ValidationError(
                _("Un seul critère peut être prioritaire : il départage les ex aequo.")
            )


CriterionFormSet = forms.modelformset_factory(
    Criterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True
)


class AssignmentForm(forms.Form):
    """A film given to a juror by hand, among the jury's members and films."""

    juror = forms.TypedChoiceField(label=_("Juré"), coerce=int)
    film = forms.TypedChoiceField(label=_("Film"), coerce=int)

    def __init__(self, *args, members, films, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].choices = [
            (member.juror_id, member.juror.get_full_name()) for member in members
        ]
        self.fields["film"].choices = [(film.pk, film.title) for film in films]
