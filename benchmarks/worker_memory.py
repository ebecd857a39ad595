"""Peak memory of a media worker while it processes a 2 GB original read from storage.

    python benchmarks/worker_memory.py [--size-mb 2048] [--keep DIR]

Everything happens in a fresh temporary folder (database, media storage, work folders):
the developer's data is never touched. The script
- generates a film of --size-mb MB that the real pipeline accepts and fully processes in
  a few minutes: a 640x360 MJPEG 4:4:4 clip of grain at 5 fps and the best JPEG quality
  (about 470 kB a frame, so the file is big while the frames to decode and encode stay
  few; the grain is the same from frame to frame, which keeps H.264 encoding cheap) with
  AAC stereo sound, looped by stream copy into a Matroska file: about 14 minutes of film
  for 2 GB;
- creates a festival, a category accepting long films, a teacher and two films;
- starts the embedded worker exactly as in production (`manage.py db_worker --queue-name
  media --no-reload`) and reads its resident memory while it waits for work (idle), then
  after it has processed a 4-second film (warm: every module of a job imported);
- hands the big film to `media_pipeline.originals.receive_original` (move=False: the file is
  streamed into the media storage), which queues its processing; the worker copies the
  original from storage to its work folder, probes, transcodes and stores the outputs.

The worker's memory is read from /proc/<pid>/status of the Python worker process itself:
VmRSS sampled every 0.2 s during the job, and VmHWM (the kernel's own high-water mark since
the worker started) once the job is over, before the worker is stopped. ffmpeg and ffprobe
run as child processes of the worker, so their memory is not counted.

The last line printed is a JSON object: worker_peak_rss_mb (target <= 150),
worker_idle_rss_mb, worker_warm_rss_mb, original_mb, processing_seconds (from queuing to
the end of the job), status, and the details they come from.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
MB = 1024 * 1024

# The film: grain on every plane of a 4:4:4 picture keeps MJPEG from compressing it.
WIDTH, HEIGHT, FPS = 640, 360, 5
PICTURE = f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS},format=yuv444p,noise=alls=100:allf=u"
SOUND = "sine=frequency=440:sample_rate=48000"
BASE_SECONDS = 40  # the clip that is looped; about 95 MB
WARMUP_SECONDS = 4  # at least 12 frames: the poster step needs two per candidate
SAMPLE_EVERY = 0.2
FINAL_STATUSES = ("ready", "rejected", "failed", "cancelled", "superseded")
# Variables that could point the run at real data: the run chooses its own.
UNSET = ("DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT", "FILMIT_UPLOAD_DIR", "EMAIL_HOST")


def configure_environment(folder: Path, size_mb: int) -> None:
    """Before django.setup(): this process and the worker use the run's own folder."""
    for name in UNSET:
        os.environ.pop(name, None)
    (folder / "work").mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "FILMIT_VAR_DIR": str(folder / "var"),
            "MEDIA_WORK_DIR": str(folder / "work"),
            "FILMIT_MAX_UPLOAD_BYTES": str(max(8 * 1024**3, 2 * size_mb * MB)),
            "STORAGE_BACKEND": "local",
            "TASKS_BACKEND": "db",
            "DEBUG": "1",
            # One attempt: a failure is reported, not retried behind our back.
            "MEDIA_MAX_ATTEMPTS": "1",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args], check=True
    )


def make_clip(path: Path, seconds: float) -> None:
    ffmpeg(
        *("-f", "lavfi", "-i", PICTURE),
        *("-f", "lavfi", "-i", SOUND),
        *("-t", str(seconds), "-c:v", "mjpeg", "-qmin", "1", "-q:v", "1"),
        *("-c:a", "aac", "-b:a", "192k", "-ac", "2", str(path)),
    )


def make_big_film(folder: Path, size_mb: int) -> Path:
    """The base clip looped by stream copy until the file weighs size_mb MB."""
    base, big = folder / "base.mkv", folder / "film.mkv"
    make_clip(base, BASE_SECONDS)
    ffmpeg(
        *("-stream_loop", "-1", "-i", str(base)),
        *("-map", "0", "-c", "copy", "-fs", str(size_mb * MB), str(big)),
    )
    base.unlink()
    return big


def check_accepted(path: Path, max_duration: float) -> float:
    """The pipeline's own probe and acceptance checks, before the worker gets it; its duration."""
    from media_pipeline import acceptance, ffmpeg_runner, probe

    info = probe.probe(path, deadline=ffmpeg_runner.Deadline(120))
    acceptance.check_media(info, max_duration=max_duration)
    return info.duration


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _sep, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) * 1024
    return values


