"""Running ffmpeg and ffprobe on untrusted files: restricted inputs, deadline, progress, kill.

Command lines are built with ffmpeg-python; they run here through subprocess because
ffmpeg-python's own runner has no timeout, no progress and no way to kill a hung process.
"""

import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"

# Demuxers a teacher's film may come in. Everything else is refused by libavformat itself
# before any parsing: image2 (and the *_pipe image demuxers), playlists (hls, dash, concat),
# text and subtitle demuxers (tty, srt, webvtt...), raw elementary streams and audio-only
# formats. A playlist demuxer would otherwise make ffmpeg open other local files.
VIDEO_DEMUXERS = (
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "avi",
    "mpegts",
    "mpeg",
    "asf",
    "flv",
    "mxf",
    "dv",
)
VIDEO_FORMAT_WHITELIST = ",".join(VIDEO_DEMUXERS)
IMAGE_FORMAT_WHITELIST = "image2,png_pipe,jpeg_pipe,webp_pipe"

# -max_pixels bounds the memory a decoder may allocate for one frame, whatever the header
# claims. ffprobe gets an 8K ceiling (33 Mpx, ~50 MB a frame) so that a 5K or 8K phone
# film is still measured and rejected with its real size in the message; every decoding
# step runs after the 4K rule has passed, with the 4K ceiling plus row/stride padding
# (4096x2304, 9.4 Mpx).
PROBE_MAX_PIXELS = 7680 * 4320
DECODE_MAX_PIXELS = 4096 * 2304

# How much of stderr we keep while a command runs, and hand back on failure.
STDERR_KEEP_BYTES = 64 * 1024
LOG_EXCERPT_BYTES = 4 * 1024


def file_url(path: Path) -> str:
    """An explicit file: URL, so that no part of a name is ever read as a protocol."""
    return "file:" + str(Path(path).resolve())


def untrusted_input_options(
    *, max_pixels: int = DECODE_MAX_PIXELS, formats: str = VIDEO_FORMAT_WHITELIST
) -> dict[str, str]:
    """Input options for every ffmpeg/ffprobe input that comes from a user."""
    return {
        "protocol_whitelist": "file",
        "format_whitelist": formats,
        "max_pixels": str(max_pixels),
    }


class Deadline:
    """One time budget shared by every command of a job."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self._end = None if timeout is None else time.monotonic() + timeout

    def remaining(self) -> float | None:
        if self._end is None:
            return None
        return max(0.0, self._end - time.monotonic())


class FfmpegError(Exception):
    def __init__(self, message: str, *, returncode: int | None, log: str) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.log = log


class FfmpegTimeout(FfmpegError):
    pass


@dataclass
class RunOutput:
    stdout: str
    stderr: str


ProgressCallback = Callable[[float], None]


def run(
    argv: Sequence[str],
    *,
    deadline: Deadline,
    cwd: Path | None = None,
    duration: float | None = None,
    progress: ProgressCallback | None = None,
    check: bool = True,
) -> RunOutput:
    """Run one command; kill it when the deadline passes or when `progress` raises.

    When `progress` is given the command must write `-progress pipe:1`; stdout is then
    parsed line by line instead of being collected.
    """
    remaining = deadline.remaining()
    if remaining is not None and remaining <= 0:
        raise FfmpegTimeout("deadline already passed", returncode=None, log="")
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stderr_tail: deque[bytes] = deque()
    reader = threading.Thread(target=_keep_tail, args=(proc.stderr, stderr_tail), daemon=True)
    reader.start()
    timed_out = threading.Event()
    watchdog = _start_watchdog(proc, remaining, timed_out)
    try:
        stdout = _read_stdout(proc, duration=duration, progress=progress)
        proc.wait()
    except BaseException:
        # A caller cancelling through its progress callback must not leave ffmpeg running.
        proc.kill()
        proc.wait()
        raise
    finally:
        if watchdog is not None:
            watchdog.cancel()
        reader.join()
    stderr = b"".join(stderr_tail).decode("utf-8", "replace")
    if timed_out.is_set():
        raise FfmpegTimeout("timed out", returncode=proc.returncode, log=excerpt(stderr))
    if check and proc.returncode != 0:
        raise FfmpegError(
            f"{argv[0]} exited with {proc.returncode}",
            returncode=proc.returncode,
            log=excerpt(stderr),
        )
    return RunOutput(stdout=stdout, stderr=stderr)


def excerpt(log: str) -> str:
    """The end of a log, where ffmpeg says what went wrong."""
    data = log.encode("utf-8", "replace")[-LOG_EXCERPT_BYTES:]
    return data.decode("utf-8", "ignore")


def _start_watchdog(
    proc: subprocess.Popen, remaining: float | None, fired: threading.Event
) -> threading.Timer | None:
    if remaining is None:
        return None

    def kill() -> None:
        fired.set()
        proc.kill()

    timer = threading.Timer(remaining, kill)
    timer.daemon = True
    timer.start()
    return timer


def _keep_tail(stream, tail: deque[bytes]) -> None:
    """Drain stderr so ffmpeg never blocks on a full pipe, keeping only its end."""
    size = 0
    for chunk in iter(lambda: stream.read(8192), b""):
        tail.append(chunk)
        size += len(chunk)
        while size > STDERR_KEEP_BYTES and len(tail) > 1:
            size -= len(tail.popleft())
    stream.close()


def _read_stdout(
    proc: subprocess.Popen, *, duration: float | None, progress: ProgressCallback | None
) -> str:
    if progress is None:
        data = proc.stdout.read()
        proc.stdout.close()
        return data.decode("utf-8", "replace")
    last = -1.0
    for raw in proc.stdout:
        percent = parse_progress_line(raw.decode("ascii", "replace"), duration)
        if percent is not None and percent > last:
            last = percent
            progress(percent)
    proc.stdout.close()
    return ""


def parse_progress_line(line: str, duration: float | None) -> float | None:
    """Percent done from one `-progress` line (`out_time_us=...` or `progress=end`)."""
    key, _, value = line.strip().partition("=")
    if key == "progress" and value == "end":
        return 100.0
    if key != "out_time_us" or not duration or duration <= 0:
        return None
    try:
        seconds = int(value) / 1_000_000
    except ValueError:  # "N/A" before the first frame is written
        return None
    return round(min(99.9, max(0.0, seconds * 100 / duration)), 1)
