"""Django admin of the festival app (the admin is for superusers only: config/admin_site.py).

The admin is for fixing data, never for bypassing the workflow: a film's status, its video and
its consents change only through the domain functions (and the organizer's pages).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from festival.domain import DomainError
from festival.domain.accounts import decide_membership, ensure_membership
from festival.enums import ApprovalStatus, Role
from festival.filters import with_consent_counts
from festival.models import (
    Category,
    Company,
    CompanyContact,
    ConsentForm,
    Edition,
    Festival,
    Film,
    FilmEvent,
    Invitation,
    Membership,
    RulesAcceptance,
    School,
    Trade,
    TrainingLink,
    User,
    VolunteerCompany,
    load_palmares_dates,
)

# Users


def _normalized_email(value: str) -> str:
    return User.objects.normalize_email(value).lower()


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "festival", "school")

    def clean_email(self):
        email = _normalized_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Un compte existe déjà avec cette adresse e-mail."), code="email_taken"
            )
        return email


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = _normalized_email(self.cleaned_data["email"])
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("Un compte existe déjà avec cette adresse e-mail."), code="email_taken"
            )
        return email


class MembershipInline(admin.TabularInline):
    """A person's festivals. Decisions on teachers go through the organizers' pages (or the
    action of the memberships list), which email the teacher."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("festival", "role", "approval", "requested_at", "decided_at", "decided_by")
    readonly_fields = ("approval", "requested_at", "decided_at", "decided_by")
    autocomplete_fields = ("festival",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Rôle sur la plateforme"), {"fields": ("role", "festival", "school")}),
        (
            _("Droits"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "role",
                    "festival",
                    "school",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "email",
        "first_name",
        "last_name",
        "role",
        "festival",
        "school",
        "is_active",
        "is_staff",
    )
    list_filter = ("role", "memberships__festival", "is_active", "is_staff", "is_superuser")
    list_select_related = ("festival", "school")
    search_fields = (
        "email",
        "first_name",
        "last_name",
        "school__name",
        "school__uai",
        "school__siret",
    )
    ordering = ("last_name", "first_name", "email")
    readonly_fields = ("last_login", "date_joined")
    autocomplete_fields = ("festival", "school")
    inlines = (MembershipInline,)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A juror or organizer given a festival here is a member of it.
        if obj.role != Role.TEACHER and obj.festival_id is not None:
            ensure_membership(user=obj, festival=obj.festival)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "festival", "role", "approval", "requested_at", "decided_at")
    list_filter = ("festival", "role", "approval")
    list_select_related = ("user", "festival")
    search_fields = ("user__email", "user__first_name", "user__last_name", "festival__name")
    readonly_fields = ("approval", "refusal_reason", "requested_at", "decided_at", "decided_by")
    autocomplete_fields = ("user", "festival")
    actions = ("approve_teachers",)

    @admin.action(description=_("Valider les adhésions d'enseignants sélectionnées (avec e-mail)"))
    def approve_teachers(self, request, queryset):
        # Through the domain, so that the teacher gets the same email as from the dashboard.
        approved = 0
        pending = queryset.filter(role=Role.TEACHER).exclude(approval=ApprovalStatus.APPROVED)
        for membership in pending.select_related("user", "festival"):
            try:
                decide_membership(membership=membership, organizer=request.user, approve=True)
            except DomainError as error:
                self.message_user(request, error.text, messages.ERROR)
            else:
                approved += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d compte enseignant validé.",
                "%(count)d comptes enseignants validés.",
                approved,
            )
            % {"count": approved},
            messages.SUCCESS,
        )


