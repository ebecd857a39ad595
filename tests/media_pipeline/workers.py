"""Real worker processes for the job tests: db_worker, rqworker, and moto's S3 server.

Workers are `manage.py` subprocesses sharing the test database (a file for SQLite) and the
test's media folder, so that a test sees exactly what an operator would.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from asgiref.local import Local
from django.conf import settings
from django.db import connection
from django.tasks import task_backends

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, as the DATABASE_URL a worker process reads."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def start(args: list[str], *, log: Path, env: dict[str, str]) -> subprocess.Popen:
    """A manage.py command in its own process group (so that kill -9 takes its ffmpeg too)."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def start_db_worker(*, log: Path, env: dict[str, str]) -> subprocess.Popen:
    return start(
        [
            "db_worker",
            "--queue-name",
            "media,default",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        log=log,
        env=env,
    )


def kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Kill a worker and everything it started; reap it so that it is not a zombie."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
    process.wait(timeout=30)


def wait_for(
    condition: Callable[[], object], *, timeout: float, what: str, log: Path | None = None
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    details = f"\n--- worker log ---\n{log.read_text(errors='replace')}" if log else ""
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}{details}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def slow_ffmpeg(folder: Path, *, marker: Path, when: str = "*") -> Path:
    """A bin folder whose `ffmpeg` says it started, then waits before running the real one.

    Put first on a worker's PATH, it holds the worker in the middle of a job, so that the
    test can kill it there. `when`: a shell pattern of the command lines to hold (the
    others run at once), e.g. "*ladder-*" for the fast path's second pass only.
    """
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        f'case "$*" in {when}) touch "{marker}"; sleep 120;; esac\n'
        'exec /usr/bin/ffmpeg "$@"\n'
    )
    script.chmod(0o755)
    return folder


def reset_task_backends() -> None:
    """django.tasks caches its backends and their settings, and no signal resets them."""
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


@contextmanager
def task_backend(settings, **overrides):
    """Switch this process's tasks backend (settings TASKS, RQ_QUEUES...) for a while."""
    previous = {name: getattr(settings, name) for name in overrides if hasattr(settings, name)}
    for name, value in overrides.items():
        setattr(settings, name, value)
    reset_task_backends()
    try:
        yield
    finally:
        for name in overrides:
            if name in previous:
                setattr(settings, name, previous[name])
            else:
                delattr(settings, name)
        reset_task_backends()
