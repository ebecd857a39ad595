"""The language switch of every page's header, a form without a CSRF token.

Its token would make every page differ from one visitor to the next, so that no page could be
shared between anonymous visitors (public.cache.shared_page). A forged request can do no more than
choose a visitor's language, which the switch in the header sets back at once.
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

set_language = csrf_exempt(django_set_language)
