"""Views: stub until implemented."""

from django.http import HttpResponse


def consent_review(request, *args, **kwargs):
    return HttpResponse("TODO")


def dashboard(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_detail(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_export(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_list(request, *args, **kwargs):
    return HttpResponse("TODO")


def film_status(request, *args, **kwargs):
    return HttpResponse("TODO")


def invite(request, *args, **kwargs):
    return HttpResponse("TODO")


def teacher_decide(request, *args, **kwargs):
    return HttpResponse("TODO")


def teacher_list(request, *args, **kwargs):
    return HttpResponse("TODO")
