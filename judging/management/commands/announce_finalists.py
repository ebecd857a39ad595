from django.core.management.base import BaseCommand

from judging.domain.selection import announce_due_rounds


class Command(BaseCommand):
    help = (
        "Announce the finalists of every pre-selection round whose announcement is due and not "
        "done, and send any finalist's email still missing (one per teacher and film, recorded). "
        "The task queue announces at the set time; run this hourly to catch what it missed."
    )

    def handle(self, *args, **options):
        rounds = announce_due_rounds()
        for selection_round in rounds:
            self.stdout.write(f"Finalists announced for edition {selection_round.edition_id}.")
        if not rounds:
            self.stdout.write("No finalists' announcement due.")
