"""A film's pre-selection outcome as its teacher reads it ("finaliste", "non retenu").

Judging decides it and registers its reader at start-up; the core only shows what it is told.
"""

from collections.abc import Callable

from festival.models import Film

OutcomeReader = Callable[[Film], str]
_readers: list[OutcomeReader] = []


def register_outcome_reader(reader: OutcomeReader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def selection_outcome(film: Film) -> str:
    """The outcome to show, "" while nothing is announced."""
    for reader in _readers:
        outcome = reader(film)
        if outcome:
            return outcome
    return ""
