"""The organizers' ceremony page: date, place, programme, access; opened to the public or not."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain.ceremony import ceremony_of, close_ceremony, open_ceremony, save_ceremony
from festival.forms.ceremony import CeremonyForm
from festival.rules import get_edition_for_organizer, organizer_required


@organizer_required
def ceremony_edit(request, pk):
    edition = get_edition_for_organizer(request.user, pk)
    ceremony = ceremony_of(edition)
    form = CeremonyForm(request.POST or None, instance=ceremony, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            save_ceremony(
                edition=edition,
                organizer=request.user,
                ceremony_at=form.cleaned_data["ceremony_at"],
                **form.values(),
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La page de la remise des prix est enregistrée."))
            return redirect("festival:organizer_edition_ceremony", pk=edition.pk)
    return render(
        request,
        "festival/organizer/editions/ceremony_form.html",
        {"edition": edition, "ceremony": ceremony, "form": form},
    )


def _change_visibility(request, pk, *, change, done):
    edition = get_edition_for_organizer(request.user, pk)
    ceremony = ceremony_of(edition)
    if ceremony is None:
        messages.error(
            request, _("Enregistrez d'abord le lieu et l'adresse de la remise des prix.")
        )
    else:
        try:
            change(ceremony=ceremony, organizer=request.user)
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, done)
    return redirect("festival:organizer_edition_ceremony", pk=edition.pk)


@organizer_required
@require_POST
def ceremony_open(request, pk):
    return _change_visibility(
        request, pk, change=open_ceremony, done=_("La page de la remise des prix est publique.")
    )


@organizer_required
@require_POST
def ceremony_close(request, pk):
    return _change_visibility(
        request,
        pk,
        change=close_ceremony,
        done=_("La page de la remise des prix n'est plus publique."),
    )
