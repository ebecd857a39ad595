"""The media pipeline's entry point: a local source file in, every output in a folder.

Pure: no model, no storage, no URL. The caller has copied the original into a per-job
temporary folder under a server-chosen name; tasks and the process_media command both
call run_pipeline and store what it returns.
"""

import dataclasses
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from media_pipeline import ffmpeg_runner as runner
from media_pipeline import posters, probe, rules, transcode

READY, REJECTED, FAILED = "ready", "rejected", "failed"
TIMEOUT = "timeout"
FFMPEG_FAILED = "ffmpeg_failed"
DEFAULT_LOUDNESS_TARGET = -16.0
# What a run writes into out_dir, removed first so that a re-run never mixes two results.
OUTPUT_NAMES = (transcode.HLS_DIR, transcode.MP4_FILE, "posters", "storyboard")


@dataclass
class Rendition:
    name: str
    width: int
    height: int
    bitrate: int
    path: str  # relative to out_dir


@dataclass
class PipelineResult:
    status: str  # "ready" | "rejected" | "failed"
    error_code: str | None = None
    message: str = ""
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    renditions: list[Rendition] = field(default_factory=list)
    hls: str | None = None
    mp4: str | None = None
    posters: list[str] = field(default_factory=list)
    storyboard: dict | None = None
    timings: dict[str, float] = field(default_factory=dict)
    log_excerpt: str = ""
    # Whether the top rendition is a stream copy of the source (fast path).
    fast_path: bool = False

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.timings[name] = round(time.monotonic() - start, 3)


def run_pipeline(
    *,
    source: Path,
    out_dir: Path,
    max_duration: float | None = None,
    loudness_target: float | None = None,
    progress: Callable[[float], None] | None = None,
    timeout: float | None = None,
) -> PipelineResult:
    """Probe, validate and transcode `source` into `out_dir`; never raises for bad media.

    `progress` receives a percentage; it may raise to cancel, which kills ffmpeg and
    propagates. `timeout` bounds the whole run: past it ffmpeg is killed and the result
    is failed with the code "timeout".
    """
    return process(
        source=Path(source),
        out_dir=Path(out_dir),
        max_duration=max_duration,
        loudness_target=loudness_target,
        progress=progress,
        timeout=timeout,
    )


def process(
    *,
    source: Path,
    out_dir: Path,
    max_duration: float | None = None,
    loudness_target: float | None = None,
    progress: Callable[[float], None] | None = None,
    timeout: float | None = None,
    allow_fast_path: bool = True,
) -> PipelineResult:
    """run_pipeline, with the fast path switchable for the benchmark's comparison."""
    if loudness_target is None:
        loudness_target = getattr(settings, "FILMIT_LOUDNESS_TARGET", DEFAULT_LOUDNESS_TARGET)
    timer = _Timer()
    deadline = runner.Deadline(timeout)
    out_dir.mkdir(parents=True, exist_ok=True)
    clear_outputs(out_dir)
    started = time.monotonic()
    try:
        result = _process(
            source=source,
            out_dir=out_dir,
            max_duration=max_duration,
            loudness_target=loudness_target,
            progress=progress,
            deadline=deadline,
            timer=timer,
            allow_fast_path=allow_fast_path,
        )
    except rules.MediaRejected as rejection:
        result = PipelineResult(REJECTED, rejection.code, rejection.message)
    except runner.FfmpegTimeout as error:
        result = PipelineResult(FAILED, TIMEOUT, _timeout_message(), log_excerpt=error.log)
    except runner.FfmpegError as error:
        result = PipelineResult(FAILED, FFMPEG_FAILED, _failure_message(), log_excerpt=error.log)
    if result.status != READY:
        clear_outputs(out_dir)
    timer.timings["total"] = round(time.monotonic() - started, 3)
    result.timings = timer.timings
    return result


def _process(
    *,
    source: Path,
    out_dir: Path,
    max_duration: float | None,
    loudness_target: float,
    progress: Callable[[float], None] | None,
    deadline: runner.Deadline,
    timer: _Timer,
    allow_fast_path: bool,
) -> PipelineResult:
    with timer.step("probe"):
        info = probe.probe(source, deadline=deadline)
        rules.check_media(info, max_duration=max_duration)
    with timer.step("analysis"):
        analysis = probe.analyse(source, info, loudness_target=loudness_target, deadline=deadline)
    plan = transcode.make_plan(
        source=source,
        info=info,
        check=analysis.check,
        loudness=analysis.loudness,
        loudness_target=loudness_target,
        allow_fast_path=allow_fast_path,
    )
    with timer.step("transcode"):
        transcode.transcode(plan, out_dir=out_dir, deadline=deadline, progress=progress)
    with timer.step("posters"):
        poster_paths = sorted(
            str(path.relative_to(out_dir)) for path in (out_dir / "posters").glob("*.jpg")
        )
    with timer.step("storyboard"):
        posters.write_storyboard_vtt(out_dir=out_dir, plan=plan.storyboard, duration=plan.duration)
    if progress is not None:
        progress(100.0)
    return _ready(info, plan, poster_paths)


def _ready(
    info: probe.MediaInfo, plan: transcode.TranscodePlan, poster_paths: list[str]
) -> PipelineResult:
    width, height = info.display_size
    return PipelineResult(
        READY,
        None,
        _("La vidéo est prête."),
        duration=round(info.duration, 3),
        width=width,
        height=height,
        renditions=[
            Rendition(
                name=rung.name,
                width=rung.width,
                height=rung.height,
                bitrate=rung.bitrate,
                path=f"{transcode.HLS_DIR}/{rung.name}/index.m3u8",
            )
            for rung in plan.rungs
        ],
        hls=transcode.MASTER_PLAYLIST,
        mp4=transcode.MP4_FILE,
        posters=poster_paths,
        storyboard={"image": posters.STORYBOARD_IMAGE, "vtt": posters.STORYBOARD_VTT},
        fast_path=plan.copy_video,
    )


def clear_outputs(out_dir: Path) -> None:
    for name in OUTPUT_NAMES:
        path = out_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _timeout_message() -> str:
    return _(
        "Le traitement de la vidéo a pris trop de temps et a été interrompu. Nous allons "
        "réessayer ; si le problème persiste, contactez les organisateurs."
    )


def _failure_message() -> str:
    return _(
        "Le traitement de la vidéo a échoué. Nous allons réessayer ; si le problème "
        "persiste, contactez les organisateurs."
    )