# Festivals, editions and the reference lists


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "region", "organizing_body", "contact_email")
    search_fields = ("name", "slug", "region")
    prepopulated_fields = {"slug": ("name",)}


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ("position", "name", "slug", "max_duration", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "festival",
        "year",
        "is_current",
        "phase_display",
        "submissions_open_at",
        "submissions_close_at",
        "ceremony_at",
    )
    list_filter = ("festival", "is_current")
    list_select_related = ("festival",)
    search_fields = ("title", "theme", "festival__name")
    ordering = ("-year", "festival__name")
    fieldsets = (
        (None, {"fields": ("festival", "year", "title", "theme", "is_current")}),
        (
            _("Calendrier"),
            {
                "fields": (
                    "submissions_open_at",
                    "submissions_close_at",
                    "judging_start_at",
                    "judging_end_at",
                    "deliberation_at",
                    "ceremony_at",
                )
            },
        ),
        (_("Règles"), {"fields": ("default_max_duration", "rules")}),
    )
    inlines = (CategoryInline,)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        load_palmares_dates(changelist.result_list)  # the phase column: one query, not one a row
        return changelist

    @admin.display(description=_("phase"))
    def phase_display(self, obj):
        return obj.phase().label


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "edition", "position", "max_duration")
    list_filter = ("edition__festival", "edition")
    list_select_related = ("edition",)
    search_fields = ("name", "slug", "edition__title")
    ordering = ("-edition__year", "position", "name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("edition",)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "uai", "siret", "town", "academie")
    list_filter = ("kind", "academie")
    search_fields = ("uai", "siret", "name", "town")
    ordering = ("name",)


class CompanyContactInline(admin.TabularInline):
    model = CompanyContact
    extra = 0
    fields = ("name", "role", "email", "added_by", "created_at")
    readonly_fields = ("added_by", "created_at")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "siret", "town", "sector")
    search_fields = ("siret", "name", "town", "sector")
    ordering = ("name",)
    inlines = [CompanyContactInline]


class TrainingLinkInline(admin.TabularInline):
    model = TrainingLink
    fields = ("label", "url", "position")
    extra = 1
@admin.register(VolunteerCompany)
class VolunteerCompanyAdmin(admin.ModelAdmin):
    list_display = ("company", "festival", "contact_name", "active")
    list_filter = ("festival", "active")
    list_select_related = ("company", "festival")
    search_fields = ("company__name", "company__town", "contact_name", "contact_email")
    autocomplete_fields = ("company",)
    filter_horizontal = ("trades",)


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "film_count")
    search_fields = ("name",)
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TrainingLinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(film_count=Count("films"))

    @admin.display(description=_("films"), ordering="film_count")
    def film_count(self, obj):
        return obj.film_count


# Films


def _consent_link(consent: ConsentForm):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("festival:file_consent", args=[consent.pk]),
        consent.original_filename or _("fichier"),
    )


class ConsentFormInline(admin.TabularInline):
    model = ConsentForm
    extra = 0
    fields = (
        "file_link",
        "content_type",
        "uploaded_by",
        "uploaded_at",
        "status",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    )
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "reviewed_by")

    def has_add_permission(self, request, obj=None):
        return False  # Uploads are checked by the domain (type, size): teachers' pages only.

    def has_change_permission(self, request, obj=None):
        return False  # Reviews go through the organizer's pages, which email the teacher.

    @admin.display(description=_("fichier"))
    def file_link(self, obj):
        return _consent_link(obj)


class RulesAcceptanceInline(admin.TabularInline):
    """What the teacher accepted, as accepted: never edited, only made by a submission."""

    model = RulesAcceptance
    extra = 0
    fields = ("user", "accepted_at", "rules_sha256", "rules_text")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False


class FilmEventInline(admin.TabularInline):
    model = FilmEvent
    extra = 0
    fields = ("event_date", "event_change", "event_actor", "event_reason")
    readonly_fields = fields
    can_delete = False
    verbose_name = _("changement de statut")
    verbose_name_plural = _("historique")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("date"))
    def event_date(self, obj):
        return obj.created_at

    @admin.display(description=_("changement"))
    def event_change(self, obj):
        if obj.from_status:
            return f"{obj.get_from_status_display()} → {obj.get_to_status_display()}"
        return obj.get_to_status_display()

    @admin.display(description=_("par"))
    def event_actor(self, obj):
        return obj.actor or "—"

    @admin.display(description=_("motif"))
    def event_reason(self, obj):
        return obj.reason


