from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from media_pipeline.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Delete what the retention periods say is due: original videos RETENTION_ORIGINALS_DAYS "
        "after their edition's ceremony (the renditions stay), consents of the films that are "
        "not public RETENTION_CONSENTS_DAYS after it. Records the run and emails each "
        "festival's organizers what was removed. Run it hourly with the other chores."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed, remove nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = apply_retention(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for film in report.films:
            parts = []
            if film.originals:
                parts.append(f"{film.originals} original(s)")
            if film.consents:
                parts.append(f"{film.consents} consent(s)")
            kept = f", {film.files_kept} file(s) kept (still used elsewhere)"
            self.stdout.write(
                f"Film {film.film} « {film.title} » ({film.edition}): {', '.join(parts)} {verb}"
                + (kept if film.files_kept else "")
            )
        if not report.removed_anything:
            self.stdout.write("Retention: nothing due.")
            return
        self.stdout.write(
            f"Retention{' (dry run)' if dry_run else ''}: {report.originals_deleted} original(s) "
            f"and {report.consents_deleted} consent(s) {verb} in {len(report.films)} film(s), "
            f"{filesizeformat(report.bytes_freed)} freed, {report.files_kept} file(s) kept."
        )
