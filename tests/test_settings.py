"""Production settings: refuse to start half-configured, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "filmit.example",
    "CSRF_TRUSTED_ORIGINS": "https://filmit.example",
}


def manage(*args, env):
    # The browser tests allow async-unsafe calls in their process; production never does.
    dropped = {*PRODUCTION, "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={
        **PRODUCTION, "FILMIT_VAR_DIR": str(tmp_path)
    })  # fmt: skip

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {**PRODUCTION, "SECRET_KEY": "", "FILMIT_VAR_DIR": str(tmp_path)}

    result = manage("check", env=env)

    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    env = {**PRODUCTION, "ALLOWED_HOSTS": "", "FILMIT_VAR_DIR": str(tmp_path)}

    result = manage("check", env=env)

    assert result.returncode == 1
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr
