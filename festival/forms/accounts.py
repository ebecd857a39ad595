"""Forms of the account pages: login, teacher sign-up, school search, password reset."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from festival.domain.accounts import login_throttled, record_failed_login
from festival.enums import Academie, StructureKind
from festival.models import Festival, School, User
from festival.validators import normalize_siret, normalize_uai, validate_siret, validate_uai

# A UAI being typed: its digits, maybe already the check letter.
UAI_PREFIX_RE = re.compile(r"^\d{2,7}[A-Z]?$")
# A SIRET being typed: more digits than a UAI has.
SIRET_PREFIX_RE = re.compile(r"^\d{8,14}$")

# The two ways to sign up a structure.
WITH_UAI = "uai"
WITH_SIRET = "siret"
KIND_CHOICES = [("", "—"), *StructureKind.choices]


class LoginForm(AuthenticationForm):
    """Django's login form, with the e-mail address as the identifier."""

    username = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, ou choisissez un nouveau "
            "mot de passe avec « Mot de passe oublié ? »."
        ),
        "inactive": _("Ce compte a été désactivé. Contactez l'organisation du festival."),
        "throttled": _("Trop de tentatives de connexion : réessayez dans quelques minutes."),
    }

    def clean_username(self):
        # Addresses are stored in lower case: "Claire.Girard@ac-besancon.fr" must log in too.
        return self.cleaned_data["username"].lower()

    def clean(self):
        email = self.cleaned_data.get("username")
        if not email:
            return super().clean()
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        if login_throttled(email=email, ip=ip):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                record_failed_login(email=email, ip=ip)
            raise

    @property
    def throttled(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "throttled")


class SchoolSearchForm(forms.Form):
    """The search box of the sign-up page, by name, town, UAI code or SIRET."""

    MIN_LENGTH = 2
    LIMIT = 20
    MAX_WORDS = 5

    q = forms.CharField(required=False, max_length=100)

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def too_short(self) -> bool:
        return 0 < len(self.query) < self.MIN_LENGTH

    def results(self) -> tuple[list[School], bool]:
        """At most LIMIT matching schools, and whether there were more."""
        query = self.query
        if len(query) < self.MIN_LENGTH:
            return [], False
        compact = normalize_uai(query)
        if UAI_PREFIX_RE.match(compact):
            schools = School.objects.filter(uai__startswith=compact)
        elif SIRET_PREFIX_RE.match(normalize_siret(query)):
            schools = School.objects.filter(siret__startswith=normalize_siret(query))
        else:
            # Every word must appear in the name or the town: "jules haag besançon" finds it.
            schools = School.objects.all()
            for word in query.split()[: self.MAX_WORDS]:
                schools = schools.filter(Q(name__icontains=word) | Q(town__icontains=word))
        found = list(schools.order_by("name", "town", "pk")[: self.LIMIT + 1])
        return found[: self.LIMIT], len(found) > self.LIMIT


phone_validator = RegexValidator(
    r"^\+?[\d\s.()-]{10,30}$",
    _("Indiquez un numéro de téléphone valide, par exemple 03 81 00 00 00."),
    code="phone",
)


class FestivalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The region helps to choose, unless the name says it already.
        if obj.region and obj.region.lower() not in obj.name.lower():
            return f"{obj.name} ({obj.region})"
        return obj.name


