"""The organizers' "Finales" pages: their winners sent to another festival's edition, and the
films other festivals offer to theirs (festival.domain.transfers)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain.transfers import (
    accept_errors,
    accept_transfer,
    decline_transfer,
    offer_errors,
    offer_film,
    offerable_films,
    target_editions,
    withdraw_transfer,
)
from festival.enums import ConsentStatus
from festival.forms.transfers import AcceptForm, ConfirmForm, DeclineForm, OfferForm
from festival.history import transfer_history
from festival.models import TransferState, load_palmares_dates
from festival.rules import (
    editions_for_organizer,
    get_film_for_organizer,
    get_received_transfer_for_organizer,
    get_sent_transfer_for_organizer,
    organizer_required,
    transfers_received_by_organizer,
    transfers_sent_by_organizer,
)


def _errors(request, error: DomainError) -> None:
    for text in error.messages:
        messages.error(request, text)


@organizer_required
def transfer_list(request):
    user = request.user
    received = list(
        transfers_received_by_organizer(user)
        .annotate(
            consents_total=Count("film__consents"),
            consents_validated=Count(
                "film__consents", filter=Q(film__consents__status=ConsentStatus.VALIDATED)
            ),
        )
        .select_related(
            "film__edition__festival",
            "film__category",
            "film__school",
            "target_edition",
            "target_category",
        )
    )
    sent = list(
        transfers_sent_by_organizer(user).select_related(
            "film__edition", "target_edition__festival", "target_category", "withdrawn_by"
        )
    )
    editions = list(editions_for_organizer(user).order_by("-year"))
    load_palmares_dates(editions)
    winners = offerable_films(editions=editions)
    for film in winners:  # where each winner already goes, beside its "offer" link
        film.live_offers = [
            t
            for t in sent
            if t.film_id == film.pk and t.state in (TransferState.OFFERED, TransferState.ACCEPTED)
        ]
    return render(
        request,
        "festival/organizer/transfers/list.html",
        {
            "waiting": [t for t in received if t.state == TransferState.OFFERED],
            "received": [t for t in received if t.state != TransferState.OFFERED],
            "sent": sent,
            "winners": winners,
        },
    )


@organizer_required
def transfer_offer(request, pk):
    """Offer one of the festival's winners to another festival's edition, then check and send."""
    film = get_film_for_organizer(request.user, pk)
    errors = offer_errors(film=film)
    editions = target_editions(film=film)
    form = OfferForm(request.POST or None, editions=editions)
    context = {"film": film, "form": form, "errors": errors, "has_targets": editions.exists()}
    if request.method == "POST" and not errors and form.is_valid():
        if "confirm" not in request.POST:
            return render(request, "festival/organizer/transfers/offer_check.html", context)
        try:
            offer_film(
                film=film,
                target_edition=form.cleaned_data["edition"],
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _(
                    "« %(title)s » est proposé à « %(edition)s ». Son organisation a reçu un "
                    "e-mail ; vous en recevrez un à sa réponse."
                )
                % {"title": film.title, "edition": form.cleaned_data["edition"]},
            )
            return redirect("festival:organizer_transfers")
    return render(request, "festival/organizer/transfers/offer.html", context)


@organizer_required
def transfer_detail(request, pk):
    """An offer received: the film, its consents, its video; then accept or decline."""
    transfer = get_received_transfer_for_organizer(request.user, pk)
    film = transfer.film
    return render(
        request,
        "festival/organizer/transfers/detail.html",
        {
            "transfer": transfer,
            "film": film,
            "trades": film.trades.all(),
            "consents": film.consents.select_related("reviewed_by"),
            "history": transfer_history(film),
            "accept_errors": accept_errors(transfer=transfer) if transfer.is_waiting else [],
        },
    )


@organizer_required
def transfer_accept(request, pk):
    transfer = get_received_transfer_for_organizer(request.user, pk)
    if not transfer.is_waiting:
        return redirect("festival:organizer_transfer", pk=transfer.pk)
    form = AcceptForm(request.POST or None, edition=transfer.target_edition)
    context = {"transfer": transfer, "film": transfer.film, "form": form}
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            return render(request, "festival/organizer/transfers/accept_check.html", context)
        try:
            film = accept_transfer(
                transfer=transfer, user=request.user, category=form.cleaned_data["category"]
            )
        except DomainError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _(
                    "« %(title)s » concourt dans « %(edition)s ». Son enseignant et "
                    "l'organisation du festival d'origine ont reçu un e-mail."
                )
                % {"title": film.title, "edition": transfer.target_edition},
            )
            return redirect("festival:organizer_film", pk=film.pk)
    return render(request, "festival/organizer/transfers/accept.html", context)


@organizer_required
def transfer_decline(request, pk):
    transfer = get_received_transfer_for_organizer(request.user, pk)
    if not transfer.is_waiting:
        return redirect("festival:organizer_transfer", pk=transfer.pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decline_transfer(
                transfer=transfer, user=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _(
                    "La proposition est déclinée ; l'organisation du festival d'origine "
                    "est prévenue."
                ),
            )
            return redirect("festival:organizer_transfers")
    return render(
        request,
        "festival/organizer/transfers/decline.html",
        {"transfer": transfer, "film": transfer.film, "form": form},
    )


@organizer_required
@require_POST
def transfer_withdraw(request, pk):
    """Take back an offer the target festival has not decided yet: first the check page
    (what happens), then, confirmed, the withdrawal."""
    transfer = get_sent_transfer_for_organizer(request.user, pk)
    form = ConfirmForm(request.POST)
    confirmed = form.is_valid() and form.cleaned_data["confirm"]
    if transfer.is_waiting and not confirmed:
        return render(
            request,
            "festival/organizer/transfers/withdraw_check.html",
            {"transfer": transfer, "film": transfer.film},
        )
    try:
        withdraw_transfer(transfer=transfer, user=request.user)
    except DomainError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _(
                "L'offre de « %(title)s » à « %(edition)s » est retirée. Son organisation a "
                "reçu un e-mail ; vous pouvez proposer le film de nouveau."
            )
            % {"title": transfer.film.title, "edition": transfer.target_edition},
        )
    return redirect("festival:organizer_transfers")
