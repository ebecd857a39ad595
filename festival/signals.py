"""Signals the core sends: the apps above it connect their receivers in `AppConfig.ready()`.

`film_status_changed`: sent by `festival.domain.films.set_film_status` once the new status is
saved, with `film`, `previous` (the status it left), `actor`. Judging sends accepted films to
its jurors on it.
"""

from django.dispatch import Signal

film_status_changed = Signal()
