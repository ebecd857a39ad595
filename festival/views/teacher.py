"""Views: stub until implemented."""

from django.http import HttpResponse


def consent_delete(request, *args, **kwargs):
    return HttpResponse("TODO")


def consent_upload(request, *args, **kwargs):
    return HttpResponse("TODO")


def dashboard(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_create(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_detail(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_edit(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_restore(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_submit(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_video(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_withdraw(request, *args, **kwargs):
    return HttpResponse("TODO")