class RssSampler(threading.Thread):
    """Peak VmRSS of one process (not its children), read every SAMPLE_EVERY seconds."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.samples = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                rss = proc_status(self.pid)["VmRSS"]
            except (OSError, KeyError):
                return  # the process is gone
            self.peak = max(self.peak, rss)
            self.samples += 1
            self.stopped.wait(SAMPLE_EVERY)

    def stop(self) -> int:
        self.stopped.set()
        self.join()
        return self.peak


def start_worker(folder: Path) -> tuple[subprocess.Popen, Path]:
    log = folder / "worker.log"
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        *("--queue-name", "media", "--no-reload", "--no-startup-delay"),
        *("--interval", str(SAMPLE_EVERY)),
    ]
    with open(log, "wb") as out:
        worker = subprocess.Popen(command, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while b"Starting worker" not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return worker, log


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()  # between tasks, db_worker exits at once
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def idle_rss(pid: int, seconds: float = 3.0) -> int:
    """Median VmRSS of a worker waiting for work."""
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples.append(proc_status(pid)["VmRSS"])
        time.sleep(SAMPLE_EVERY)
    return sorted(samples)[len(samples) // 2]


def wait_done(version, worker: subprocess.Popen, *, timeout: float, log: Path):
    """Wait for the version's job to end, and for the worker to finish recording its task."""
    from django.tasks import TaskResultStatus

    from media_pipeline.tasks import process_version_task

    deadline = time.monotonic() + timeout
    shown = -1
    while True:
        version.refresh_from_db()
        if version.status in FINAL_STATUSES:
            break
        if worker.poll() is not None:
            raise SystemExit(f"the worker died:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise SystemExit(f"still {version.status} after {timeout} s")
        if version.status == "processing" and version.percent // 10 > shown:
            shown = version.percent // 10
            print(f"  processing: {version.percent} %", flush=True)
        time.sleep(0.5)
    finished_at = time.monotonic()
    # The task itself ends a moment later (emails, outputs of a replaced version, result row).
    unfinished = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    end = time.monotonic() + 60
    while time.monotonic() < end and worker.poll() is None:
        if version.task_id and process_version_task.get_result(version.task_id).status not in (
            unfinished
        ):
            break
        time.sleep(0.2)
    return finished_at


def make_films():
    from tests import factories

    # Long enough for any --size-mb; the job's timeout is proportional to it.
    category = factories.make_category(max_duration=timedelta(hours=6))
    teacher = factories.make_teacher()
    warmup = factories.make_film(category=category, teacher=teacher)
    film = factories.make_film(category=category, teacher=teacher)
    return teacher, warmup, film


def receive(film, teacher, path: Path):
    from media_pipeline import originals

    return originals.receive_original(
        film=film,
        user=teacher,
        path=path,
        filename=path.name,
        size=path.stat().st_size,
        move=False,
    )


def measure(folder: Path, size_mb: int, *, timeout: float) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    teacher, warmup_film, film = make_films()
    max_duration = film.category.effective_max_duration.total_seconds()

    print(f"Generating a {size_mb} MB film in {folder}…", flush=True)
    started = time.monotonic()
    warmup_path = folder / "warmup.mkv"
    make_clip(warmup_path, WARMUP_SECONDS)
    big = make_big_film(folder, size_mb)
    generate_seconds = time.monotonic() - started
    duration = check_accepted(big, max_duration)
    print(
        f"  {big.stat().st_size / MB:.0f} MB, {duration:.0f} s of film, "
        f"in {generate_seconds:.0f} s",
        flush=True,
    )

    worker, log = start_worker(folder)
    try:
        time.sleep(1)
        idle = idle_rss(worker.pid)
        print(f"Worker {worker.pid} idle: {idle / MB:.1f} MB. Warm-up job…", flush=True)
        warm_version = receive(warmup_film, teacher, warmup_path)
        wait_done(warm_version, worker, timeout=300, log=log)
        if warm_version.status != "ready":
            raise SystemExit(
                f"warm-up film {warm_version.status}: {warm_version.error_code} "
                f"{warm_version.message}\n{warm_version.log_excerpt}"
            )
        time.sleep(1)
        warm = idle_rss(worker.pid)
        print(f"Worker warm: {warm / MB:.1f} MB. Storing the original…", flush=True)

        sampler = RssSampler(worker.pid)
        sampler.start()
        started = time.monotonic()
        version = receive(film, teacher, big)
        queued = time.monotonic()
        print(f"  stored in {queued - started:.1f} s; processing…", flush=True)
        finished = wait_done(version, worker, timeout=timeout, log=log)
        memory = proc_status(worker.pid)
        sampled_peak = sampler.stop()
    finally:
        stop_worker(worker)

    peak = max(memory["VmHWM"], sampled_peak)
    return {
        "worker_peak_rss_mb": round(peak / MB, 1),
        "worker_idle_rss_mb": round(idle / MB, 1),
        "worker_warm_rss_mb": round(warm / MB, 1),
        "worker_peak_over_warm_mb": round((peak - warm) / MB, 1),
        "original_mb": round(version.original_size / MB, 1),
        "processing_seconds": round(finished - queued, 1),
        "status": version.status,
        "error_code": version.error_code,
        "message": version.message if version.status != "ready" else "",
        "film_seconds": round(duration, 1),
        "film": f"{WIDTH}x{HEIGHT} {FPS} fps MJPEG 4:4:4 + AAC, Matroska",
        "store_seconds": round(queued - started, 1),
        "generate_seconds": round(generate_seconds, 1),
        "timings": version.timings,
        "renditions": [r["name"] for r in (version.outputs or {}).get("renditions", [])],
        "worker_vmhwm_mb": round(memory["VmHWM"] / MB, 1),
        "worker_sampled_peak_rss_mb": round(sampled_peak / MB, 1),
        "rss_samples": sampler.samples,
        "cpu_count": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=2048, help="size of the original film")
    parser.add_argument(
        "--keep", type=Path, help="make the run's folder in DIR and keep it (film, outputs, log)"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds allowed for the processing"
    )
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="filmit-worker-bench-", dir=args.keep)).resolve()
    configure_environment(folder, args.size_mb)
    try:
        report = measure(folder, args.size_mb, timeout=args.timeout)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(
        f"Worker RSS: {report['worker_idle_rss_mb']} MB idle, {report['worker_warm_rss_mb']} MB "
        f"after a small job, {report['worker_peak_rss_mb']} MB at peak while processing a "
        f"{report['original_mb']} MB original ({report['status']}, "
        f"{report['processing_seconds']} s)"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
