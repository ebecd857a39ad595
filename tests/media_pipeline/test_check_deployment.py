"""`manage.py check_deployment`: every check says OK on a working installation, and what is
broken is said in French with exit status 1."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from media_pipeline import deployment, ffmpeg_runner
from tests.media_pipeline.workers import kill, start_db_worker, worker_env


def run(*args) -> str:
    out = StringIO()
    call_command("check_deployment", *args, stdout=out, no_color=True)
    return out.getvalue()


def run_failing(*args) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_deployment", *args, stdout=out, no_color=True)
    return out.getvalue(), str(raised.value)


def lines_starting(output: str, word: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(word)]


@pytest.mark.django_db(transaction=True)
def test_every_check_is_ok_with_a_worker(tmp_path):
    worker = start_db_worker(log=tmp_path / "worker.log", env=worker_env())
    try:
        output = run("--queue-timeout", "60", "--min-free-gb", "0")
    finally:
        kill(worker)

    assert lines_starting(output, "ERREUR") == []
    assert len(lines_starting(output, "OK")) == 8
    assert "File des tâches : un worker a exécuté la tâche de test." in output
    assert "Stockage des fichiers : écriture, lecture et suppression réussies." in output
    assert output.splitlines()[-1] == "Tout est prêt."


@pytest.mark.django_db
def test_no_worker_is_said_plainly():
    output, error = run_failing("--queue-timeout", "0.5", "--min-free-gb", "0")

    assert lines_starting(output, "ERREUR") == [
        "ERREUR  File des tâches : aucun worker n'a exécuté la tâche de test en 0.5 secondes. "
        "Lancez au moins un worker sur la file « default »."
    ]
    assert error == "1 vérification(s) en échec : l'installation n'est pas prête."


class BrokenStorage:
    def save(self, name, content):
        raise PermissionError("Accès refusé au compartiment")


@pytest.mark.django_db
def test_a_broken_storage_and_ffmpeg_are_reported(monkeypatch):
    monkeypatch.setattr(deployment, "default_storage", BrokenStorage())
    monkeypatch.setattr(ffmpeg_runner, "FFMPEG", "/introuvable/ffmpeg")
    monkeypatch.setattr(deployment, "check_queue", lambda **kw: deployment.Check(True, "file"))

    output, error = run_failing("--min-free-gb", "0")

    assert lines_starting(output, "ERREUR") == [
        "ERREUR  Stockage des fichiers inutilisable (écriture, lecture ou suppression) : "
        "Accès refusé au compartiment",
        "ERREUR  /introuvable/ffmpeg introuvable ou inutilisable : [Errno 2] No such file or "
        "directory: '/introuvable/ffmpeg'",
    ]
    assert error == "2 vérification(s) en échec : l'installation n'est pas prête."


@pytest.mark.django_db
def test_too_little_free_disk_is_reported(monkeypatch):
    monkeypatch.setattr(deployment, "check_queue", lambda **kw: deployment.Check(True, "file"))

    output, _ = run_failing("--min-free-gb", "1000000000")

    assert [line.split(" : ")[0].split(" (")[0] for line in lines_starting(output, "ERREUR")] == [
        "ERREUR  MEDIA_WORK_DIR",
        "ERREUR  FILMIT_UPLOAD_DIR",
    ]
