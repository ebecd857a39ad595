"""A film's figures that the layers above know (its audience on the public site), through
readers they register: the organizers' film page shows them without the core knowing them."""

from collections.abc import Callable
from dataclasses import dataclass

from festival.models import Film


@dataclass(frozen=True)
class FilmFigure:
    label: str
    value: int


# reader(*, film): the film's figures, maybe none. A reader reads, it never writes.
FigureReader = Callable[..., list[FilmFigure]]
_readers: list[FigureReader] = []


def register_film_figures(reader: FigureReader) -> None:
    """Called by an app above the core at start-up (public: the audience)."""
    if reader not in _readers:
        _readers.append(reader)


def film_figures(*, film: Film) -> list[FilmFigure]:
    figures = []
    for reader in _readers:
        figures.extend(reader(film=film))
    return figures
