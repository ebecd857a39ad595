"""Forms of the judging pages: organizers in `organizer`, jurors in `juror`."""
