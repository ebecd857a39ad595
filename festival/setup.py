"""An edition's set-up checklist. The core lists its own steps (calendar, categories); the apps
above add theirs (scoring form, prizes, juries, public vote) through a registered provider."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SetupStep:
    label: str
    done: bool
    summary: str
    url: str
    link_label: str


_providers: list[Callable] = []


def register_setup_steps(provider: Callable) -> None:
    """`provider(edition)` returns a list of `SetupStep`; it reads, never writes."""
    if provider not in _providers:
        _providers.append(provider)


def steps_from_other_apps(edition) -> list[SetupStep]:
    return [step for provider in _providers for step in provider(edition)]
