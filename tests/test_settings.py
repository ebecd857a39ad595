"""Production settings: refuse to start half-configured, and pass Django's deploy checks."""

import json
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


def python(*args, env):
    """Python in a fresh process with `env` and none of the tests' own settings."""
    # The browser tests allow async-unsafe calls in their process; production never does.
    dropped = {*PRODUCTION, "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args, env):
    return python("manage.py", *args, env=env)


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


# Run in a production process: the database was never migrated, so the gallery fails with a 500,
# as it would after a deployment that forgot `migrate`. The test environment swaps the SMTP
# backend for the in-memory outbox, as the test runner does.
SERVER_ERROR_SCRIPT = """
import json
import django
from django.test.utils import setup_test_environment

django.setup()
setup_test_environment()
from django.core import mail
from django.test import Client

response = Client(raise_request_exception=False).get(
    "/galerie/?q=x", secure=True, headers={"host": "filmit.example"}
)
print(json.dumps({
    "status": response.status_code,
    "mails": [
        {"to": m.to, "from": m.from_email, "subject": m.subject, "body": m.body}
        for m in mail.outbox
    ],
}))
"""


def test_a_server_error_in_production_mails_the_admins_once(tmp_path):
    env = {
        **PRODUCTION,
        "FILMIT_VAR_DIR": str(tmp_path),
        "DJANGO_ADMINS": "Équipe technique <tech@filmit.example>, astreinte@filmit.example",
        "SERVER_EMAIL": "erreurs@filmit.example",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    result = python("-c", SERVER_ERROR_SCRIPT, env=env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 500
    [report] = outcome["mails"]
    assert report["to"] == [
        "=?utf-8?q?=C3=89quipe_technique?= <tech@filmit.example>",
        "astreinte@filmit.example",
    ]
    assert report["from"] == "erreurs@filmit.example"
    assert report["subject"].startswith("[FILM'IT] ")
    assert "/galerie/" in report["subject"]
    assert PRODUCTION["SECRET_KEY"] not in report["subject"]
    assert PRODUCTION["SECRET_KEY"] not in report["body"]


PROBE_SCRIPT = """
import django
django.setup()
from django.test import Client

client = Client()
print(client.get("/healthz", headers={"host": "filmit.example"}).status_code,
      client.get("/connexion/", headers={"host": "filmit.example"}).status_code)
"""


def test_the_health_probe_answers_plain_http_in_production(tmp_path):
    env = {
        **PRODUCTION,
        "FILMIT_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    result = python("-c", PROBE_SCRIPT, env=env)

    assert result.returncode == 0, result.stderr
    # Every page goes to HTTPS; the load balancer's probe is answered on plain HTTP.
    assert result.stdout.split() == ["200", "301"]
