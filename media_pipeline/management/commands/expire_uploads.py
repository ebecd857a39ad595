from django.core.management.base import BaseCommand

from media_pipeline.tus import expire_uploads


class Command(BaseCommand):
    help = (
        "Delete resumable uploads abandoned for longer than FILMIT_UPLOAD_EXPIRY_HOURS. "
        "Run it periodically (the web server also sweeps at most once an hour)."
    )

    def handle(self, *args, **options):
        deleted = expire_uploads()
        self.stdout.write(f"{deleted} expired upload(s) deleted.")
