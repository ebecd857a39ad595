"""Signals the core sends so that the apps above it react without being imported; they connect
their receivers in `AppConfig.ready()`.
"""

from django.dispatch import Signal

# Sent inside the transaction that prepares an edition from the previous one, once its
# categories are copied: `source`, `target` and `categories` (source category pk → new category).
# judging copies its scoring form, prizes and juries on it.
edition_prepared = Signal()

# Sent by `festival.domain.films.set_film_status` once the new status is saved, with `film`,
# `previous` (the status it left) and `actor`. Judging sends accepted films to its jurors on it.
film_status_changed = Signal()

# Sent by `festival.domain.school_erasure.erase_school_data`, inside its transaction, with `film`
# for each film whose originals an erasure deletes: the media pipeline clears the originals of
# the film's versions and releases their files (festival.stored_files).
film_originals_erased = Signal()

# Sent by `festival.domain.school_erasure.erase_school_data`, inside its transaction and before
# any account is anonymised, with `festival`, `film_ids` (every film of the school in the
# festival's editions), `teachers` (the school's teachers as the festival knows them, with their
# addresses still theirs) and `anonymised_ids` (the accounts about to be closed). Judging removes
# the teachers' invitations to the festival's ceremonies on it.
school_data_erased = Signal()
