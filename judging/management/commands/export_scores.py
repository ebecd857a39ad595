"""Write an edition's ranking input files (scores.csv, criteria.csv, favourites.csv).

    python manage.py export_scores EDITION_ID [--out DIR]

`rank_scores` on these files prints the edition's ranking.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from festival.models import Edition
from judging.exports import criteria_csv, favourites_csv, scores_csv
from judging.results import EditionResults


class Command(BaseCommand):
    help = _("Exporte les fichiers d'entrée du classement d'une édition.")

    def add_arguments(self, parser):
        parser.add_argument("edition", type=int)
        parser.add_argument("--out", default=".")

    def handle(self, *args, **options):
        edition = Edition.objects.filter(pk=options["edition"]).first()
        if edition is None:
            raise CommandError(_("Édition introuvable."), returncode=2)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        results = EditionResults.load(edition)
        files = {
            "scores.csv": scores_csv(edition, results=results),
            "criteria.csv": criteria_csv(edition),
            "favourites.csv": favourites_csv(edition, results=results),
        }
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
            self.stdout.write(str(out / name))
