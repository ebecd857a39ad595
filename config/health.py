"""A liveness probe for load balancers and monitoring: the process answers, nothing more.

It reads neither the database nor the session, so it stays cheap and says only that a web
worker is up; `check_deployment` is the deep check.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
