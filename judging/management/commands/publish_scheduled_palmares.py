from django.core.management.base import BaseCommand

from judging.domain.scheduled_publication import publish_due
from judging.models_ceremony import ScheduleState


class Command(BaseCommand):
    help = (
        "Publish every scheduled palmarès whose time has come and that no worker published "
        "(a worker down at the announcement, a task lost). Run it hourly; it publishes each "
        "one once, through the same function as a manual publication."
    )

    def handle(self, *args, **options):
        done = publish_due()
        for scheduled in done:
            if scheduled.state == ScheduleState.PUBLISHED:
                self.stdout.write(f"Palmarès of edition {scheduled.edition_id} published.")
            elif scheduled.state == ScheduleState.FAILED:
                self.stdout.write(
                    f"Palmarès of edition {scheduled.edition_id} not published: {scheduled.error}"
                )
        if not done:
            self.stdout.write("No scheduled palmarès due.")
