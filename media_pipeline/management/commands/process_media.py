"""Run the media pipeline on a local file: films delivered on a USB stick, and our tests."""

import json
import re
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from media_pipeline.pipeline import FAILED, READY, REJECTED, PipelineResult, run_pipeline

EXIT_CODES = {READY: 0, FAILED: 1, REJECTED: 2}


class Command(BaseCommand):
    help = _(
        "Traite un fichier vidéo local exactement comme un dépôt en ligne : contrôle, "
        "encodage (HLS et MP4), affiches et vignettes. Code de sortie : 0 prête, "
        "2 refusée, 1 échec."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, help=_("Fichier vidéo à traiter."))
        parser.add_argument(
            "--out",
            type=Path,
            help=_("Dossier des résultats (par défaut : un nouveau dossier dans var/)."),
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("Écrire le résultat en JSON sur la dernière ligne."),
        )
        parser.add_argument(
            "--max-duration", type=float, help=_("Durée maximale acceptée, en secondes.")
        )
        parser.add_argument(
            "--timeout", type=float, help=_("Temps maximal de traitement, en secondes.")
        )

    def handle(self, *args, **options):
        original: Path = options["input"]
        if not original.is_file():
            raise CommandError(_("Fichier introuvable : %(path)s") % {"path": original})
        out_dir = (options["out"] or default_out_dir(original)).resolve()
        self.stdout.write(_("Traitement de %(path)s…") % {"path": original})
        with tempfile.TemporaryDirectory(prefix="filmit-media-") as job_dir:
            # The pipeline only ever sees a copy under a name we chose.
            source = Path(job_dir) / ("original" + safe_suffix(original))
            shutil.copyfile(original, source)
            result = run_pipeline(
                source=source,
                out_dir=out_dir,
                max_duration=options["max_duration"],
                progress=ProgressPrinter(self.stdout.write),
                timeout=options["timeout"],
            )
        self.report(result, out_dir)
        if options["json"]:
            self.stdout.write(json.dumps({**result.to_dict(), "out_dir": str(out_dir)}))
        sys.stdout.flush()
        if result.status != READY:
            raise CommandError(result.message, returncode=EXIT_CODES[result.status])

    def report(self, result: PipelineResult, out_dir: Path) -> None:
        if result.status == READY:
            self.stdout.write(self.style.SUCCESS(result.message))
            self.stdout.write(_("Résultats : %(path)s") % {"path": out_dir})
            for rendition in result.renditions:
                self.stdout.write(f"  {rendition.name} {rendition.width}×{rendition.height}")
        elif result.status == REJECTED:
            self.stdout.write(self.style.WARNING(f"[{result.error_code}] {result.message}"))
        else:
            self.stdout.write(self.style.ERROR(f"[{result.error_code}] {result.message}"))
            if result.log_excerpt:
                self.stdout.write(result.log_excerpt)


class ProgressPrinter:
    """One line every ten percent: readable in a terminal and in a log file."""

    def __init__(self, write) -> None:
        self.write = write
        self.next_step = 0

    def __call__(self, percent: float) -> None:
        if percent >= self.next_step:
            self.write(_("Encodage : %(percent)d %%") % {"percent": percent})
            self.next_step = (int(percent) // 10 + 1) * 10


def safe_suffix(path: Path) -> str:
    """The extension, kept only when it is a plain one: it helps format detection."""
    suffix = path.suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""


def default_out_dir(original: Path) -> Path:
    stem = re.sub(r"[^a-z0-9]+", "-", original.stem.lower()).strip("-")[:40] or "film"
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "process_media" / f"{stamp}-{stem}-{uuid.uuid4().hex[:6]}"
