"""Every state change of the festival app goes through these functions."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refused action, carrying a message a teacher or an organizer understands."""

    @property
    def text(self) -> str:
        """The messages as one line, for a flash message, an HTTP body or a command error."""
        return " ".join(self.messages)
