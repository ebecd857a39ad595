"""Every state change of the judging app goes through these functions.

`juries`: juries, members, affiliations, conflicts, the scoring form, manual assignments.
`assignment`: the assignment solver and the function that applies it.
`reminders`: reminder emails to jurors with films left.
"""

from festival.domain import DomainError

__all__ = ["DomainError"]
