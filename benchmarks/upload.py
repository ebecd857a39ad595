"""Server memory and speed of a large tus upload, over real HTTP.

    python benchmarks/upload.py [--size-mb 2048] [--chunk-mb 8] [--repeat 2]

Starts the Django server (runserver, no autoreload) on a fresh SQLite database in a temporary
folder, creates a teacher and a film, then uploads a file of --size-mb MB with tus in
--chunk-mb MB PATCH requests, sampling the server process's resident memory all along.
The same file is copied on the same disk with a plain file copy in the same run: the upload's
throughput is compared with it. The upload is timed from its creation to the answer of its last
PATCH, which includes the hand-over to the media pipeline.

Upload and copy alternate for --repeat rounds and the best time of each counts: other work on
the machine, and virtual machines where writing into freshly allocated memory costs far more
than into memory just freed, make single runs noisy. CPU times are reported alongside.

The last line printed is a JSON object: upload_rss_growth_mb (peak during the upload minus the
level after a warm-up upload; target <= 50) and upload_throughput_ratio (copy time over upload
time; target >= 0.5), with the measures they come from.
"""

import argparse
import hashlib
import http.client
import json
import os
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64encode
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"

SETUP = """
import json
import resource
from django.test import Client
from tests import factories
film = factories.make_film()
client = Client()
client.force_login(film.teacher)
print(json.dumps({"film": film.pk, "session": client.cookies["sessionid"].value}))
"""


def rss_bytes(pid: int) -> int:
    try:
        import psutil
    except ImportError:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("VmRSS not found") from None
    return psutil.Process(pid).memory_info().rss


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process (this one by default)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak = 0
        self.samples = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            self.samples += 1
            self.stopped.wait(self.every)

    def stop(self) -> int:
        self.stopped.set()
        self.join()
        return max(self.peak, rss_bytes(self.pid))


def write_source(path: Path, size: int) -> None:
    """Incompressible-looking data, written once: an MP4 signature, then random blocks."""
    block = bytearray(os.urandom(8 * MB))
    written = 0
    with open(path, "wb") as out:
        while written < size:
            block[:8] = written.to_bytes(8, "little")  # no two blocks alike
            piece = memoryview(block)[: min(len(block), size - written)]
            if written == 0:
                piece = memoryview(bytes(MP4_HEAD) + bytes(piece[len(MP4_HEAD) :]))
            out.write(piece)
            written += len(piece)


