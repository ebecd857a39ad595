"""Views: stub until implemented."""

from django.http import HttpResponse


def after_login(request, *args, **kwargs):
    return HttpResponse("TODO")


def login_view(request, *args, **kwargs):
    return HttpResponse("TODO")


def logout_view(request, *args, **kwargs):
    return HttpResponse("TODO")


def password_reset(request, *args, **kwargs):
    return HttpResponse("TODO")


def school_search(request, *args, **kwargs):
    return HttpResponse("TODO")


def set_password(request, *args, **kwargs):
    return HttpResponse("TODO")


def signup(request, *args, **kwargs):
    return HttpResponse("TODO")
