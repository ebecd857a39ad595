"""Views: stub until implemented."""

from django.http import HttpResponse


def home(request, *args, **kwargs):
    return HttpResponse("TODO")