def settle() -> None:
    """The same starting line for both measures: no dirty pages waiting to be written (they
    would throttle whichever runs second), and memory freed earlier given back as it would
    be anyway (on virtual machines, writing into freshly allocated memory is much slower
    than into memory just freed, which would favour whichever runs right after a delete)."""
    os.sync()
    time.sleep(3)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(8 * MB):
            digest.update(chunk)
    return digest.hexdigest()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TusClient:
    """Just enough of a tus client: creation, then PATCH requests of chunk_size bytes."""

    def __init__(self, port: int, *, session: str):
        self.port = port
        self.csrf = secrets.token_hex(16)
        self.headers = {
            "Tus-Resumable": "1.0.0",
            "Cookie": f"sessionid={session}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
        }

    def request(self, method, path, *, headers=None, body=b"", source=None, offset=0, count=0):
        """One request on a fresh connection; the body is bytes, or `count` bytes of `source`
        from `offset`, sent by the kernel (sendfile): the client spends next to no CPU, which
        leaves the machine's cores to the server being measured."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            connection.connect()
            # Headers and body go in separate writes: without this, Nagle's algorithm and
            # delayed acknowledgements add 40 ms to every request.
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection.putrequest(method, path, skip_accept_encoding=True)
            headers = {**self.headers, **(headers or {})}
            headers["Content-Length"] = str(count if source is not None else len(body))
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders(body if source is None and body else None)
            if source is not None:
                connection.sock.sendfile(source, offset, count)
            response = connection.getresponse()
            payload = response.read()
            return response.status, response, payload
        finally:
            connection.close()

    def upload(self, path: Path, *, film: int, chunk_size: int) -> tuple[str, int]:
        size = path.stat().st_size
        metadata = ",".join(
            f"{key} {b64encode(str(value).encode()).decode()}"
            for key, value in {"filename": path.name, "filetype": "video/mp4", "film": film}.items()
        )
        status, response, body = self.request(
            "POST",
            "/televersements/",
            headers={"Upload-Length": str(size), "Upload-Metadata": metadata},
        )
        if status != 201:
            raise RuntimeError(f"creation: {status} {body[:300]!r}")
        url = urlsplit(response.getheader("Location")).path
        offset = 0
        with open(path, "rb") as source:
            while offset < size:
                status, response, body = self.request(
                    "PATCH",
                    url,
                    headers={
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                    source=source,
                    offset=offset,
                    count=min(chunk_size, size - offset),
                )
                if status != 204:
                    raise RuntimeError(f"PATCH at {offset}: {status} {body[:300]!r}")
                offset = int(response.getheader("Upload-Offset"))
        return url, offset


def stored_original(env, film: int) -> Path:
    code = (
        "from media_pipeline.models import VideoVersion;"
        f"v = VideoVersion.objects.filter(film_id={film}).order_by('-number').first();"
        "print(v.original.path)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip().splitlines()[-1])


def measure_round(client, pid: int, source: Path, work: Path, *, film: int, chunk_mb: int) -> dict:
    """One tus upload of the file, then one plain copy of it, from the same starting line."""
    size = source.stat().st_size
    settle()
    sampler = RssSampler(pid)
    sampler.start()
    server_cpu, client_cpu = cpu_seconds(pid), cpu_seconds()
    started = time.perf_counter()
    _url, offset = client.upload(source, film=film, chunk_size=chunk_mb * MB)
    upload_seconds = time.perf_counter() - started
    server_cpu = cpu_seconds(pid) - server_cpu
    client_cpu = cpu_seconds() - client_cpu
    peak = sampler.stop()
    if offset != size:
        raise RuntimeError(f"upload ended at {offset} of {size} bytes")

    settle()
    copy_cpu = cpu_seconds()
    started = time.perf_counter()
    shutil.copyfile(source, work / "copy.mp4")
    copy_seconds = time.perf_counter() - started
    copy_cpu = cpu_seconds() - copy_cpu
    (work / "copy.mp4").unlink()
    return {
        "upload_seconds": round(upload_seconds, 2),
        "copy_seconds": round(copy_seconds, 2),
        "server_cpu": round(server_cpu, 2),
        "client_cpu": round(client_cpu, 2),
        "copy_cpu": round(copy_cpu, 2),
        "rss_peak": peak,
        "load_average": round(os.getloadavg()[0], 1),
    }


def run(
    size_mb: int,
    chunk_mb: int = 8,
    *,
    repeat: int = 2,
    verify: bool = True,
    work_dir: str | None = None,
):
    size = size_mb * MB
    work = Path(tempfile.mkdtemp(prefix="filmit-upload-bench-", dir=work_dir))
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            "FILMIT_VAR_DIR": str(work / "var"),
            "FILMIT_MAX_UPLOAD_BYTES": str(size + MB),
            "STORAGE_BACKEND": "local",
            "TASKS_BACKEND": "db",
            "DEBUG": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    server = None
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True
        )
        setup = subprocess.run(
            [*manage, "shell", "-c", SETUP],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        ids = json.loads(setup.stdout.strip().splitlines()[-1])

        source = work / "film.mp4"
        write_source(source, size)

        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = TusClient(port, session=ids["session"])
        deadline = time.monotonic() + 60
        while True:
            try:
                client.request("OPTIONS", "/televersements/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)

        # Warm-up: every code path of an upload runs once before the baseline is read.
        warm = work / "warm.mp4"
        write_source(warm, 3 * MB)
        client.upload(warm, film=ids["film"], chunk_size=MB)
        warm.unlink()
        settle()
        baseline = rss_bytes(server.pid)
        rounds = []
        for _round in range(repeat):
            rounds.append(
                measure_round(client, server.pid, source, work, film=ids["film"], chunk_mb=chunk_mb)
            )
        best_upload = min(rounds, key=lambda r: r["upload_seconds"])
        best_copy = min(rounds, key=lambda r: r["copy_seconds"])
        upload_seconds, copy_seconds = best_upload["upload_seconds"], best_copy["copy_seconds"]
        peak = max(r["rss_peak"] for r in rounds)

        verified = None
        if verify:
            verified = sha256_file(source) == sha256_file(stored_original(env, ids["film"]))
            if not verified:
                raise RuntimeError("the stored original differs from the uploaded file")
        return {
            "upload_rss_growth_mb": round((peak - baseline) / MB, 1),
            "upload_throughput_ratio": round(copy_seconds / upload_seconds, 3),
            "size_mb": size_mb,
            "chunk_mb": chunk_mb,
            "upload_seconds": round(upload_seconds, 2),
            "copy_seconds": round(copy_seconds, 2),
            "upload_mb_per_s": round(size_mb / upload_seconds, 1),
            "copy_mb_per_s": round(size_mb / copy_seconds, 1),
            "upload_server_cpu_seconds": best_upload["server_cpu"],
            "upload_client_cpu_seconds": best_upload["client_cpu"],
            "copy_cpu_seconds": best_copy["copy_cpu"],
            "rounds": [
                {key: r[key] for key in ("upload_seconds", "copy_seconds", "load_average")}
                for r in rounds
            ],
            "server_rss_baseline_mb": round(baseline / MB, 1),
            "server_rss_peak_mb": round(peak / MB, 1),
            "verified_sha256": verified,
        }
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=2048, help="size of the uploaded file")
    parser.add_argument("--chunk-mb", type=int, default=8, help="size of each PATCH request")
    parser.add_argument(
        "--repeat", type=int, default=2, help="rounds of upload + copy; the best of each counts"
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the sha256 comparison")
    parser.add_argument("--work-dir", help="where the temporary folder goes (default: TMPDIR)")
    args = parser.parse_args()
    result = run(
        args.size_mb,
        args.chunk_mb,
        repeat=args.repeat,
        verify=not args.no_verify,
        work_dir=args.work_dir,
    )
    print(
        f"tus upload of {result['size_mb']} MB in {result['chunk_mb']} MB chunks: "
        f"{result['upload_seconds']} s ({result['upload_mb_per_s']} MB/s); "
        f"plain copy: {result['copy_seconds']} s ({result['copy_mb_per_s']} MB/s)"
    )
    print(
        f"server RSS: {result['server_rss_baseline_mb']} MB after warm-up, "
        f"{result['server_rss_peak_mb']} MB at peak"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
