"""The production tests: real services (moto, Redis, gunicorn, RQ workers) in subprocesses."""

import json
import os
import subprocess
import sys
import urllib.request
import uuid

import boto3
import psycopg
import pytest
import redis

from tests.media_pipeline.workers import ROOT, free_port
from tests.production import services

# The journey's own Redis database on the machine's server, flushed before and after.
JOURNEY_REDIS_URL = os.environ.get("FILMIT_JOURNEY_REDIS_URL", "redis://127.0.0.1:6379/14")
POSTGRES = os.environ.get("FILMIT_JOURNEY_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


class Site:
    """A production-like installation: its environment, its address, its manage.py."""

    def __init__(self, env: dict[str, str], url: str, logs):
        self.env, self.url, self.logs = env, url, logs

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def scenario(self, call: str) -> dict:
        """Run a function of tests/production/scenario.py there; its JSON line back."""
        out = self.manage("shell", "-c", f"from tests.production import scenario; scenario.{call}")
        return json.loads(out.strip().splitlines()[-1])

    def log_tail(self) -> str:
        return "\n".join(
            f"--- {path.name} ---\n{path.read_text(errors='replace')[-4000:]}"
            for path in self.logs.glob("*.log")
        )


@pytest.fixture
def production_site(tmp_path):
    """gunicorn + an RQ worker + PostgreSQL + S3 (moto) + Redis, DEBUG off, static files
    collected and served by WhiteNoise; the database is this test's own, dropped at the end."""
    logs = tmp_path / "logs"
    logs.mkdir()
    database = f"filmit_prod_e2e_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = psycopg.connect(POSTGRES, autocommit=True)
    admin.execute(f'CREATE DATABASE "{database}"')
    queue = redis.Redis.from_url(JOURNEY_REDIS_URL)
    queue.flushdb()
    processes = []
    try:
        moto, endpoint = services.start_moto(logs / "moto.log")
        processes.append(moto)
        bucket = "filmit-media"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=bucket)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "0",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": url,
            # No TLS in front of this gunicorn: the proxy's redirect is not ours to test.
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": POSTGRES.rsplit("/", 1)[0] + f"/{database}",
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "CSP_MEDIA_ORIGINS": endpoint,
            "TASKS_BACKEND": "rq",
            "REDIS_URL": JOURNEY_REDIS_URL,
            "FILMIT_VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "FILMIT_UPLOAD_DIR": str(tmp_path / "uploads"),
            "MEDIA_WORK_DIR": str(tmp_path),
            # A mail server that refuses: mails are best effort (festival.emails), never a 500.
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(free_port()),
            "EMAIL_USE_TLS": "0",
        }
        site = Site(env, url, logs)
        site.manage("migrate", "--noinput", timeout=300)
        site.manage("collectstatic", "--noinput")
        worker = services.popen(
            [sys.executable, str(ROOT / "manage.py"), "rqworker", "default", "media",
             "--job-class", "django_tasks_rq.Job"],
            log=logs / "rqworker.log",
            env=env,
        )  # fmt: skip
        processes.append(worker)
        web = services.popen(
            [str(services.BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--timeout", "120", "--access-logfile", "-"],
            log=logs / "gunicorn.log",
            env=env,
        )  # fmt: skip
        processes.append(web)
        services.wait_until(
            lambda: urllib.request.urlopen(url + "/", timeout=2).status == 200,
            timeout=30,
            what="gunicorn",
            process=web,
            log=logs / "gunicorn.log",
        )
        yield site
        print(site.log_tail())  # shown by pytest when the test failed
    finally:
        for process in reversed(processes):
            services.stop(process)
        queue.flushdb()
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
