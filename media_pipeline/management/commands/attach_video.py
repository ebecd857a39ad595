from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from festival.domain import DomainError
from festival.models import Film, User
from media_pipeline.originals import receive_original


class Command(BaseCommand):
    help = (
        "Attach a local video file (a film delivered on a USB stick) to an existing film, "
        "exactly as if it had been uploaded: it is copied to the media storage and queued "
        "for processing. The file itself is left untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument("film_id", type=int)
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", metavar="EMAIL", help="Recorded as the uploader.")

    def handle(self, *args, film_id, path, user=None, **options):
        film = Film.objects.filter(pk=film_id).first()
        if film is None:
            raise CommandError(f"No film with id {film_id}.")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        uploader = None
        if user:
            uploader = User.objects.filter(email__iexact=user).first()
            if uploader is None:
                raise CommandError(f"No user with the email address {user}.")
        try:
            version = receive_original(
                film=film,
                user=uploader,
                path=path,
                filename=path.name,
                size=path.stat().st_size,
            )
        except DomainError as error:
            raise CommandError(error.text) from None
        self.stdout.write(
            f"Film {film.pk} « {film.title} »: version {version.number} queued "
            f"(video version id {version.pk})."
        )
