"""The site under load: a festival of 300 films served by gunicorn, page by page, over real HTTP.

    python benchmarks/load.py [--sqlite] [--films 300] [--clients 4] [--seconds 6]
                              [--upload-mb 200] [--uploads 2]

Builds a festival in a fresh database (PostgreSQL at 127.0.0.1:5432, user postgres, database
filmit_load_<pid>, dropped at the end; or a temporary SQLite file with --sqlite): --films public
films over two editions (schools, companies, trades, validated consents), last year's palmarès
decided and published by the domain, this year's jury with its jurors' assignments. One short
clip goes through the real media pipeline once; every film gets a ready version reading that
clip's files (tests/bulk.py), so players and posters are real signed links.

Then starts `gunicorn config.wsgi` (2 workers, DEBUG off, static files collected, plain HTTP on a
free 127.0.0.1 port) and loads each page for --seconds with --clients concurrent clients (one
thread and one connection per request each): /healthz (the minimal view, the baseline), the
gallery, the palmarès, a film page, the juror dashboard and a juror watch page (signed in), the
organizer dashboard, films list and teachers list (signed in).

Last, --uploads resumable (tus) uploads of --upload-mb MB of random bytes (an MP4 signature
first) run at once, each in 8 MB PATCH requests, against as many plain copies of the same file
run at once on the same disk, each synced to it (the server syncs every chunk before it answers
with the new offset): the upload's throughput is the bytes sent over the time from the
creation of the uploads to the answer of their last PATCH (which includes the hand-over to the
media pipeline; the intake's checks of the content happen later, in the worker, not measured).

Prints per page requests per second, p50 and p95 (ms), then as its last line one JSON object:
pages ({name: {rps, p50_ms, p95_ms, requests, errors}}), errors (responses other than 2xx/3xx and
exceptions, all pages), gallery_ratio (gallery rps / healthz rps; target >= 0.3),
watch_p95_ratio (watch p95 / healthz p95; target <= 4), upload_ratio (upload MB/s / copy MB/s;
target >= 0.7), with the measures they come from.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from upload import MB, TusClient, free_port, settle, write_source  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"

SETUP = """
import json, tempfile
from pathlib import Path
from django.test import Client
from tests import bulk, factories
from tests.media_pipeline.versions import process, receive

