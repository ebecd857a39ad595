"""Judging pages: organizers in `organizer`, jurors (and deliberation) in `juror`."""
