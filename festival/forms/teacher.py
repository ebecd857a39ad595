"""Forms of the teacher's pages: a film's details, its video and its consent forms."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from festival.forms.company_choice import CompanyChoiceForm
from festival.models import Category, Edition, Film, Trade
from festival.validators import parse_crew, validate_crew_name

# Filters for the browser's file chooser only: the server reads the first bytes to decide.
VIDEO_ACCEPT = "video/*,.mp4,.mov,.mkv,.avi,.mts,.m2ts,.wmv"
CONSENT_ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.festival.name} — {obj.title}"


class CategoryChoiceField(forms.ModelChoiceField):
    show_edition = False

    def label_from_instance(self, obj):
        if self.show_edition:  # one current edition per festival: its name tells them apart
            return f"{obj.edition.festival.name} — {obj.name}"
        return obj.name


class FilmForm(CompanyChoiceForm):
    """A film's details, for a new draft (with `editions`) or an existing one (with `film`)."""

    field_order = ["edition", "category", "title", "synopsis", "company"]

    edition = EditionChoiceField(
        label=_("Édition"),
        queryset=Edition.objects.none(),
        empty_label=_("— Choisir une édition —"),
    )
    category = CategoryChoiceField(
        label=_("Catégorie"),
        queryset=Category.objects.none(),
        empty_label=_("— Choisir une catégorie —"),
    )
    title = forms.CharField(label=_("Titre du film"), max_length=200)
    synopsis = forms.CharField(
        label=_("Synopsis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Quelques lignes sur ce que montre le film. Obligatoire pour le déposer."),
    )
    trades = forms.ModelMultipleChoiceField(
        label=_("Métiers présentés"),
        queryset=Trade.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Au moins un métier est nécessaire pour déposer le film."),
    )
    pupil_count = forms.IntegerField(
        label=_("Nombre d'élèves"), min_value=1, max_value=200, required=False
    )
    pupils_on_screen = forms.IntegerField(
        label=_("Nombre d'élèves à l'écran"),
        min_value=0,
        max_value=200,
        required=False,
        help_text=_(
            "Les élèves que l'on voit ou que l'on entend dans le film. Il faut une autorisation "
            "de droit à l'image validée pour chacun avant que le film soit montré au public."
        ),
    )
    crew = forms.CharField(
        label=_("Équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Prénoms ou pseudonymes des élèves, un par ligne. Jamais de nom de famille : "
            "« Léa » ou « Léa B. », pas « Léa Bernard »."
        ),
    )

    def __init__(
        self, *args, editions: list[Edition] | None = None, film: Film | None = None, **kw
    ):
        if film is not None:
            kw.setdefault("initial", initial_for(film))
        super().__init__(*args, **kw)
        self.fields["company"].label = _("Entreprise partenaire")
        self.fields["company"].help_text = _(
            "L'entreprise où la classe a tourné. Absente de la liste ? Ajoutez-la."
        )
        category = self.fields["category"]
        if film is not None:
            # The edition of an existing film never changes.
            del self.fields["edition"]
            category.queryset = film.edition.categories.all()
            self.single_edition = film.edition
            return
        editions = list(editions or [])
        edition = self.fields["edition"]
        edition.queryset = Edition.objects.filter(pk__in=[e.pk for e in editions]).select_related(
            "festival"
        )
        category.queryset = Category.objects.filter(edition__in=editions).select_related(
            "edition__festival"
        )
        self.single_edition = editions[0] if len(editions) == 1 else None
        if self.single_edition is not None:
            # Nothing to choose: the field is not shown and ignores what is posted.
            edition.initial = self.single_edition.pk
            edition.disabled = True
            edition.widget = forms.HiddenInput()
        else:
            category.show_edition = True

    def clean_crew(self):
        names = parse_crew(self.cleaned_data["crew"])
        errors = []
        for name in names:
            try:
                validate_crew_name(name)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return "\n".join(names)

    def clean(self):
        cleaned = super().clean()
        edition = cleaned.get("edition") or self.single_edition
        category = cleaned.get("category")
        if edition is not None and category is not None and category.edition_id != edition.pk:
            self.add_error(
                "category",
                ValidationError(
                    _("Cette catégorie n'appartient pas à l'édition choisie."),
                    code="wrong_category",
                ),
            )
        crew = cleaned.get("crew")
        pupil_count = cleaned.get("pupil_count")
        names = len(crew.splitlines()) if crew else 0
        if pupil_count and names > pupil_count:
            self.add_error(
                "crew",
                ValidationError(
                    ngettext(
                        "L'équipe compte %(names)d prénoms pour %(count)d élève : corrigez la "
                        "liste ou le nombre d'élèves.",
                        "L'équipe compte %(names)d prénoms pour %(count)d élèves : corrigez la "
                        "liste ou le nombre d'élèves.",
                        pupil_count,
                    ),
                    code="crew_too_long",
                    params={"names": names, "count": pupil_count},
                ),
            )
        return cleaned

    def film_data(self) -> dict:
        """The film's fields, as create_film and update_film take them (company aside)."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "title": data["title"],
            "synopsis": data["synopsis"],
            "trades": list(data["trades"]),
            "pupil_count": data["pupil_count"],
            "pupils_on_screen": data["pupils_on_screen"],
            "crew": data["crew"],
        }


def initial_for(film: Film) -> dict:
    return {
        "category": film.category_id,
        "title": film.title,
        "synopsis": film.synopsis,
        "company": film.company_id,
        "trades": [trade.pk for trade in film.trades.all()],
        "pupil_count": film.pupil_count,
        "pupils_on_screen": film.pupils_on_screen,
        "crew": film.crew,
    }


def size_attrs(*, limit: int, note_id: str) -> dict:
    """What static/filmit/filmit.js reads to warn before a too large file is sent."""
    return {
        "data-max-bytes": str(limit),
        "data-note-id": note_id,
        "data-too-large": gettext("Ce fichier dépasse la taille maximale de %(limit)s.")
        % {"limit": filesizeformat(limit)},
        "aria-describedby": f"{note_id}-help {note_id}",
    }


class VideoForm(forms.Form):
    # Empty and oversized files are refused by the domain, with the same words everywhere.
    video = forms.FileField(label=_("Fichier vidéo"), allow_empty_file=True)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        attrs = {
            "accept": VIDEO_ACCEPT,
            **size_attrs(limit=settings.FILMIT_MAX_UPLOAD_BYTES, note_id="video-size-note"),
        }
        self.fields["video"].widget = forms.FileInput(attrs=attrs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        cleaned = []
        for uploaded in files:
            cleaned.append(super().clean(uploaded, initial))
        return cleaned


class ConsentForm(forms.Form):
    MAX_FILES = 40

    files = MultipleFileField(
        label=_("Autorisations signées (PDF ou photos)"),
        allow_empty_file=True,
        error_messages={"required": _("Choisissez au moins un fichier.")},
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        attrs = {
            "accept": CONSENT_ACCEPT,
            **size_attrs(limit=settings.FILMIT_MAX_CONSENT_BYTES, note_id="consent-size-note"),
        }
        self.fields["files"].widget = MultipleFileInput(attrs=attrs)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > self.MAX_FILES:
            raise ValidationError(
                _("Envoyez au plus %(max)d fichiers à la fois."),
                code="too_many",
                params={"max": self.MAX_FILES},
            )
        return files


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Il aide l'organisation à comprendre votre choix."),
    )