class FilmAdminForm(forms.ModelForm):
    class Meta:
        model = Film
        fields = (
            "edition",
            "category",
            "title",
            "synopsis",
            "school",
            "teacher",
            "company",
            "trades",
            "pupil_count",
            "pupils_on_screen",
            "crew",
        )

    def clean(self):
        cleaned_data = super().clean()
        edition, category = cleaned_data.get("edition"), cleaned_data.get("category")
        if edition and category and category.edition_id != edition.pk:
            self.add_error(
                "category",
                _("La catégorie « %(category)s » n'appartient pas à l'édition « %(edition)s ».")
                % {"category": category, "edition": edition},
            )
        return cleaned_data


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
    form = FilmAdminForm
    list_display = (
        "title",
        "edition",
        "category",
        "school",
        "teacher",
        "status",
        "consents_display",
        "submitted_at",
    )
    list_filter = ("status", "edition__festival", "edition", "school__academie")
    list_select_related = ("edition", "category", "school", "teacher")
    search_fields = (
        "title",
        "school__name",
        "school__uai",
        "school__siret",
        "company__name",
        "company__siret",
        "teacher__email",
        "teacher__last_name",
    )
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("edition", "category", "school", "company", "teacher", "trades")
    # The status moves only through festival.domain.films.set_film_status (checks, history,
    # emails); the video only through the media pipeline's uploads (type and size checks).
    readonly_fields = (
        "status",
        "status_reason",
        "video_link",
        "original_filename",
        "original_size_display",
        "video_uploaded_at",
        "submitted_at",
        "created_at",
        "updated_at",
        # Declared by the teacher through festival.domain.rights.
        "music_rights",
        "third_party_credits",
        "rights_declared_at",
        "rights_declared_by",
    )
    fieldsets = (
        (None, {"fields": ("edition", "category", "title", "synopsis", "status", "status_reason")}),
        (
            _("Établissement, enseignant et entreprise"),
            {"fields": ("school", "teacher", "company", "trades")},
        ),
        (_("Élèves"), {"fields": ("pupil_count", "pupils_on_screen", "crew")}),
        (
            _("Vidéo"),
            {
                "fields": (
                    "video_link",
                    "original_filename",
                    "original_size_display",
                    "video_uploaded_at",
                )
            },
        ),
        (
            _("Musique et droits des tiers"),
            {
                "fields": (
                    "music_rights",
                    "third_party_credits",
                    "rights_declared_at",
                    "rights_declared_by",
                )
            },
        ),
        (_("Dates"), {"fields": ("submitted_at", "created_at", "updated_at")}),
    )
    inlines = (ConsentFormInline, RulesAcceptanceInline, FilmEventInline)

    def get_queryset(self, request):
        return with_consent_counts(super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # Every film's history starts with its creation, as with create_film.
            FilmEvent.objects.create(film=obj, actor=request.user, to_status=obj.status)

    @admin.display(description=_("autorisations validées"))
    def consents_display(self, obj):
        return f"{obj.consents_validated} / {obj.consents_total}"

    @admin.display(description=_("vidéo originale"))
    def video_link(self, obj):
        if not obj.pk or not obj.original_video:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("festival:file_original_video", args=[obj.pk]),
            obj.original_filename or _("télécharger"),
        )

    @admin.display(description=_("taille du fichier"))
    def original_size_display(self, obj):
        return filesizeformat(obj.original_size) if obj.original_size else "—"


@admin.register(ConsentForm)
class ConsentFormAdmin(admin.ModelAdmin):
    list_display = ("original_filename", "film", "status", "uploaded_by", "uploaded_at")
    list_filter = ("status", "film__edition__festival", "film__edition")
    list_select_related = ("film", "uploaded_by")
    search_fields = ("original_filename", "film__title", "uploaded_by__email")
    date_hierarchy = "uploaded_at"
    fields = (
        "film",
        "file_link",
        "content_type",
        "uploaded_by",
        "uploaded_at",
        "status",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("fichier"))
    def file_link(self, obj):
        return _consent_link(obj)


# Invitations


class AcceptedFilter(admin.SimpleListFilter):
    title = _("réponse")
    parameter_name = "accepted"

    def lookups(self, request, model_admin):
        return [("yes", _("Acceptée")), ("no", _("En attente"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(accepted_at__isnull=True)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the organizer's pages; here they are only looked at."""

    list_display = ("invited_user", "invited_role", "festival", "sent_by", "sent_at", "accepted")
    list_filter = (AcceptedFilter, "user__role", "user__festival")
    list_select_related = ("user", "user__festival", "invited_by")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    fields = list_display + ("accepted_on",)
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("personne invitée"), ordering="user__email")
    def invited_user(self, obj):
        return f"{obj.user} <{obj.user.email}>"

    @admin.display(description=_("rôle"), ordering="user__role")
    def invited_role(self, obj):
        return obj.user.get_role_display()

    @admin.display(description=_("festival"))
    def festival(self, obj):
        return obj.user.festival or "—"

    @admin.display(description=_("invitée par"))
    def sent_by(self, obj):
        return obj.invited_by or "—"

    @admin.display(description=_("envoyée le"), ordering="created_at")
    def sent_at(self, obj):
        return obj.created_at

    @admin.display(description=_("acceptée"), boolean=True, ordering="accepted_at")
    def accepted(self, obj):
        return obj.accepted_at is not None

    @admin.display(description=_("acceptée le"))
    def accepted_on(self, obj):
        return obj.accepted_at
