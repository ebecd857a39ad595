"""What the layers above tell the organizers about their films, through readers they register.

Judging registers the reader of the accepted films that no juror scores yet (no jury for their
category, conflicts of interest, jurors at their limit): the organizers' dashboard and film
page show them without the core knowing what a jury is.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from festival.models import Edition, Film


@dataclass(frozen=True)
class FilmNotice:
    """A film the organizers must look at, and why, in their words."""

    film: Film
    message: str


# reader(*, edition, films=None): the notices of the edition, or only of `films`.
UnassignedReader = Callable[..., list[FilmNotice]]
_unassigned_readers: list[UnassignedReader] = []


def register_unassigned_reader(reader: UnassignedReader) -> None:
    """Called by judging at start-up. A reader reads, it never writes (pages call it on GET)."""
    if reader not in _unassigned_readers:
        _unassigned_readers.append(reader)


def films_without_jurors(
    *, edition: Edition, films: Iterable[Film] | None = None
) -> list[FilmNotice]:
    """Accepted films short of jurors, with why; `films` narrows it (a film's page)."""
    films = list(films) if films is not None else None
    notices = []
    for reader in _unassigned_readers:
        notices.extend(reader(edition=edition, films=films))
    return notices
