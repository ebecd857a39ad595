"""Views: stub until implemented."""

from django.http import HttpResponse


def consent_file(request, *args, **kwargs):
    return HttpResponse("TODO")


def original_video(request, *args, **kwargs):
    return HttpResponse("TODO")
