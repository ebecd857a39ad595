from django.urls import path, register_converter

from media_pipeline import tus, tus_views


class UploadIdConverter:
    regex = tus.ID_REGEX

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UploadIdConverter, "tus_upload_id")

app_name = "tus"

urlpatterns = [
    path("", tus_views.uploads, name="uploads"),
    path("<tus_upload_id:upload_id>/", tus_views.upload, name="upload"),
]
