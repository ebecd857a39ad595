"""Stored files that several rows may point at, and their release.

A film forwarded to another festival's edition (a national final) keeps the files of the film it
comes from: its original, its consents and its renditions are not copied. A file is then deleted
from storage only when no row refers to it any more. The festival counts its own file fields;
higher layers register a counter for theirs (media_pipeline's renditions) at start-up.
"""

from collections.abc import Callable

from django.db import transaction

from festival.models import ConsentForm, Film

ReferenceCounter = Callable[[str], int]
_counters: list[ReferenceCounter] = []


def register_reference_counter(counter: ReferenceCounter) -> None:
    if counter not in _counters:
        _counters.append(counter)


def _festival_references(name: str) -> int:
    return (
        Film.objects.filter(original_video=name).count()
        + ConsentForm.objects.filter(file=name).count()
    )


def references(name: str) -> int:
    """How many rows, in every layer, still point at this stored name."""
    if not name:
        return 0
    return _festival_references(name) + sum(counter(name) for counter in _counters)


def release(storage, name: str, *, delete: Callable[[str], object] | None = None) -> None:
    """Once the current transaction commits, delete `name` unless a row still refers to it.

    Callers first clear or delete their own row, then release the name. `delete(name)` removes
    it (a folder of renditions, say); by default `storage.delete`. A failed deletion after the
    commit is logged, never raised: the rows are already saved."""
    if not name:
        return
    remove = delete or storage.delete

    def delete_unreferenced() -> None:
        if references(name) == 0:
            remove(name)

    transaction.on_commit(delete_unreferenced, robust=True)
