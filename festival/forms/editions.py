"""Forms of the festival's set-up pages: they parse input, the domain decides."""

from datetime import timedelta

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from festival.domain.editions import calendar_errors
from festival.models import Category, Edition, Festival, Trade, TrainingLink
from festival.validators import validate_web_url

DATETIME_WIDGET = {"attrs": {"type": "datetime-local"}, "format": "%Y-%m-%dT%H:%M"}
CALENDAR_FIELDS = (
    "submissions_open_at",
    "submissions_close_at",
    "judging_start_at",
    "judging_end_at",
    "deliberation_at",
    "ceremony_at",
)


class MinutesField(forms.IntegerField):
    """A duration typed in whole minutes: what organizers think a film's length in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 600)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"class": "narrow-input"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            return int(value.total_seconds() // 60)
        return value

    def clean(self, value):
        minutes = super().clean(value)
        return None if minutes is None else timedelta(minutes=minutes)


class FestivalForm(forms.ModelForm):
    class Meta:
        model = Festival
        fields = ["name", "region", "organizing_body", "description", "contact_email"]
        help_texts = {
            "description": _("Montrée au public sur la page d'accueil du festival."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class EditionForm(forms.ModelForm):
    default_max_duration = MinutesField(
        label=_("Durée maximale des films (minutes)"),
        help_text=_("S'applique aux catégories qui n'ont pas leur propre durée."),
    )

    class Meta:
        model = Edition
        fields = [
            "title",
            "year",
            "theme",
            *CALENDAR_FIELDS,
            "default_max_duration",
            "rules",
            "is_current",
        ]
        widgets = {
            **{name: forms.DateTimeInput(**DATETIME_WIDGET) for name in CALENDAR_FIELDS},
            "year": forms.NumberInput(attrs={"class": "narrow-input"}),
            "rules": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "is_current": _(
                "L'édition en cours reçoit les films des enseignants. Une seule édition est en "
                "cours : cocher cette case retire ce statut à l'autre."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(MinValueValidator(2000))
        self.fields["year"].widget.attrs["min"] = 2000
        if self.instance.pk is None:
            self.fields["default_max_duration"].initial = Edition._meta.get_field(
                "default_max_duration"
            ).default
        for name in CALENDAR_FIELDS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def _post_clean(self):
        # The domain validates the edition (calendar, year); the form only parses it.
        pass

    def clean(self):
        cleaned = super().clean()
        for name, text in calendar_errors(cleaned).items():
            if name not in self.errors:
                self.add_error(name, text)
        return cleaned

    def values(self) -> dict:
        values = dict(self.cleaned_data)
        values.pop("is_current")
        return values


class CategoryForm(forms.ModelForm):
    max_duration = MinutesField(
        label=_("Durée maximale (minutes)"),
        required=False,
        help_text=_("Laisser vide pour appliquer la durée maximale de l'édition."),
    )

    class Meta:
        model = Category
        fields = ["name", "description", "max_duration", "position"]
        labels = {"description": _("Public et description")}
        help_texts = {
            "description": _("À qui s'adresse la catégorie : niveau, âge, type d'établissement."),
            "position": _("Les catégories sont montrées du plus petit numéro au plus grand."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "position": forms.NumberInput(attrs={"class": "narrow-input"}),
        }

    def _post_clean(self):
        pass


class TradeForm(forms.ModelForm):
    class Meta:
        model = Trade
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass


class TradePageForm(TradeForm):
    """A trade's page as its organizers write it: the description gets room for paragraphs."""

    class Meta(TradeForm.Meta):
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}


class WebAddressField(forms.URLField):
    """A web page's address: http or https only, said in one message."""

    default_validators = [validate_web_url]
    default_error_messages = {"invalid": validate_web_url.message}


class TrainingLinkForm(forms.ModelForm):
    # The model's own check, here too: this form skips the model's validation (_post_clean).
    url = WebAddressField(
        label=_("Adresse de la page"),
        max_length=500,
        help_text=_("Une adresse web complète, qui commence par https://."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = TrainingLink
        fields = ["label", "url"]
        labels = {"label": _("Intitulé de la formation")}
        help_texts = {"label": _("Par exemple : CAP Conducteur d'installations de production.")}

    def _post_clean(self):
        pass


MAX_TRAINING_LINKS = 12


class BaseTrainingLinkFormSet(forms.BaseFormSet):
    def links(self) -> list[tuple[str, str]]:
        """The links kept, in the order of the page: (label, URL)."""
        return [
            (form.cleaned_data["label"], form.cleaned_data["url"])
            for form in self.forms
            # An empty extra row has no cleaned data; a row ticked "Supprimer" is left out.
            if form.cleaned_data.get("label") and not form.cleaned_data.get("DELETE")
        ]


TrainingLinkFormSet = forms.formset_factory(
    TrainingLinkForm,
    formset=BaseTrainingLinkFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_TRAINING_LINKS,
    validate_max=True,
)


TRAINING_LINKS_PREFIX = "formations"


def training_link_formset(data, trade: Trade) -> BaseTrainingLinkFormSet:
    """The trade's links as rows to edit. A post without them (a rename only) leaves the
    formset unbound: the links stay as they are."""
    if data is not None and f"{TRAINING_LINKS_PREFIX}-TOTAL_FORMS" not in data:
        data = None
    initial = [{"label": link.label, "url": link.url} for link in trade.training_links.all()]
    return TrainingLinkFormSet(data, initial=initial, prefix=TRAINING_LINKS_PREFIX)
