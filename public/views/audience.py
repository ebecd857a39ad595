"""The player's report of a play: counted without cookie, session or CSRF token.

CSRF-exempt on purpose: the endpoint sets nothing and changes nothing a visitor owns, it only
counts, at most once per visitor, film and day (public.audience.record_play).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from judging.visibility import public_films
from public.audience import record_play


@csrf_exempt
@require_POST
def film_play(request, pk):
    film_id = get_object_or_404(public_films().values_list("pk", flat=True), pk=pk)
    record_play(request=request, film_id=film_id)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
