"""Django admin of the judging app.

For looking and fixing reference data. Scores, their audit trail and evaluations are read-only
here: they change only through the juror's pages and the domain functions, which record who
changed what.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from judging.models import (
    Affiliation,
    Assignment,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    JudgingSettings,
    Jury,
    JuryMember,
    Score,
    ScoreChange,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JudgingSettings)
class JudgingSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "edition",
        "assignment_mode",
        "jurors_per_film",
        "max_films_per_juror",
        "min_watched_ratio",
        "reminder_days_before",
        "reminder_sent_at",
    )
    list_filter = ("assignment_mode", "edition__festival")
    list_select_related = ("edition",)
    autocomplete_fields = ("edition",)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "edition",
        "position",
        "weight",
        "min_score",
        "max_score",
        "step",
        "required",
        "is_priority",
    )
    list_filter = ("edition__festival", "edition", "required", "is_priority")
    list_select_related = ("edition",)
    search_fields = ("name", "edition__title")
    ordering = ("-edition__year", "position", "pk")
    autocomplete_fields = ("edition",)


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    extra = 0
    fields = ("juror", "is_trainee", "active")
    autocomplete_fields = ("juror",)


@admin.register(Jury)
class JuryAdmin(admin.ModelAdmin):
    list_display = ("name", "edition", "president")
    list_filter = ("edition__festival", "edition")
    list_select_related = ("edition", "president")
    search_fields = ("name", "edition__title")
    autocomplete_fields = ("edition", "president")
    filter_horizontal = ("categories",)
    inlines = (JuryMemberInline,)


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ("juror", "jury", "is_trainee", "active")
    list_filter = ("active", "is_trainee", "jury__edition")
    list_select_related = ("juror", "jury")
    search_fields = ("juror__email", "juror__last_name", "jury__name")
    autocomplete_fields = ("juror", "jury")


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ("juror", "school", "company")
    list_select_related = ("juror", "school", "company")
    search_fields = ("juror__email", "juror__last_name", "school__name", "company__name")
    autocomplete_fields = ("juror", "school", "company")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ("juror", "film", "created_at")
    list_filter = ("film__edition",)
    list_select_related = ("juror", "film")
    search_fields = ("juror__email", "juror__last_name", "film__title", "reason")
    autocomplete_fields = ("juror", "film")
    readonly_fields = ("created_at",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("film", "juror", "jury", "active", "source", "ended_reason", "created_at")
    list_filter = ("active", "source", "ended_reason", "jury__edition", "jury")
    list_select_related = ("film", "juror", "jury")
    search_fields = ("film__title", "juror__email", "juror__last_name", "jury__name")
    autocomplete_fields = ("jury", "juror", "film", "created_by")
    readonly_fields = ("created_at",)


class ScoreInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Score
    extra = 0
    fields = ("criterion", "value")
    readonly_fields = fields


class ScoreChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScoreChange
    extra = 0
    fields = ("changed_at", "changed_by", "field", "before", "after")
    readonly_fields = fields
    verbose_name = _("modification")
    verbose_name_plural = _("historique des notes")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("film", "juror", "state", "favourite", "watched_seconds", "validated_at")
    list_filter = ("state", "favourite", "film__edition")
    list_select_related = ("film", "juror")
    search_fields = ("film__title", "juror__email", "juror__last_name")
    inlines = (ScoreInline, ScoreChangeInline)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("evaluation", "criterion", "value")
    list_filter = ("criterion__edition",)
    list_select_related = ("evaluation", "evaluation__juror", "evaluation__film", "criterion")
    search_fields = ("evaluation__film__title", "evaluation__juror__email")


@admin.register(ScoreChange)
class ScoreChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("evaluation", "field", "before", "after", "changed_by", "changed_at")
    list_filter = ("field",)
    list_select_related = ("evaluation", "evaluation__juror", "evaluation__film", "changed_by")
    search_fields = ("evaluation__film__title", "evaluation__juror__email", "field")
    date_hierarchy = "changed_at"
