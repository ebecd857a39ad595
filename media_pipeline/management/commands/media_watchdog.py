import time

from django.core.management.base import BaseCommand

from media_pipeline.models import VideoStatus
from media_pipeline.watchdog import recover_stalled


class Command(BaseCommand):
    help = (
        "Find video processing jobs (and second passes adding lower qualities) whose worker "
        "died, hung past its timeout or never came, and queue them again (or fail them once "
        "their attempts are spent). Workers also do this when they start a job; run this "
        "from cron, or with --loop beside the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS seconds.",
        )

    def handle(self, *args, loop=None, **options):
        while True:
            recovered = recover_stalled()
            for version in recovered:
                if version.status == VideoStatus.READY:  # its second pass was recovered
                    state, code = (
                        f"lower qualities {version.ladder_status}",
                        version.ladder_error_code,
                    )
                else:
                    state, code = version.status, version.error_code
                self.stdout.write(
                    f"Video version {version.pk} (film {version.film_id}): {state}, "
                    f"{code or 'task queued again'}."
                )
            if not loop:
                return
            time.sleep(loop)