films = {films}
data = bulk.build_festival(films=films, jurors=3, per_juror=min(40, films // 2 or 1))
# One real clip through the pipeline, on a film of another festival; its files serve every film.
clip_film = factories.make_film()
with tempfile.TemporaryDirectory() as tmp:
    clip = Path(tmp) / "clip.mp4"
    clip.write_bytes(factories.tiny_video_bytes(2.0))
    video = process(receive(clip_film, clip_film.teacher, clip))
assert video.status == "ready", (video.status, video.message)
bulk.share_version(video, data["films"])

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

juror = data["jurors"][0]
watched = juror.assignments.order_by("film__title").first().film_id
uploads = [factories.make_film() for _ in range({uploads})]
public_film = data["publication"].snapshot["awards"][0]["film_id"]
print(json.dumps({{
    "palmares": f"/palmares/{{data['festival'].slug}}/{{data['past'].year}}/",
    "film": public_film,
    "watch": watched,
    "juror": session(juror),
    "organizer": session(data["organizer"]),
    "uploads": [{{"film": f.pk, "session": session(f.teacher)}} for f in uploads],
}}))
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def get(port: int, path: str, cookie: str | None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        # A browser's user agent: public film pages count it (public.audience), robots not.
        headers = {"Host": "127.0.0.1", "Accept-Language": "fr", "User-Agent": BROWSER_AGENT}
        if cookie:
            headers["Cookie"] = f"sessionid={cookie}"
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def load_page(port: int, path: str, cookie: str | None, *, clients: int, seconds: float) -> dict:
    """`clients` threads request `path` in a loop for `seconds`; latencies of every request."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    # Warm-up: templates compiled, connections opened, caches filled in both workers.
    for _ in range(4):
        get(port, path, cookie)
    stop_at = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                status = get(port, path, cookie)
                failure = None if 200 <= status < 400 else f"HTTP {status}"
            except Exception as error:  # a refused or reset connection counts as an error
                failure = repr(error)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if failure:
                    failures.append(failure)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "requests": len(latencies),
        "errors": len(failures),
        "first_error": failures[0] if failures else None,
    }


def concurrent(jobs) -> float:
    """Run the callables at once, each in a thread; the wall time until the last one ends."""
    errors = []

    def run(job):
        try:
            job()
        except Exception as error:
            errors.append(error)

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def durable_copy(source: Path, target: Path) -> None:
    """A copy that is on disk when it returns, as an upload is when its PATCH is answered."""
    shutil.copyfile(source, target)
    with open(target, "rb") as copied:
        os.fsync(copied.fileno())


def measure_uploads(port: int, ids: dict, work: Path, *, size_mb: int) -> dict:
    source = work / "film.mp4"
    write_source(source, size_mb * MB)
    clients = [TusClient(port, session=u["session"]) for u in ids["uploads"]]
    count = len(clients)
    settle()
    upload_seconds = concurrent(
        lambda c=c, u=u: c.upload(source, film=u["film"], chunk_size=8 * MB)
        for c, u in zip(clients, ids["uploads"], strict=True)
    )
    settle()
    copies = [work / f"copy-{i}.mp4" for i in range(count)]
    copy_seconds = concurrent(lambda c=c: durable_copy(source, c) for c in copies)
    for copy in copies:
        copy.unlink()
    upload_rate = count * size_mb / upload_seconds
    copy_rate = count * size_mb / copy_seconds
    return {
        "upload_ratio": round(upload_rate / copy_rate, 3),
        "uploads": count,
        "upload_mb": size_mb,
        "upload_seconds": round(upload_seconds, 2),
        "copy_seconds": round(copy_seconds, 2),
        "upload_mb_per_s": round(upload_rate, 1),
        "copy_mb_per_s": round(copy_rate, 1),
    }


def create_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/healthz", None) == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.2)


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="filmit-load-"))
    database = f"filmit_load_{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env.update(
        {
            "FILMIT_VAR_DIR": str(work / "var"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP here; nginx terminates TLS in production
            "FILMIT_MAX_UPLOAD_BYTES": str((args.upload_mb + 1) * MB),
            "STORAGE_BACKEND": "local",
            "TASKS_BACKEND": "db",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if args.sqlite:
        env["DATABASE_URL"] = f"sqlite:///{work / 'load.sqlite3'}"
    else:
        create_database(database)
        env["DATABASE_URL"] = PG + database
        env["DATABASE_CONN_MAX_AGE"] = "60"
    # The data is built with DEBUG on (mails to the console's locmem twin, nothing sent); the
    # server runs with DEBUG off, as in production, with the same SECRET_KEY for the sessions.
    build_env = {
        **env,
        "DEBUG": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    serve_env = {**env, "DEBUG": "0"}
    manage = [sys.executable, "manage.py"]
    server = None
    try:
        started = time.perf_counter()
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=build_env,
                       check=True)  # fmt: skip
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR,
                       env=serve_env, check=True)  # fmt: skip
        setup = subprocess.run(
            [*manage, "shell", "-c", SETUP.format(films=args.films, uploads=args.uploads)],
            cwd=BASE_DIR,
            env=build_env,
            check=True,
            capture_output=True,
            text=True,
        )
        ids = json.loads(setup.stdout.strip().splitlines()[-1])
        build_seconds = time.perf_counter() - started

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--timeout", "120", "--log-level", "warning"],
            cwd=BASE_DIR,
            env=serve_env,
        )  # fmt: skip
        wait_until_up(port, server)

        juror, organizer = ids["juror"], ids["organizer"]
        targets = {
            "healthz": ("/healthz", None),
            # The simplest page of the site (template, middleware, CSRF cookie, no data): the
            # second baseline, the one the gallery's first figures were compared with.
            "login": ("/compte/connexion/", None),
            "gallery": ("/galerie/", None),
            "palmares": (ids["palmares"], None),
            "film": (f"/films/{ids['film']}/", None),
            "juror_dashboard": ("/jury/jure/", juror),
            "watch": (f"/jury/jure/films/{ids['watch']}/", juror),
            "organizer_dashboard": ("/organisation/", organizer),
            "organizer_films": ("/organisation/films/", organizer),
            "organizer_teachers": ("/organisation/enseignants/", organizer),
        }
        pages = {}
        for name, (path, cookie) in targets.items():
            pages[name] = load_page(port, path, cookie, clients=args.clients, seconds=args.seconds)
            figures = pages[name]
            print(
                f"{name:20} {figures['rps']:7.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
                f"p95 {figures['p95_ms']:7.1f} ms  errors {figures['errors']}"
                + (f" ({figures['first_error']})" if figures["first_error"] else ""),
                flush=True,
            )
        uploads = measure_uploads(port, ids, work, size_mb=args.upload_mb) if args.uploads else {}
        if uploads:
            print(
                f"{uploads['uploads']} tus uploads of {uploads['upload_mb']} MB at once: "
                f"{uploads['upload_mb_per_s']} MB/s; "
                f"as many copies: {uploads['copy_mb_per_s']} MB/s",
                flush=True,
            )
        base = pages["healthz"]
        return {
            "pages": {
                name: {k: v for k, v in figures.items() if k != "first_error"}
                for name, figures in pages.items()
            },
            "errors": sum(figures["errors"] for figures in pages.values()),
            "gallery_ratio": round(pages["gallery"]["rps"] / base["rps"], 3),
            "watch_p95_ratio": round(pages["watch"]["p95_ms"] / base["p95_ms"], 2),
            "upload_ratio": uploads.get("upload_ratio"),
            "gallery_ratio_vs_login": round(pages["gallery"]["rps"] / pages["login"]["rps"], 3),
            "watch_p95_ratio_vs_login": round(
                pages["watch"]["p95_ms"] / pages["login"]["p95_ms"], 2
            ),
            "uploads": uploads,
            "films": args.films,
            "clients": args.clients,
            "seconds_per_page": args.seconds,
            "database": "sqlite" if args.sqlite else "postgresql",
            "build_seconds": round(build_seconds, 1),
            "median_p50_ms": round(statistics.median(p["p50_ms"] for p in pages.values()), 1),
            "load_average": round(os.getloadavg()[0], 1),
        }
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.sqlite:
            drop_database(database)
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients per page")
    parser.add_argument("--seconds", type=float, default=6.0, help="load time per page")
    parser.add_argument("--upload-mb", type=int, default=200, help="size of each uploaded file")
    parser.add_argument("--uploads", type=int, default=2, help="uploads at once (0: none)")
    args = parser.parse_args()
    print(json.dumps(run(args)))


if __name__ == "__main__":
    socket.setdefaulttimeout(120)
    main()
