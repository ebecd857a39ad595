"""The palmarès scheduled for the ceremony: choose the time, change it, cancel it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.rules import get_edition_for_organizer, organizer_required
from judging.domain.awards import awards_of
from judging.domain.scheduled_publication import (
    cancel_schedule,
    pending_schedule,
    schedule_publication,
)
from judging.forms.ceremony import ScheduleForm
from judging.rules import get_schedule_for_organizer
from judging.selectors_results import live_publication


def _when(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


@organizer_required
def schedule(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    scheduled = pending_schedule(edition)
    initial = {
        "publish_at": timezone.localtime(scheduled.publish_at if scheduled else edition.ceremony_at)
    }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            scheduled = schedule_publication(
                edition=edition, user=request.user, publish_at=form.cleaned_data["publish_at"]
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Le palmarès sera publié le %(date)s, par lui-même ; les enseignants et "
                    "les jurés seront prévenus à ce moment-là."
                )
                % {"date": _when(scheduled.publish_at)},
            )
            return redirect("judging:awards_schedule", edition_pk=edition.pk)
    return render(
        request,
        "judging/awards/schedule.html",
        {
            "edition": edition,
            "form": form,
            "scheduled": scheduled,
            "live": live_publication(edition),
            "has_awards": awards_of(edition).exists(),
            "history": edition.scheduled_publications.select_related("scheduled_by").exclude(
                state="scheduled"
            )[:10],
        },
    )


@organizer_required
@require_POST
def schedule_cancel(request, pk):
    scheduled = get_schedule_for_organizer(request.user, pk)
    try:
        cancel_schedule(scheduled=scheduled, user=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("La publication programmée est annulée."))
    return redirect("judging:awards_schedule", edition_pk=scheduled.edition_id)
