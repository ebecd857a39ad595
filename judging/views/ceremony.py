"""The organizers' ceremony pages: invitations (lists, guests, sending, re-sending), the
answers with their counts and filters, the CSV and the PDF sign-in sheet.

The ceremony page itself (date, place, access) is the festival app's
(`festival.views.ceremony`); every object here is reached through a lookup scoped to the
organizer's festival.
"""

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain.ceremony import ceremony_of
from festival.rules import (
    default_edition_for_organizer,
    get_edition_for_organizer,
    organizer_required,
)
from judging.ceremony_exports import invitations_csv, invitations_for_export, sign_in_sheet
from judging.domain.ceremony_invitations import (
    add_guests,
    answer_counts,
    plan_invitations,
    resend,
    resume_sending,
    start_sending,
)
from judging.forms.ceremony import (
    GuestForm,
    GuestListForm,
    InvitationFilterForm,
    SendInvitationsForm,
)
from judging.models_ceremony import CeremonyInvitation, InvitationKind
from judging.rules import get_invitation_for_organizer


@organizer_required
def current(request):
    """The menu's way in: the invitations of the organizer's current edition."""
    edition = default_edition_for_organizer(request.user)
    if edition is None:
        return render(request, "judging/organizer/no_edition.html")
    return redirect("judging:ceremony_invitations", edition_pk=edition.pk)


def _filtered(invitations: list, form: InvitationFilterForm) -> list:
    """The list's filters (a role is any of a person's roles: read in Python, as SQLite cannot
    look inside a JSON list)."""
    if not form.is_valid():
        return invitations
    answer, kind = form.cleaned_data["answer"], form.cleaned_data["kind"]
    return [
        i
        for i in invitations
        if (not answer or i.answer == answer) and (not kind or kind in i.roles)
    ]


@organizer_required
def invitations(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    form = InvitationFilterForm(request.GET or None)
    everyone = list(CeremonyInvitation.objects.filter(edition=edition).order_by("name", "pk"))
    invitation_list = _filtered(everyone, form)
    classes = sorted(
        (i for i in everyone if InvitationKind.CLASS in i.roles),
        key=lambda i: (i.organisation.lower(), i.pk),
    )
    return render(
        request,
        "judging/ceremony/invitations.html",
        {
            "edition": edition,
            "ceremony": ceremony_of(edition),
            "counts": answer_counts(edition),
            "plan": plan_invitations(edition),
            "form": form,
            "invitations": invitation_list,
            "classes": classes,
            "filtered": form.is_bound,
        },
    )


@organizer_required
def guests(request, edition_pk):
    """Add one guest (this form) or a pasted list (`guest_list`); nothing is sent yet."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    form = GuestForm(request.POST or None, prefix="guest")
    list_form = GuestListForm(prefix="list")
    if request.method == "POST" and form.is_valid():
        return _added(request, edition, form.guests())
    return _guests_page(request, edition, form, list_form)


@organizer_required
def guest_list(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    list_form = GuestListForm(request.POST or None, prefix="list")
    if request.method == "POST" and list_form.is_valid():
        return _added(request, edition, list_form.guests())
    return _guests_page(request, edition, GuestForm(prefix="guest"), list_form)


def _guests_page(request, edition, form, list_form):
    return render(
        request,
        "judging/ceremony/guests.html",
        {"edition": edition, "form": form, "list_form": list_form},
    )


def _added(request, edition, guest_list):
    created, merged = add_guests(edition=edition, organizer=request.user, guests=guest_list)
    text = ngettext("%(count)d invité ajouté.", "%(count)d invités ajoutés.", created) % {
        "count": created
    }
    if merged:
        text += " " + ngettext(
            "%(count)d adresse était déjà invitée : elle garde une seule invitation.",
            "%(count)d adresses étaient déjà invitées : elles gardent une seule invitation.",
            merged,
        ) % {"count": merged}
    text += " " + _("Les invitations partent quand vous les envoyez.")
    messages.success(request, text)
    return redirect("judging:ceremony_invitations", edition_pk=edition.pk)


@organizer_required
def send(request, edition_pk):
    """Check your answers, then send: the invitations not sent yet leave in the background."""
    edition = get_edition_for_organizer(request.user, edition_pk)
    form = SendInvitationsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = start_sending(edition=edition, organizer=request.user)
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d invitation part en tâche de fond.",
                    "%(count)d invitations partent en tâche de fond.",
                    count,
                )
                % {"count": count},
            )
        return redirect("judging:ceremony_invitations", edition_pk=edition.pk)
    plan = plan_invitations(edition)
    return render(
        request,
        "judging/ceremony/send.html",
        {
            "edition": edition,
            "ceremony": ceremony_of(edition),
            "form": form,
            "plan": plan,
            # The lists read from the edition; the guests are invitations already, counted
            # with those waiting to leave.
            "kinds": [
                (kind.label, plan.by_kind.get(kind.value, 0))
                for kind in InvitationKind
                if kind != InvitationKind.GUEST
            ],
            "counts": answer_counts(edition),
        },
    )


@organizer_required
@require_POST
def resume(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    resume_sending(edition=edition, organizer=request.user)
    messages.success(
        request, _("L'envoi est relancé : personne ne reçoit son invitation deux fois.")
    )
    return redirect("judging:ceremony_invitations", edition_pk=edition.pk)


@organizer_required
@require_POST
def resend_one(request, pk):
    invitation = get_invitation_for_organizer(request.user, pk)
    try:
        resend(invitation=invitation, organizer=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _("L'invitation de %(name)s repart.") % {"name": invitation.name},
        )
    return redirect("judging:ceremony_invitations", edition_pk=invitation.edition_id)


@organizer_required
def export_csv(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    response = StreamingHttpResponse(
        invitations_csv(invitations_for_export(edition)), content_type="text/csv; charset=utf-8"
    )
    filename = f"invitations-{edition.festival.slug}-{edition.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organizer_required
def sign_in_pdf(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    content = sign_in_sheet(edition, invitations_for_export(edition))
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"emargement-{edition.festival.slug}-{edition.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
