"""Emails of the festival workflow, rendered in the recipient's language and sent on commit."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def render_templated(*, template: str, context: dict, language: str | None = None):
    """`emails/<template>.txt` in `language`: its first line is the subject, the rest the body."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language or settings.LANGUAGE_CODE):
        rendered = render_to_string(f"emails/{template}.txt", context).strip()
    subject, _, body = rendered.partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_templated(*, template: str, to: list[str], context: dict, language: str | None = None):
    """Render `emails/<template>.txt` (first line is the subject) and send it after commit."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    subject, body = render_templated(template=template, context=context, language=language)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )

    def send():
        try:
            message.send()
        except OSError:
            # A mail server being down must never undo a teacher's submission.
            logger.exception("Could not send the %s email to %s", template, recipients)

    transaction.on_commit(send)


def send_to_user(*, template: str, user, context: dict):
    send_templated(
        template=template,
        to=[user.email],
        context={**context, "user": user},
        language=user.language,
    )


def send_to_users(*, template: str, users, context: dict):
    """One message per language to a group (a festival's organizers), each in its own language."""
    by_language: dict[str, list[str]] = {}
    for user in users:
        by_language.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user.email)
    for language, addresses in sorted(by_language.items()):
        send_templated(template=template, to=addresses, context=context, language=language)
