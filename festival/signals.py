"""Signals the core sends so that the apps above it react without being imported."""

from django.dispatch import Signal

# Sent inside the transaction that prepares an edition from the previous one, once its
# categories are copied: `source`, `target` and `categories` (source category pk → new category).
# judging copies its scoring form, prizes and juries on it.
edition_prepared = Signal()
