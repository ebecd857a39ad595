from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from festival.domain import DomainError
from media_pipeline import versions
from media_pipeline.models import VideoVersion


@admin.register(VideoVersion)
class VideoVersionAdmin(admin.ModelAdmin):
    list_display = [
        "film",
        "number",
        "status",
        "percent",
        "attempts",
        "error_code",
        "ladder_status",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "ladder_status", "film__edition"]
    list_select_related = ["film"]
    search_fields = ["film__title", "original_filename"]
    ordering = ["-created_at"]
    actions = ["retry"]
    readonly_fields = [
        field.name for field in VideoVersion._meta.fields if field.name != "max_attempts"
    ]

    def has_add_permission(self, request):
        return False  # versions come from uploads and `manage.py attach_video`

    def has_delete_permission(self, request, obj=None):
        return False  # deleting one would leave its files behind

    @admin.action(description=_("Relancer le traitement"))
    def retry(self, request, queryset):
        for version in queryset.select_related("film__edition"):
            try:
                versions.retry_version(version=version, user=request.user)
            except DomainError as error:
                self.message_user(request, f"{version} : {error.text}", messages.WARNING)
            else:
                self.message_user(request, _("%(version)s : relancée.") % {"version": version})
