"""The ceremony's public page, and the answer link of an invitation (no login: its token)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from festival.calendar import ceremony_calendar, open_ceremony
from festival.domain import DomainError
from festival.domain.ceremony import ceremony_of
from festival.models import Edition
from judging.domain.ceremony_invitations import answers_open, max_people, record_answer
from judging.forms.ceremony import AnswerForm
from judging.rules import get_invitation_by_token


@require_GET
def ceremony_page(request, slug, year):
    """An edition's ceremony: a 404 until an organizer opens the page."""
    edition = get_object_or_404(
        Edition.objects.select_related("festival"), festival__slug=slug, year=year
    )
    ceremony = open_ceremony(edition)
    if ceremony is None:
        raise Http404
    return render(
        request,
        "public/ceremony.html",
        {
            "edition": edition,
            "ceremony": ceremony,
            "page_festival": edition.festival,
            "page_edition": edition,
        },
    )


def _no_invitation(request):
    """A link whose invitation is gone (withdrawn, or erased at the school's request) or never
    was: the same page for both, which says what to do (a 404: nothing is told about a
    token)."""
    return render(request, "public/ceremony_no_invitation.html", status=404)


def answer(request, token):
    """Coming or not, how many, a note; changed as often as needed until the ceremony."""
    try:
        invitation = get_invitation_by_token(token)
    except Http404:
        return _no_invitation(request)
    edition = invitation.edition
    context = {
        "invitation": invitation,
        "edition": edition,
        "ceremony": ceremony_of(edition),
        "page_festival": edition.festival,
        "page_edition": edition,
    }
    if not answers_open(edition):
        return render(request, "public/ceremony_closed.html", context)
    limit = max_people(invitation)
    initial = {}
    if invitation.answered_at:
        initial = {
            "coming": "yes" if invitation.answer == "yes" else "no",
            "people": invitation.people or None,
            "note": invitation.note,
        }
    form = AnswerForm(request.POST or None, initial=initial, max_people=limit)
    if request.method == "POST" and form.is_valid():
        try:
            record_answer(
                invitation=invitation,
                coming=form.cleaned_data["coming"],
                people=form.cleaned_data["people"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            return redirect("public:ceremony_answered", token=token)
    return render(
        request, "public/ceremony_answer.html", context | {"form": form, "max_people": limit}
    )


@require_GET
def answered(request, token):
    """What happens next: the date, the address, the agenda file."""
    try:
        invitation = get_invitation_by_token(token)
    except Http404:
        return _no_invitation(request)
    if invitation.answered_at is None:
        return redirect("public:ceremony_answer", token=token)
    edition = invitation.edition
    return render(
        request,
        "public/ceremony_answered.html",
        {
            "invitation": invitation,
            "edition": edition,
            "ceremony": ceremony_of(edition),
            "answers_open": answers_open(edition),
            "page_festival": edition.festival,
            "page_edition": edition,
        },
    )


@require_GET
def calendar_file(request, token):
    """The ceremony alone, for the invited person's agenda (its place even before the public
    page opens: they are invited)."""
    invitation = get_invitation_by_token(token)
    edition = invitation.edition
    ceremony = ceremony_of(edition)
    url = request.build_absolute_uri(reverse("public:ceremony_answer", args=[token]))
    content = ceremony_calendar(
        edition, domain=request.get_host().split(":")[0], ceremony=ceremony, url=url
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    filename = f"remise-des-prix-{edition.festival.slug}-{edition.year}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
