from django.core.management.base import BaseCommand

from festival.domain.reminders import send_teacher_reminders
from festival.models_outreach import ReminderKind


class Command(BaseCommand):
    help = (
        "Send the teachers' automatic reminders that are due: the submission deadline is near "
        "(TEACHER_REMINDER_DAYS) and the film is still a draft, the film was sent back for "
        "changes and still waits, the deadline passed with a draft left. Each one goes out "
        "once: run this hourly with the other chores."
    )

    def handle(self, *args, **options):
        counts = send_teacher_reminders()
        for kind, count in counts.items():
            if count:
                self.stdout.write(f"{ReminderKind(kind).name}: {count} teacher reminder(s) sent.")
        if not any(counts.values()):
            self.stdout.write("No teacher reminder due.")
