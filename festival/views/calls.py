"""The call for entries: organizers write it, check it, test it and send it; its recipients
unsubscribe from the festival's calls from the link in the email (no account needed).

Calls are reached through `festival.rules.get_call_for_organizer`: another festival's call is a
404. State changes are `festival.domain.calls`'.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain import calls as domain
from festival.forms.calls import CallForm, SendCallForm
from festival.models_outreach import CallStatus, RecipientStatus
from festival.rules import (
    calls_for_organizer,
    default_edition_for_organizer,
    editions_for_organizer,
    get_call_for_organizer,
    organizer_required,
)

FAILURES_SHOWN = 100


@organizer_required
def call_list(request):
    calls = calls_for_organizer(request.user).select_related("edition").order_by("-created_at")
    return render(request, "festival/organizer/calls/list.html", {"calls": calls})


def _save(request, form, call=None):
    data = form.cleaned_data
    fields = {
        "edition": data["edition"],
        "subject": data["subject"],
        "body": data["body"],
        "audiences": data["audiences"],
    }
    if call is None:
        return domain.create_call(organizer=request.user, **fields)
    return domain.update_call(call=call, organizer=request.user, **fields)


@organizer_required
def call_create(request):
    editions = editions_for_organizer(request.user).order_by("-year")
    edition = default_edition_for_organizer(request.user)
    initial = {"audiences": [a for a, _label in CallForm.base_fields["audiences"].choices]}
    if edition is not None:
        initial.update(
            edition=edition,
            subject=_("Appel à films : %(edition)s") % {"edition": edition.title},
        )
    form = CallForm(request.POST or None, editions=editions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            call = _save(request, form)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Le brouillon est enregistré : relisez l'aperçu avant l'envoi.")
            )
            return redirect("festival:organizer_call_preview", pk=call.pk)
    status = 400 if form.errors else 200
    return render(
        request, "festival/organizer/calls/form.html", {"form": form, "call": None}, status=status
    )


@organizer_required
def call_edit(request, pk):
    call = get_call_for_organizer(request.user, pk)
    if not call.is_draft:
        messages.error(
            request, _("Cet appel à films est déjà envoyé : il ne peut plus être modifié.")
        )
        return redirect("festival:organizer_call", pk=call.pk)
    editions = editions_for_organizer(request.user).order_by("-year")
    initial = {
        "edition": call.edition,
        "subject": call.subject,
        "body": call.body,
        "audiences": call.audiences,
    }
    form = CallForm(request.POST or None, editions=editions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, call)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le brouillon est enregistré."))
            return redirect("festival:organizer_call_preview", pk=call.pk)
    status = 400 if form.errors else 200
    return render(
        request, "festival/organizer/calls/form.html", {"form": form, "call": call}, status=status
    )


def _progress_context(call):
    failures = call.recipients.filter(status=RecipientStatus.FAILED).order_by("email")
    return {
        "call": call,
        "polling": call.status == CallStatus.SENDING,
        "failures": failures[:FAILURES_SHOWN],
    }


@organizer_required
def call_detail(request, pk):
    call = get_call_for_organizer(request.user, pk)
    if call.is_draft:
        return redirect("festival:organizer_call_preview", pk=call.pk)
    return render(request, "festival/organizer/calls/detail.html", _progress_context(call))


@organizer_required
def call_progress(request, pk):
    """The progress block the call's page polls while it is being sent."""
    call = get_call_for_organizer(request.user, pk)
    return render(request, "festival/organizer/calls/detail.html#progress", _progress_context(call))


def _preview_language(request) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("langue", "")
    return language if language in codes else settings.LANGUAGE_CODE


@organizer_required
def call_preview(request, pk):
    """The email as a recipient reads it, and how many will receive it."""
    call = get_call_for_organizer(request.user, pk)
    language = _preview_language(request)
    message = domain.build_message(call=call, email=request.user.email, language=language)
    # A sent call's recipients are frozen: its page counts them, not today's lists.
    audit = None
    if call.is_draft:
        audit = domain.audit_recipients(edition=call.edition, audiences=call.audiences)
    return render(
        request,
        "festival/organizer/calls/preview.html",
        {
            "call": call,
            "message": message,
            "audit": audit,
            "language": language,
            "languages": settings.LANGUAGES,
        },
    )


@organizer_required
@require_POST
def call_test(request, pk):
    call = get_call_for_organizer(request.user, pk)
    address = domain.send_test(call=call, organizer=request.user)
    messages.success(
        request,
        _("Un e-mail de test est parti à votre adresse, %(email)s.") % {"email": address},
    )
    return redirect("festival:organizer_call_preview", pk=call.pk)


@organizer_required
def call_send(request, pk):
    """Check your answers, then send: the call becomes read-only."""
    call = get_call_for_organizer(request.user, pk)
    if not call.is_draft:
        return redirect("festival:organizer_call", pk=call.pk)
    form = SendCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = domain.start_sending(call=call, organizer=request.user)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("L'envoi a commencé : %(count)s destinataires. Cette page montre sa progression.")
                % {"count": call.recipient_count},
            )
            return redirect("festival:organizer_call", pk=call.pk)
    audit = domain.audit_recipients(edition=call.edition, audiences=call.audiences)
    return render(
        request,
        "festival/organizer/calls/send.html",
        {"call": call, "audit": audit, "form": form},
        status=400 if form.errors else 200,
    )


@organizer_required
@require_POST
def call_resume(request, pk):
    call = get_call_for_organizer(request.user, pk)
    try:
        domain.resume_sending(call=call, organizer=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request, _("L'envoi est relancé : seuls les destinataires en attente sont écrits.")
        )
    return redirect("festival:organizer_call", pk=call.pk)


@organizer_required
@require_POST
def call_retry_failed(request, pk):
    call = get_call_for_organizer(request.user, pk)
    try:
        count = domain.retry_failed(call=call, organizer=request.user)
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d adresse en échec est réessayée.",
                "%(count)d adresses en échec sont réessayées.",
                count,
            )
            % {"count": count},
        )
    return redirect("festival:organizer_call", pk=call.pk)


# The recipients' side: public, reached from the email's link.


def call_unsubscribe(request, token):
    try:
        festival, email = domain.read_unsubscribe_token(token)
    except DomainError as error:
        return render(request, "festival/calls/unsubscribe.html", {"error": error.text}, status=400)
    done = domain.is_unsubscribed(festival=festival, email=email)
    if request.method == "POST" and not done:
        domain.unsubscribe(festival=festival, email=email)
        done = True
    context = {"festival": festival, "email": email, "done": done, "page_festival": festival}
    return render(request, "festival/calls/unsubscribe.html", context)
