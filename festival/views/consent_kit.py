"""The consent kit of a film: the pre-filled image-rights consent form (PDF) and the guide
that tells the teacher how to collect consents. For the film's teacher and its festival's
organizers (the people who handle its consents); a 404 for anyone else."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from festival.consent_kit import consent_form_filename, consent_form_pdf
from festival.forms.teacher import CONSENT_ACCEPT
from festival.rules import get_film_for_consent_kit, is_film_teacher

logger = logging.getLogger(__name__)


@require_safe
@login_required
def guide(request, pk):
    film = get_film_for_consent_kit(request.user, pk)
    return render(
        request,
        "festival/teacher/consent_kit.html",
        {
            "film": film,
            "is_teacher": is_film_teacher(request.user, film),
            "max_consent_bytes": settings.FILMIT_MAX_CONSENT_BYTES,
            "formats": CONSENT_ACCEPT,
        },
    )


@require_safe
@login_required
def consent_form(request, pk):
    film = get_film_for_consent_kit(request.user, pk)
    logger.info("User %s downloads the consent form of film %s", request.user.pk, film.pk)
    response = HttpResponse(consent_form_pdf(film), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{consent_form_filename(film)}"'
    response["Cache-Control"] = "private, no-store"
    return response
