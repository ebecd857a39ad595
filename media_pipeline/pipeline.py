"""The media pipeline's entry points: a local source file in, every output in a folder.

Pure: no model, no storage, no URL. The caller has copied the original into a per-job
temporary folder under a server-chosen name.

- `process`: probe, validate, transcode; the result is a watchable film. On the fast path
  (a source that already plays everywhere) it copies the top rendition and returns the
  names of the lower rungs still to make in `pending_renditions`.
- `add_lower_renditions`: the fast path's second pass, which makes those rungs.
- `run_pipeline`: both, one after the other (the process_media command, tests).

Workers run the two passes as two jobs, so that a compliant film is watchable as soon as
its copy is stored rather than after its whole ladder is encoded.
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

from media_pipeline import acceptance, hls, media_info, posters, probe, transcode, transcode_plan
from media_pipeline import ffmpeg_runner as runner
from media_pipeline.hls import Rendition

READY, REJECTED, FAILED = "ready", "rejected", "failed"
TIMEOUT = "timeout"
FFMPEG_FAILED = "ffmpeg_failed"
DEFAULT_LOUDNESS_TARGET = -16.0
# What a run writes into out_dir, removed first so that a re-run never mixes two results.
OUTPUT_NAMES = (hls.HLS_DIR, transcode.MP4_FILE, "posters", "storyboard")


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
    # Fast path: the rungs add_lower_renditions still has to make, and what it needs to
    # make them without measuring the file again.
    pending_renditions: list[str] = field(default_factory=list)
    analysis: dict | None = None

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
    allow_fast_path: bool = True,
) -> PipelineResult:
    """Probe, validate and transcode `source` into `out_dir`, every rendition included.

    Never raises for bad media. `progress` receives a percentage; it may raise to cancel,
    which kills ffmpeg and propagates. `timeout` bounds the whole run: past it ffmpeg is
    killed and the result is failed with the code "timeout".
    """
    started = time.monotonic()
    first_share = 10.0  # of the progress bar, when a second pass follows

    def first_progress(percent: float) -> None:
        if progress is not None:
            progress(percent * first_share / 100)

    result = process(
        source=Path(source),
        out_dir=Path(out_dir),
        max_duration=max_duration,
        loudness_target=loudness_target,
        progress=first_progress,
        timeout=timeout,
        allow_fast_path=allow_fast_path,
    )
    if result.status != READY or not result.pending_renditions:
        if progress is not None and result.status == READY:
            progress(100.0)
        return result
    remaining = None if timeout is None else max(0.001, timeout - (time.monotonic() - started))
    more = add_lower_renditions(
        source=Path(source),
        out_dir=Path(out_dir),
        analysis=result.analysis,
        top=result.renditions[0],
        progress=(
            None
            if progress is None
            else lambda percent: progress(first_share + percent * (100 - first_share) / 100)
        ),
        timeout=remaining,
    )
    timings = {**result.timings, "lower_renditions": more.timings.get("total", 0.0)}
    timings["total"] = round(time.monotonic() - started, 3)
    if more.status != READY:
        clear_outputs(out_dir)
        more.timings = timings
        return more
    return dataclasses.replace(
        result,
        renditions=more.renditions,
        hls=more.hls,
        storyboard=more.storyboard,
        timings=timings,
        pending_renditions=[],
        analysis=None,
        log_excerpt=(result.log_excerpt + more.log_excerpt),
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
    """The first (or only) pass: a film everyone entitled to it can watch.

    `allow_fast_path=False` re-encodes a compliant source too (the benchmark's baseline).
    """
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
    except acceptance.MediaRejected as rejection:
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
        acceptance.check_media(info, max_duration=max_duration)
    with timer.step("analysis"):
        analysis = probe.analyse(source, info, loudness_target=loudness_target, deadline=deadline)

    def make_plan(fast_path: bool) -> transcode_plan.TranscodePlan:
        return transcode_plan.make_plan(
            source=source,
            info=info,
            check=analysis.check,
            loudness=analysis.loudness,
            loudness_target=loudness_target,
            allow_fast_path=fast_path,
        )

    plan = make_plan(allow_fast_path)
    with timer.step("transcode"):
        renditions = transcode.transcode(
            plan, out_dir=out_dir, deadline=deadline, progress=progress
        )
        if plan.copy_video and not transcode_plan.copied_segments_fit(out_dir / renditions[0].path):
            # Keyframe spacing was measured on the first packets only; further on they are
            # too far apart for segments players can switch and seek in: encode after all.
            clear_outputs(out_dir)
            plan = make_plan(False)
            renditions = transcode.transcode(
                plan, out_dir=out_dir, deadline=deadline, progress=progress
            )
    with timer.step("posters"):
        poster_paths = sorted(
            str(path.relative_to(out_dir)) for path in (out_dir / "posters").glob("*.jpg")
        )
    with timer.step("storyboard"):
        posters.write_storyboard_vtt(out_dir=out_dir, plan=plan.storyboard, duration=plan.duration)
    if progress is not None:
        progress(100.0)
    width, height = info.display_size
    pending = [rung.name for rung in plan.rungs[len(renditions) :]]
    return PipelineResult(
        READY,
        None,
        _("La vidéo est prête."),
        duration=round(info.duration, 3),
        width=width,
        height=height,
        renditions=renditions,
        hls=hls.MASTER_PLAYLIST,
        mp4=transcode.MP4_FILE,
        posters=poster_paths,
        storyboard={"image": posters.STORYBOARD_IMAGE, "vtt": posters.STORYBOARD_VTT},
        fast_path=plan.copy_video,
        pending_renditions=pending,
        analysis=_analysis_record(analysis, loudness_target) if pending else None,
    )


def _analysis_record(analysis: probe.Analysis, loudness_target: float) -> dict:
    """What the second pass needs of the first one's measurements, as JSON."""
    loudness = analysis.loudness
    return {
        "check": dataclasses.asdict(analysis.check),
        "loudness": dataclasses.asdict(loudness) if loudness is not None else None,
        "loudness_target": loudness_target,
    }


def add_lower_renditions(
    *,
    source: Path,
    out_dir: Path,
    analysis: dict,
    top: Rendition | dict,
    folder: str = "",
    progress: Callable[[float], None] | None = None,
    timeout: float | None = None,
) -> PipelineResult:
    """The fast path's second pass: the rungs below the copied top rendition.

    `analysis` and `top` come from the first pass's result. New files go into `folder`
    (a fresh name per attempt, so that two workers never write the same files), with a
    master playlist listing every rendition and an exact storyboard; with no folder they
    go beside the first pass's (hls/, storyboard/). Never raises for bad media: a file
    that changed since the first pass is failed, not rejected.
    """
    timer = _Timer()
    deadline = runner.Deadline(timeout)
    started = time.monotonic()
    top = top if isinstance(top, Rendition) else Rendition(**top)
    try:
        with timer.step("probe"):
            info = probe.probe(source, deadline=deadline)
            acceptance.check_media(info, max_duration=None)
        loudness = analysis.get("loudness")
        plan = transcode_plan.make_plan(
            source=source,
            info=info,
            check=media_info.DecodeCheck(**analysis["check"]),
            loudness=media_info.Loudness(**loudness) if loudness else None,
            loudness_target=analysis["loudness_target"],
        )
        with timer.step("transcode"):
            renditions = transcode.transcode_lower_rungs(
                plan, out_dir=out_dir, top=top, folder=folder, deadline=deadline, progress=progress
            )
        image, vtt = transcode.storyboard_paths(folder)
        with timer.step("storyboard"):
            posters.write_storyboard_vtt(
                out_dir=out_dir, plan=plan.storyboard, duration=plan.duration, path=vtt
            )
        result = PipelineResult(
            READY,
            None,
            _("La vidéo est prête."),
            duration=round(info.duration, 3),
            width=info.display_size[0],
            height=info.display_size[1],
            renditions=renditions,
            hls=hls.master_path(folder),
            mp4=transcode.MP4_FILE,
            storyboard={"image": image, "vtt": vtt},
            fast_path=True,
        )
    except acceptance.MediaRejected as rejection:
        result = PipelineResult(FAILED, rejection.code, _failure_message())
    except runner.FfmpegTimeout as error:
        result = PipelineResult(FAILED, TIMEOUT, _timeout_message(), log_excerpt=error.log)
    except runner.FfmpegError as error:
        result = PipelineResult(FAILED, FFMPEG_FAILED, _failure_message(), log_excerpt=error.log)
    if result.status != READY and folder:
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    timer.timings["total"] = round(time.monotonic() - started, 3)
    result.timings = timer.timings
    return result


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
