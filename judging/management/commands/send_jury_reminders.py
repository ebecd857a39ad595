from django.core.management.base import BaseCommand

from judging.domain.reminders import send_due_reminders
from judging.tasks import send_due_jury_reminders


class Command(BaseCommand):
    help = (
        "Send the automatic reminder to jurors with films left, for every edition whose "
        "reminder is due (JudgingSettings.reminder_days_before days before the end of judging). "
        "Each edition's reminder goes out once: run this daily from cron. With --enqueue, the "
        "work is handed to the task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task instead of sending now."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            send_due_jury_reminders.enqueue()
            self.stdout.write("Jury reminders queued.")
            return
        editions = send_due_reminders()
        for edition in editions:
            self.stdout.write(f"Jury reminder sent for edition {edition.pk} « {edition} ».")
        if not editions:
            self.stdout.write("No jury reminder due.")