class SignupForm(SetPasswordMixin, forms.Form):
    """A teacher or tutor signs up for a festival, from a school found in the list or added
    with its UAI code, or from another structure (insertion, apprenticeship, association…)
    given by its SIRET. Both groups of fields are on the page: `structure_type` says which
    one counts, so the choice works without JavaScript."""

    festival = FestivalChoiceField(
        label=_("Festival"),
        queryset=Festival.objects.order_by("name"),
        empty_label=None,
        help_text=_(
            "Le festival de votre région, qui validera votre inscription. Vous pourrez demander "
            "à participer à un autre festival ensuite."
        ),
    )

    structure_type = forms.ChoiceField(
        label=_("Vous inscrivez"),
        choices=[
            (WITH_UAI, _("Un établissement de l'Éducation nationale (code UAI)")),
            (
                WITH_SIRET,
                _(
                    "Une autre structure (école de la deuxième chance, mission locale, CFA, "
                    "association… : numéro SIRET)"
                ),
            ),
        ],
        # Absent from older forms and scripts: the UAI path, as before.
        required=False,
        initial=WITH_UAI,
        widget=forms.RadioSelect,
    )
    school = forms.ModelChoiceField(
        label=_("Établissement"),
        queryset=School.objects.all(),
        required=False,
        widget=forms.RadioSelect,
    )
    uai = forms.CharField(
        label=_("Code UAI de l'établissement"),
        required=False,
        max_length=12,
        help_text=_(
            "7 chiffres et une lettre, par exemple 0250007X. Il figure sur les courriers "
            "officiels et sur l'annuaire de l'Éducation nationale."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    school_name = forms.CharField(
        label=_("Nom de l'établissement"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    school_town = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    school_academie = forms.ChoiceField(
        label=_("Académie"),
        required=False,
        choices=[("", "—"), *Academie.choices],
    )
    school_kind = forms.ChoiceField(
        label=_("Type d'établissement"), required=False, choices=KIND_CHOICES
    )
    siret = forms.CharField(
        label=_("Numéro SIRET de la structure"),
        required=False,
        max_length=20,
        help_text=_(
            "14 chiffres, sur les documents administratifs de la structure ou sur "
            "annuaire-entreprises.data.gouv.fr."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}
        ),
    )
    structure_name = forms.CharField(
        label=_("Nom de la structure"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    structure_town = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    structure_academie = forms.ChoiceField(
        label=_("Académie"),
        required=False,
        choices=[("", "—"), *Academie.choices],
        help_text=_("L'académie où se trouve la structure : elle situe votre région."),
    )
    structure_kind = forms.ChoiceField(
        label=_("Type de structure"), required=False, choices=KIND_CHOICES
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Elle vous servira à vous connecter et à recevoir les nouvelles de vos films."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        required=False,
        max_length=30,
        validators=[phone_validator],
        help_text=_("Pour que l'organisation puisse vous joindre la veille d'une échéance."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Mot de passe"), label2=_("Mot de passe (confirmation)")
    )

    NEW_SCHOOL_FIELDS = ("school_name", "school_town", "school_academie", "school_kind")
    NEW_STRUCTURE_FIELDS = (
        "structure_name",
        "structure_town",
        "structure_academie",
        "structure_kind",
    )

    def __init__(self, *args, festival: Festival | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        festivals = list(self.fields["festival"].queryset)
        if festival is not None:
            self.fields["festival"].initial = festival.pk
        if len(festivals) == 1:
            # One festival on the installation: nothing to choose.
            self.fields["festival"].initial = festivals[0].pk
            self.fields["festival"].widget = forms.HiddenInput()
        self.festival_count = len(festivals)

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean_structure_type(self):
        return self.cleaned_data["structure_type"] or WITH_UAI

    def clean_uai(self):
        uai = normalize_uai(self.cleaned_data["uai"])
        if uai:
            validate_uai(uai)
        return uai

    def clean_siret(self):
        siret = normalize_siret(self.cleaned_data["siret"])
        if siret:
            validate_siret(siret)
        return siret

    @property
    def with_siret(self) -> bool:
        """Whether the structure is given by its SIRET (the second path)."""
        if self.is_bound:
            return self.data.get("structure_type") == WITH_SIRET
        return False

    def clean(self):
        cleaned = super().clean()
        self._clean_school(cleaned)
        self.validate_passwords("password1", "password2")
        candidate = User(
            email=cleaned.get("email", ""),
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        self.validate_password_for_user(candidate, "password2")
        return cleaned

    def _clean_school(self, cleaned):
        if cleaned.get("structure_type") == WITH_SIRET:
            self._clean_structure(cleaned)
            return
        if "school" in self.errors or "uai" in self.errors:
            return
        school, uai = cleaned.get("school"), cleaned.get("uai")
        if school is not None:
            if uai and uai != school.uai:
                self.add_error(
                    "uai",
                    _(
                        "Vous avez aussi choisi « %(school)s » dans la liste. Choisissez « Aucun "
                        "de ces établissements » pour ajouter le vôtre, ou effacez ce code UAI."
                    )
                    % {"school": school},
                )
            return
        if not uai:
            self.add_error(
                "school",
                _(
                    "Choisissez votre établissement dans la liste, ou ajoutez-le avec son code "
                    "UAI s'il n'y figure pas."
                ),
            )
            return
        known = School.objects.filter(uai=uai).first()
        if known is not None:
            # Someone already added it: the code identifies it, no need for the rest.
            cleaned["school"] = known
            return
        self._require(
            cleaned,
            self.NEW_SCHOOL_FIELDS,
            _("Ce champ est nécessaire pour ajouter votre établissement."),
        )

    def _clean_structure(self, cleaned):
        # The SIRET path: a school chosen in the list of the other path does not count.
        cleaned["school"] = None
        if "siret" in self.errors:
            return
        siret = cleaned.get("siret")
        if not siret:
            self.add_error(
                "siret",
                _(
                    "Indiquez le numéro SIRET de votre structure, ou choisissez « Un "
                    "établissement de l'Éducation nationale » s'il a un code UAI."
                ),
            )
            return
        known = School.objects.filter(siret=siret).first()
        if known is None:
            self._require(
                cleaned,
                self.NEW_STRUCTURE_FIELDS,
                _("Ce champ est nécessaire pour inscrire votre structure."),
            )
            return
        kind = cleaned.get("structure_kind")
        if kind and known.kind and kind != known.kind:
            # The number identifies the structure: a different kind means a mistyped number,
            # or the wrong kind chosen.
            self.add_error(
                "siret",
                _(
                    "Ce numéro SIRET est déjà celui de « %(name)s », inscrite comme « %(kind)s » "
                    "et non comme « %(chosen)s » : vérifiez le numéro, ou choisissez ce type de "
                    "structure."
                )
                % {
                    "name": known.name,
                    "kind": known.get_kind_display(),
                    "chosen": StructureKind(kind).label,
                },
            )
            return
        # Someone already signed it up: the number identifies it, no need for the rest.
        cleaned["school"] = known

    def _require(self, cleaned, names, message) -> None:
        """A new structure is being added: each of its fields left empty gets `message`."""
        for name in names:
            if not cleaned.get(name):
                self.add_error(name, message)

    @property
    def adds_school(self) -> bool:
        """Whether the new-school part of the form was used (to show it opened)."""
        return bool(
            self.is_bound
            and (
                not self.with_siret
                and (
                    self.data.get("uai")
                    or any(name in self.errors for name in ("uai", *self.NEW_SCHOOL_FIELDS))
                )
            )
        )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class JoinFestivalForm(forms.Form):
    """A teacher asks to take part in one more festival."""

    festival = FestivalChoiceField(
        label=_("Festival"), queryset=Festival.objects.none(), empty_label=None
    )

    def __init__(self, *args, teacher: User, **kwargs):
        super().__init__(*args, **kwargs)
        # A refusal is not asked again from here: the teacher writes to that festival.
        asked = teacher.memberships.values("festival_id")
        self.fields["festival"].queryset = Festival.objects.exclude(pk__in=asked).order_by("name")
