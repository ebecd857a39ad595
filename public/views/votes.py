"""The prix du public's public pages: no account, an email address confirmed by a link.

Confirming happens on a POST from the page the link opens: mail scanners that follow links
must not confirm a vote on their own.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.models import Edition, Film
from judging.domain.votes import (
    confirm_vote,
    get_vote_by_token,
    request_vote,
    votable_films,
    vote_window,
)
from judging.forms.awards import VoteForm


def _edition_with_vote(edition_pk: int):
    edition = get_object_or_404(Edition.objects.select_related("festival"), pk=edition_pk)
    window = vote_window(edition)
    if window is None:
        raise Http404
    return edition, window


def _sections(edition, *, posted=None):
    """Each category with its votable films and its vote form."""
    films = votable_films(edition)
    sections = []
    for category in edition.categories.order_by("position", "name", "pk"):
        category_films = [film for film in films if film.category_id == category.pk]
        if not category_films:
            continue
        if posted is not None and posted[0] == category.pk:
            form = posted[1]
        else:
            form = VoteForm(films=_queryset(category_films), category=category)
        sections.append({"category": category, "films": category_films, "form": form})
    return sections


def _queryset(films):
    return Film.objects.filter(pk__in=[film.pk for film in films]).select_related("school")


def vote_home(request, edition_pk, *, posted=None, status=200):
    edition, window = _edition_with_vote(edition_pk)
    return render(
        request,
        "public/votes/home.html",
        {
            "edition": edition,
            "page_festival": edition.festival,
            "page_edition": edition,
            "window": window,
            "state": window.state(),
            "sections": _sections(edition, posted=posted) if window.is_open() else [],
        },
        status=status,
    )


def _client_ip(request) -> str | None:
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR to the visitor's address.
    return request.META.get("REMOTE_ADDR") or None


@require_POST
def vote_submit(request, edition_pk, category_pk):
    edition, window = _edition_with_vote(edition_pk)
    category = get_object_or_404(edition.categories, pk=category_pk)
    films = _queryset(votable_films(edition, category))
    form = VoteForm(request.POST, films=films, category=category)
    if not form.is_valid():
        return vote_home(request, edition_pk, posted=(category.pk, form), status=400)
    try:
        vote = request_vote(
            edition=edition,
            category=category,
            film=form.cleaned_data["film"],
            email=form.cleaned_data["email"],
            ip=_client_ip(request),
        )
    except DomainError as error:
        form.add_error(None, error)
        status = 429 if error.code == "rate_limited" else 400
        return vote_home(request, edition_pk, posted=(category.pk, form), status=status)
    return render(
        request,
        "public/votes/check_email.html",
        {
            "edition": edition,
            "category": category,
            "vote": vote,
            "page_festival": edition.festival,
            "page_edition": edition,
        },
    )


def vote_confirm(request, token):
    vote = get_vote_by_token(token)
    if vote is None:
        return render(request, "public/votes/invalid_token.html", status=404)
    error = None
    if request.method == "POST":
        try:
            vote = confirm_vote(token=token)
        except DomainError as refused:
            error = " ".join(refused.messages)
    return render(
        request,
        "public/votes/confirm.html",
        {
            "vote": vote,
            "edition": vote.edition,
            "error": error,
            "page_festival": vote.edition.festival,
            "page_edition": vote.edition,
        },
        status=400 if error else 200,
    )
