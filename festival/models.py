import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.enums import (
    Academie,
    ApprovalStatus,
    ConsentStatus,
    EditionPhase,
    FilmStatus,
    MusicRights,
    Role,
    StructureKind,
)
from festival.validators import (
    normalize_siret,
    normalize_uai,
    validate_siret,
    validate_uai,
    validate_web_url,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def members_of(self, festival_id: int, role: str):
        """The active people who hold `role` in this festival (approved memberships): the one
        answer to "the organizers of…", "the jurors of…"."""
        return self.filter(
            is_active=True,
            role=role,
            memberships__festival_id=festival_id,
            memberships__role=role,
            memberships__approval=ApprovalStatus.APPROVED,
        )

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ORGANIZER)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: teacher, juror or organizer. Pupils never get one."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    festival = models.ForeignKey(
        "festival.Festival",
        verbose_name=_("festival"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_members",
        help_text=_(
            "Festival dont cette personne voit les pages en ce moment : un organisateur de "
            "plusieurs festivals passe de l'un à l'autre. Ses festivals sont ses adhésions."
        ),
    )
    school = models.ForeignKey(
        "festival.School",
        verbose_name=_("établissement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teachers",
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    language = models.CharField(
        _("langue"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def festival_names(self, role: str) -> dict[int, str]:
        """The festivals where this person holds `role`, approved, by id with their names: read
        once per request (request.user lives for one request) and forgotten by
        `forget_memberships`."""
        cache = self.__dict__.setdefault("_membership_cache", {})
        if role not in cache:
            cache[role] = dict(
                Membership.objects.filter(
                    user_id=self.pk, role=role, approval=ApprovalStatus.APPROVED
                ).values_list("festival_id", "festival__name")
            )
        return cache[role]

    def festival_ids(self, role: str) -> frozenset[int]:
        return frozenset(self.festival_names(role))

    def forget_memberships(self):
        self.__dict__.pop("_membership_cache", None)

    @property
    def is_teacher(self):
        """A teacher approved by at least one festival (and only there may they act)."""
        return (
            self.role == Role.TEACHER and self.is_active and bool(self.festival_ids(Role.TEACHER))
        )

    @property
    def is_organizer(self):
        return self.role == Role.ORGANIZER and self.is_active

    @property
    def is_juror(self):
        return self.role == Role.JUROR and self.is_active


class MembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approval=ApprovalStatus.APPROVED)


class Membership(models.Model):
    """A person's place in one festival, with the role they hold there.

    Teachers ask to join a festival and its organizers approve or refuse them there only; jurors
    and organizers are members of each festival that invited them. A refusal in one festival
    changes nothing in another.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    festival = models.ForeignKey(
        "festival.Festival",
        verbose_name=_("festival"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    approval = models.CharField(
        _("validation"),
        max_length=20,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion à un festival")
        verbose_name_plural = _("adhésions aux festivals")
        ordering = ["festival__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "festival", "role"], name="one_membership_per_role"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.festival} ({self.get_role_display()})"


class Festival(models.Model):
    """A federation's festival. FILM'IT Franche-Comté is the first of several."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), unique=True)
    region = models.CharField(_("région"), max_length=200, blank=True)
    organizing_body = models.CharField(_("organisateur"), max_length=200, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EditionQuerySet(models.QuerySet):
    def judging_open(self, now=None):
        """The editions whose judging is open: `Edition.judging_is_open`, as a query."""
        now = now or timezone.now()
        return self.filter(judging_start_at__lte=now, judging_end_at__gt=now)


class Edition(models.Model):
    festival = models.ForeignKey(
        Festival, verbose_name=_("festival"), on_delete=models.PROTECT, related_name="editions"
    )
    year = models.PositiveIntegerField(_("année"))
    title = models.CharField(_("titre"), max_length=200)
    theme = models.CharField(_("thème"), max_length=300, blank=True)
    rules = models.TextField(_("règlement"), blank=True)
    is_current = models.BooleanField(_("édition en cours"), default=False)
    submissions_open_at = models.DateTimeField(_("ouverture des dépôts"))
    submissions_close_at = models.DateTimeField(_("clôture des dépôts"))
    judging_start_at = models.DateTimeField(_("début de l'évaluation"))
    judging_end_at = models.DateTimeField(_("fin de l'évaluation"))
    deliberation_at = models.DateTimeField(_("délibération"))
    ceremony_at = models.DateTimeField(_("remise des prix"))
    default_max_duration = models.DurationField(
        _("durée maximale des films"), default=timedelta(minutes=5)
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("festival", "édition")
        verbose_name_plural = pgettext_lazy("festival", "éditions")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["festival", "year"], name="edition_unique_year"),
            models.UniqueConstraint(
                fields=["festival"],
                condition=Q(is_current=True),
                name="edition_one_current_per_festival",
            ),
            models.CheckConstraint(
                condition=Q(submissions_open_at__lt=models.F("submissions_close_at")),
                name="edition_submissions_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    # The calendar: the one home of "is it open?" for the domain, the views and the templates.

    def submissions_not_yet_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.submissions_open_at

    def submissions_are_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.submissions_open_at <= now < self.submissions_close_at

    def submissions_are_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.submissions_close_at

    def judging_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.judging_start_at <= now < self.judging_end_at

    def judging_is_over(self, now=None) -> bool:
        return (now or timezone.now()) >= self.judging_end_at

    def deliberation_is_open(self, now=None) -> bool:
        """From the end of judging (or the deliberation date, if earlier) the president and the
        organizers see every score."""
        now = now or timezone.now()
        return (
            self.judging_is_over(now)
            or now >= self.deliberation_at
            or self.palmares_is_published(now)
        )

    @property
    def palmares_published_at(self):
        """When the edition's live palmarès was published, or None.

        `judging.Publication` is the only record of it; judging registers the reader at start-up
        (see `register_publication_reader`) because the core never imports the apps above it.
        A page listing editions sets `_palmares_published_at` on each one in a single query.
        """
        if not hasattr(self, "_palmares_published_at"):
            reader = _publication_reader
            self._palmares_published_at = reader(self) if reader and self.pk else None
        return self._palmares_published_at

    def palmares_is_published(self, now=None) -> bool:
        published_at = self.palmares_published_at
        return published_at is not None and published_at <= (now or timezone.now())

    def phase(self, now=None) -> EditionPhase:
        now = now or timezone.now()
        if self.palmares_is_published(now):
            return EditionPhase.PUBLISHED
        if self.submissions_not_yet_open(now):
            return EditionPhase.UPCOMING
        if self.submissions_are_open(now):
            return EditionPhase.SUBMISSIONS
        if now < self.judging_start_at:
            return EditionPhase.SCREENING
        if not self.judging_is_over(now):
            return EditionPhase.JUDGING
        return EditionPhase.DELIBERATION

    @property
    def status(self) -> EditionPhase:
        return self.phase()

    # Retention (RGPD): how long after the ceremony the originals, and the consents of the
    # films that were never published, are kept (settings RETENTION_*_DAYS; the chore
    # `apply_retention` deletes them, the privacy page says it).

    @property
    def originals_deleted_after(self):
        return self.ceremony_at + timedelta(days=settings.RETENTION_ORIGINALS_DAYS)

    @property
    def consents_deleted_after(self):
        return self.ceremony_at + timedelta(days=settings.RETENTION_CONSENTS_DAYS)

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_palmares_published_at", None)
        super().refresh_from_db(*args, **kwargs)


_publication_reader = None
_publication_dates_loader = None


def register_publication_reader(reader, *, load_many) -> None:
    """Called once by judging: `reader(edition)` returns its live palmarès' publication date,
    `load_many(editions)` sets it on a list of editions in one query."""
    global _publication_reader, _publication_dates_loader
    _publication_reader, _publication_dates_loader = reader, load_many


def load_palmares_dates(editions) -> None:
    """Read the palmarès dates of many editions at once (a page listing editions)."""
    if _publication_dates_loader is not None:
        _publication_dates_loader(editions)


class Category(models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("édition"), on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant"))
    description = models.TextField(_("description"), blank=True)
    max_duration = models.DurationField(
        _("durée maximale"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour appliquer la durée maximale de l'édition."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")
        ordering = ["edition", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="category_unique_slug"),
        ]

    def __str__(self):
        return self.name

    @property
    def effective_max_duration(self) -> timedelta:
        return self.max_duration or self.edition.default_max_duration


class School(models.Model):
    """A structure whose teachers or tutors sign up: a school of the Éducation nationale, known
    by its UAI code, or any other structure training young people (école de la deuxième chance,
    mission locale, CFA, association…), known by its SIRET. Each has one or the other, or both."""

    uai = models.CharField(
        _("code UAI"), max_length=8, unique=True, null=True, blank=True, validators=[validate_uai]
    )
    siret = models.CharField(
        _("numéro SIRET"),
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_siret],
    )
    # Blank only for the schools recorded before structures had a kind: forms require it.
    kind = models.CharField(
        _("type de structure"), max_length=20, choices=StructureKind.choices, blank=True
    )
    name = models.CharField(_("nom"), max_length=200)
    town = models.CharField(_("commune"), max_length=100)
    academie = models.CharField(_("académie"), max_length=40, choices=Academie.choices)
    contact_email = models.EmailField(
        _("e-mail de l'établissement"),
        blank=True,
        help_text=_("L'adresse du secrétariat, par exemple ce.0250001a@ac-besancon.fr."),
    )

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(uai__isnull=False) & ~Q(uai=""))
                | (Q(siret__isnull=False) & ~Q(siret="")),
                name="school_uai_or_siret",
                violation_error_message=_(
                    "Un établissement a un code UAI ou, pour une autre structure, un numéro SIRET."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.town})"

    def save(self, *args, **kwargs):
        self.normalize_identifiers()
        super().save(*args, **kwargs)

    def clean(self):
        self.normalize_identifiers()

    def normalize_identifiers(self) -> None:
        # An empty identifier is no identifier: NULLs never collide with each other.
        self.uai = normalize_uai(self.uai) or None
        self.siret = normalize_siret(self.siret) or None

    @property
    def identifier(self) -> str:
        """What identifies the structure, as shown: its UAI code, else its SIRET."""
        if self.uai:
            return _("UAI %(uai)s") % {"uai": self.uai}
        if self.siret:
            return _("SIRET %(siret)s") % {"siret": self.siret}
        return ""


class CompanyQuerySet(models.QuerySet):
    def publicly_named(self):
        """The companies that agreed to appear on the public site: the only ones it names."""
        return self.filter(public_agreement_at__isnull=False)


class Company(models.Model):
    siret = models.CharField(
        _("numéro SIRET"), max_length=14, unique=True, validators=[validate_siret]
    )
    name = models.CharField(_("raison sociale"), max_length=200)
    town = models.CharField(_("commune"), max_length=100)
    sector = models.CharField(_("secteur d'activité"), max_length=200, blank=True)
    # The company's own agreement to appear in the film and on the public site, recorded by an
    # organizer: without it the public site never shows the company's name.
    public_agreement_at = models.DateTimeField(
        _("accord de diffusion recueilli le"), null=True, blank=True
    )
    public_agreement_by = models.ForeignKey(
        "festival.User",
        verbose_name=_("accord de diffusion enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    public_agreement_note = models.TextField(_("précisions sur l'accord"), blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("entreprise partenaire")
        verbose_name_plural = _("entreprises partenaires")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.town})"

    def save(self, *args, **kwargs):
        self.siret = normalize_siret(self.siret)
        super().save(*args, **kwargs)

    @property
    def may_be_named(self) -> bool:
        """The public site may show the company's name (the same rule as `publicly_named`)."""
        return self.public_agreement_at is not None


class CompanyContact(models.Model):
    """A person to write to at a partner company, entered by a teacher or an organizer."""

    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(_("fonction"), max_length=200, blank=True)
    email = models.EmailField(_("adresse e-mail"))
    added_by = models.ForeignKey(
        "festival.User",
        verbose_name=_("ajouté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact d'entreprise")
        verbose_name_plural = _("contacts d'entreprise")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "company", name="company_contact_unique_email")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


def unique_trade_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """The address of a trade's public page: its name slugified, numbered if already taken."""
    base = slugify(name)[:150].strip("-") or "metier"
    taken = set(
        Trade.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


class Trade(models.Model):
    """An industrial trade (métier) a film shows; the list is kept by organizers."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    # Given once, from the name: the public page keeps its address when the trade is renamed.
    slug = models.SlugField(_("identifiant"), max_length=160, unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "Ce que fait une personne qui exerce ce métier, montré sur sa page publique. "
            "Séparez les paragraphes par une ligne vide."
        ),
    )
    festival = models.ForeignKey(
        "festival.Festival",
        verbose_name=_("ajouté par le festival"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trades_added",
        help_text=_("Vide : un métier de la liste commune, que seule l'exploitation modifie."),
    )

    class Meta:
        verbose_name = _("métier")
        verbose_name_plural = _("métiers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Every way of creating a trade (organizers' pages, the admin, the demo) gets an address.
        if not self.slug:
            self.slug = unique_trade_slug(self.name, exclude_pk=self.pk)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)


class TrainingLink(models.Model):
    """A training path towards a trade (a school, a diploma, a guidance site), shown on the
    trade's public page."""

    trade = models.ForeignKey(
        Trade, verbose_name=_("métier"), on_delete=models.CASCADE, related_name="training_links"
    )
    label = models.CharField(_("intitulé"), max_length=200)
    url = models.URLField(_("adresse"), max_length=500, validators=[validate_web_url])
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("formation vers un métier")
        verbose_name_plural = _("formations vers les métiers")
        ordering = ["trade", "position", "pk"]

    def __str__(self):
        return self.label


class VolunteerCompany(models.Model):
    """A company willing to host a class ("entreprise volontaire"), in one festival's list for
    its teachers looking for one; a company may be in several festivals' lists."""

    festival = models.ForeignKey(
        "festival.Festival",
        verbose_name=_("festival"),
        on_delete=models.CASCADE,
        related_name="volunteer_companies",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        related_name="volunteer_entries",
    )
    trades = models.ManyToManyField(
        Trade, verbose_name=_("métiers à montrer"), blank=True, related_name="volunteer_entries"
    )
    contact_name = models.CharField(_("personne à contacter"), max_length=200)
    contact_email = models.EmailField(_("adresse e-mail"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    offer = models.TextField(
        _("ce que l'entreprise propose"),
        blank=True,
        help_text=_("Visite, tournage dans un atelier, témoignage d'un salarié, périodes…"),
    )
    active = models.BooleanField(
        _("visible des enseignants"),
        default=True,
        help_text=_("Décochez quand l'entreprise ne peut plus accueillir de classe cette année."),
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("entreprise volontaire")
        verbose_name_plural = _("entreprises volontaires")
        ordering = ["company__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["festival", "company"], name="volunteer_company_once_per_festival"
            )
        ]

    def __str__(self):
        return str(self.company)


class FilmQuerySet(models.QuerySet):
    @staticmethod
    def validated_consent_count():
        """The number of a film's validated consents, as a subquery (0 when it has none)."""
        validated = (
            ConsentForm.objects.filter(film=models.OuterRef("pk"), status=ConsentStatus.VALIDATED)
            .order_by()
            .values("film")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return Coalesce(models.Subquery(validated), 0)

    @classmethod
    def _consents_validated_q(cls) -> Q:
        consents = ConsentForm.objects.filter(film=models.OuterRef("pk"))
        covered = Q(pupils_on_screen__isnull=True) | Q(
            pupils_on_screen__lte=cls.validated_consent_count()
        )
        return (
            Q(models.Exists(consents.filter(status=ConsentStatus.VALIDATED)))
            & ~Q(models.Exists(consents.exclude(status=ConsentStatus.VALIDATED)))
            & covered
        )

    def consents_validated(self):
        """The consent gate: films with at least one image-rights consent, every one validated,
        and at least as many validated as the pupils on screen the teacher declared.

        The one rule for the gallery, its filters, feeds, sitemap, oEmbed, votes and publication
        (two EXISTS and a count, no join, no N+1).
        """
        return self.filter(self._consents_validated_q())

    def consents_missing(self):
        """The other side of the gate: no consent yet, one still to check or refused, or fewer
        validated than pupils on screen."""
        return self.exclude(self._consents_validated_q())


def original_video_path(instance, filename):
    # The name is ours: a teacher's file name never reaches the disk or ffmpeg.
    return f"originals/{instance.edition_id}/{uuid.uuid4().hex}"


# The extension of a consent file comes from its type as read from its first bytes
# (festival.uploads.consent_content_type), never from the name the sender gave it.
CONSENT_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}


def consent_path(instance, filename):
    """consents/<film>/<random>.<extension of the sniffed type>: a name the server chooses."""
    extension = CONSENT_EXTENSIONS[instance.content_type]  # an unknown type fails loudly
    return f"consents/{instance.film_id}/{uuid.uuid4().hex}.{extension}"


class Film(models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("édition"), on_delete=models.PROTECT, related_name="films"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="films"
    )
    school = models.ForeignKey(
        School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="films"
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("entreprise partenaire"),
        on_delete=models.PROTECT,
        related_name="films",
        null=True,
        blank=True,
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enseignant"),
        on_delete=models.PROTECT,
        related_name="films",
    )
    title = models.CharField(_("titre"), max_length=200)
    synopsis = models.TextField(_("synopsis"), blank=True)
    trades = models.ManyToManyField(
        Trade, verbose_name=_("métiers présentés"), blank=True, related_name="films"
    )
    pupil_count = models.PositiveSmallIntegerField(_("nombre d'élèves"), null=True, blank=True)
    # The pupils one sees in the film, as the teacher declares them: as many validated consents
    # are needed for the film to be public (FilmQuerySet.consents_validated). `pupil_count` is
    # the class, who may be behind the camera.
    pupils_on_screen = models.PositiveSmallIntegerField(
        _("nombre d'élèves à l'écran"),
        null=True,
        blank=True,
        help_text=_(
            "Les élèves que l'on voit ou que l'on entend dans le film : il faut une autorisation "
            "de droit à l'image validée pour chacun."
        ),
    )
    crew = models.TextField(
        _("équipe"),
        blank=True,
        help_text=_("Prénoms ou pseudonymes des élèves, un par ligne. Jamais de nom de famille."),
    )
    original_video = models.FileField(
        _("vidéo originale"), upload_to=original_video_path, blank=True, max_length=300
    )
    original_filename = models.CharField(_("nom du fichier envoyé"), max_length=255, blank=True)
    original_size = models.BigIntegerField(_("taille du fichier"), null=True, blank=True)
    video_uploaded_at = models.DateTimeField(_("vidéo envoyée le"), null=True, blank=True)
    # Set by the retention chore (media_pipeline.retention): the original is gone, the published
    # renditions stay; the consents of a film that was never published likewise.
    original_deleted_at = models.DateTimeField(
        _("vidéo originale supprimée le"), null=True, blank=True
    )
    consents_deleted_at = models.DateTimeField(
        _("autorisations supprimées le"), null=True, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=FilmStatus.choices, default=FilmStatus.DRAFT
    )
    status_reason = models.TextField(_("motif"), blank=True)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # The music and third-party rights declaration, made by the teacher before submission
    # (festival.domain.rights).
    music_rights = models.CharField(
        _("musique du film"), max_length=20, choices=MusicRights.choices, blank=True
    )
    third_party_credits = models.TextField(
        _("crédits de la musique et des contenus de tiers"), blank=True
    )
    rights_declared_at = models.DateTimeField(_("droits déclarés le"), null=True, blank=True)
    rights_declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("droits déclarés par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A film accepted from another festival's edition (a regional winner sent to a national
    # final): it shares that film's stored files (festival.domain.transfers).
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("venu du film"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_copies",
    )

    objects = FilmQuerySet.as_manager()

    class Meta:
        verbose_name = _("film")
        verbose_name_plural = _("films")
        ordering = ["edition", "category__position", "title"]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("festival:teacher_film", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (FilmStatus.DRAFT, FilmStatus.NEEDS_CHANGES)


class ConsentForm(models.Model):
    """A signed image-rights consent (autorisation de droit à l'image), PDF or image."""

    film = models.ForeignKey(
        Film, verbose_name=_("film"), on_delete=models.CASCADE, related_name="consents"
    )
    file = models.FileField(_("fichier"), upload_to=consent_path, max_length=300)
    original_filename = models.CharField(_("nom du fichier envoyé"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ConsentStatus.choices, default=ConsentStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    review_note = models.TextField(_("remarque"), blank=True)

    class Meta:
        verbose_name = _("autorisation de droit à l'image")
        verbose_name_plural = _("autorisations de droit à l'image")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_filename


class FilmEvent(models.Model):
    """One line of a film's history: every status change, with who and why."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=FilmStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=FilmStatus.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("historique du film")
        verbose_name_plural = _("historique des films")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.film}: {self.from_status} → {self.to_status}"


class Invitation(models.Model):
    """An email invitation for a juror or an organizer to set their password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    festival = models.ForeignKey(
        "festival.Festival",
        on_delete=models.CASCADE,
        null=True,
        related_name="invitations",
        help_text=_("Festival qui a invité cette personne."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.user)


from festival.models_outreach import (  # noqa: E402, F401
    CallForEntries,
    CallRecipient,
    CallUnsubscription,
    FilmReminder,
)
from festival.models_privacy import FestivalLegalTexts  # noqa: E402, F401
from festival.models_transfers import FilmTransfer, TransferState  # noqa: E402, F401


class RulesAcceptance(models.Model):
    """The edition's rules as a teacher accepted them when submitting a film: the text itself
    and its SHA-256 (the version), so that a later change of the rules never rewrites what was
    accepted (festival.domain.rules_acceptance)."""

    film = models.ForeignKey(
        Film, verbose_name=_("film"), on_delete=models.CASCADE, related_name="rules_acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepté par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepté le"), default=timezone.now)
    rules_text = models.TextField(_("règlement accepté"))
    rules_sha256 = models.CharField(_("version du règlement (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("acceptation du règlement")
        verbose_name_plural = _("acceptations du règlement")
        ordering = ["accepted_at", "pk"]

    def __str__(self):
        return f"{self.film}: {self.short_version}"

    @property
    def short_version(self) -> str:
        return self.rules_sha256[:12]


from festival.models_ceremony import Ceremony  # noqa: E402, F401
from festival.models_schooldata import (  # noqa: E402, F401
    SchoolDataRequest,
    SchoolDataRequestKind,
)
