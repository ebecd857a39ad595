"""What `manage.py check_deployment` verifies before a release opens: the database, the object
store, a worker answering on the queue, ffmpeg with the filters the pipeline uses, free disk.

Each check returns one `Check`: OK or not, and a sentence in plain French for the operator.
They live in the media pipeline, the lowest layer that knows about all of them.
"""

import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils.translation import gettext as _

from media_pipeline import ffmpeg_runner
from media_pipeline.tasks import deployment_ping_task

# Every filter media_pipeline.filters builds a command line with.
REQUIRED_FILTERS = (
    "aformat",
    "aresample",
    "bwdif",
    "format",
    "fps",
    "idet",
    "loudnorm",
    "scale",
    "setsar",
    "tonemap",
    "zscale",
)


@dataclass(frozen=True)
class Check:
    ok: bool
    text: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return Check(False, _("Base de données injoignable : %(error)s") % {"error": error})
    return Check(True, _("Base de données joignable (%(vendor)s).") % {"vendor": connection.vendor})


def check_storage() -> Check:
    name = f"deployment-check/{uuid.uuid4().hex}.txt"
    content = b"FILM'IT check_deployment"
    try:
        saved = default_storage.save(name, ContentFile(content))
        try:
            with default_storage.open(saved, "rb") as stored:
                read = stored.read()
        finally:
            default_storage.delete(saved)
    except Exception as error:
        return Check(
            False,
            _("Stockage des fichiers inutilisable (écriture, lecture ou suppression) : %(error)s")
            % {"error": error},
        )
    if read != content:
        return Check(False, _("Stockage des fichiers : le fichier relu diffère du fichier écrit."))
    return Check(True, _("Stockage des fichiers : écriture, lecture et suppression réussies."))


def check_queue(*, timeout: float) -> Check:
    try:
        result = deployment_ping_task.enqueue()
    except Exception as error:
        return Check(False, _("File des tâches inutilisable : %(error)s") % {"error": error})
    deadline = time.monotonic() + timeout
    while True:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return Check(True, _("File des tâches : un worker a exécuté la tâche de test."))
        if result.status == TaskResultStatus.FAILED:
            return Check(False, _("File des tâches : la tâche de test a échoué chez le worker."))
        if time.monotonic() >= deadline:
            return Check(
                False,
                _(
                    "File des tâches : aucun worker n'a exécuté la tâche de test en %(seconds)s "
                    "secondes. Lancez au moins un worker sur la file « default »."
                )
                % {"seconds": f"{timeout:g}"},
            )
        time.sleep(0.2)


def _run(args: list[str]) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=30).stdout


def check_ffmpeg() -> list[Check]:
    checks = []
    for binary in (ffmpeg_runner.FFMPEG, ffmpeg_runner.FFPROBE):
        try:
            first_line = _run([binary, "-version"]).splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError) as error:
            checks.append(
                Check(
                    False,
                    _("%(binary)s introuvable ou inutilisable : %(error)s")
                    % {"binary": binary, "error": error},
                )
            )
        else:
            checks.append(Check(True, first_line))
    if not checks[0].ok:
        return checks
    try:
        listing = _run([ffmpeg_runner.FFMPEG, "-hide_banner", "-filters"])
    except (OSError, subprocess.SubprocessError) as error:
        checks.append(
            Check(False, _("Liste des filtres de ffmpeg illisible : %(error)s") % {"error": error})
        )
        return checks
    available = {line.split()[1] for line in listing.splitlines() if len(line.split()) > 2}
    missing = [name for name in REQUIRED_FILTERS if name not in available]
    if missing:
        checks.append(
            Check(
                False,
                _("Filtres ffmpeg manquants : %(names)s (ffmpeg doit être compilé avec eux).")
                % {"names": ", ".join(missing)},
            )
        )
    else:
        checks.append(
            Check(
                True,
                _("Filtres ffmpeg présents : %(names)s.") % {"names": ", ".join(REQUIRED_FILTERS)},
            )
        )
    return checks


def check_disk(*, min_free_gb: float) -> list[Check]:
    folders = {
        "MEDIA_WORK_DIR": Path(settings.MEDIA_WORK_DIR or tempfile.gettempdir()),
        "FILMIT_UPLOAD_DIR": Path(settings.FILMIT_UPLOAD_DIR),
    }
    checks = []
    for setting, folder in folders.items():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            free_gb = shutil.disk_usage(folder).free / 1024**3
        except OSError as error:
            checks.append(
                Check(
                    False,
                    _("%(setting)s (%(folder)s) inutilisable : %(error)s")
                    % {"setting": setting, "folder": folder, "error": error},
                )
            )
            continue
        values = {
            "setting": setting,
            "folder": folder,
            "free": f"{free_gb:.1f}",
            "min": f"{min_free_gb:g}",
        }
        if free_gb < min_free_gb:
            text = _(
                "%(setting)s (%(folder)s) : %(free)s Go libres, moins que les %(min)s Go demandés."
            )
            checks.append(Check(False, text % values))
        else:
            checks.append(Check(True, _("%(setting)s (%(folder)s) : %(free)s Go libres.") % values))
    return checks


def run_checks(*, queue_timeout: float, min_free_gb: float) -> list[Check]:
    return [
        check_database(),
        check_storage(),
        check_queue(timeout=queue_timeout),
        *check_ffmpeg(),
        *check_disk(min_free_gb=min_free_gb),
    ]
