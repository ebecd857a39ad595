"""The ffmpeg runs that turn a validated source into every output, following its plan
(media_pipeline.transcode_plan).

Re-encoding: the source is decoded once; `split` feeds the HLS ladder, the poster
candidates and the storyboard. The top rung is encoded once and written both as an HLS
variant and as the progressive MP4 through the tee muxer, and all renditions share one
audio encode.

Fast path (the source already plays everywhere): a first run copies the source's video
as the top rendition and the MP4 and decodes only its keyframes for the posters and a
first storyboard, so the film can be watched within seconds; a second run decodes it
once for the lower rungs and an exact storyboard, and writes a master playlist that
lists them all.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import ffmpeg

from media_pipeline import ffmpeg_runner as runner
from media_pipeline import filters, hls, posters
from media_pipeline.hls import HLS_DIR, Rendition
from media_pipeline.transcode_plan import SEGMENT_SECONDS, Rung, TranscodePlan

AUDIO_BITRATE = 128_000
MP4_FILE = "film.mp4"


def rung_folder(rung: Rung, *, folder: str = "") -> str:
    """Where a rung's playlist and segments go: hls/720p, or 720p inside a second run's folder."""
    return f"{folder or HLS_DIR}/{rung.name}"


def storyboard_paths(folder: str = "") -> tuple[str, str]:
    """The storyboard sprite and its WebVTT track, side by side."""
    if not folder:
        return posters.STORYBOARD_IMAGE, posters.STORYBOARD_VTT
    return f"{folder}/{posters.STORYBOARD_IMAGE}", f"{folder}/{posters.STORYBOARD_VTT}"


def _untrusted_input(plan: TranscodePlan, **options):
    return ffmpeg.input(runner.file_url(plan.source), **options, **runner.untrusted_input_options())


def _command(spec) -> list[str]:
    return [
        runner.FFMPEG,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "warning",
        "-y",
        "-progress",
        "pipe:1",
        "-nostats",
        *ffmpeg.get_args(spec),
    ]


def build_command(plan: TranscodePlan) -> list[str]:
    """The source's first (or only) run, built with ffmpeg-python.

    Re-encoding: every output from one decode. Fast path: the copied top rendition, the
    MP4, the posters and a first storyboard (see build_first_pass_command).
    """
    if plan.copy_video:
        return build_first_pass_command(plan)
    source = _untrusted_input(plan)
    # split's outputs: posters, storyboard, then one per rung.
    copies = filters.video_chain(source["v:0"], plan).split()
    videos = [copies[2]] + [
        copies[3 + index].filter("scale", rung.width, rung.height)
        for index, rung in enumerate(plan.rungs[1:])
    ]
    poster_stream = posters.poster_branch(
        copies[0], duration=plan.duration, frame_rate=plan.frame_rate
    )
    renditions = ffmpeg.output(
        *videos,
        filters.audio_stream(source, plan),
        _tee_target(plan, plan.rungs, mp4=True),
        **_encoding_options(plan, plan.rungs),
    )
    return _command(
        ffmpeg.merge_outputs(
            renditions,
            posters.poster_output(poster_stream),
            posters.storyboard_output(posters.storyboard_branch(copies[1], plan.storyboard)),
        )
    )


def build_first_pass_command(plan: TranscodePlan) -> list[str]:
    """Fast path, first run: what makes the film watchable, without decoding all of it.

    The video is copied (HLS top rung and MP4, through tee); a second reading of the same
    file decodes only its keyframes (`-skip_frame nokey`), among which the thumbnail filter
    picks the poster candidates and the storyboard takes its tiles.
    """
    source = _untrusted_input(plan)
    keyframes = _untrusted_input(plan, skip_frame="nokey")
    interval = plan.keyframe_interval or SEGMENT_SECONDS
    # The last keyframe is held to the end of the film, so that the samplers below find
    # a picture for every instant: a one-second film may have a single keyframe, and the
    # spacing was measured on the first packets only. Held frames are references, and
    # the samplers thin them at once.
    pictures = (
        filters.picture_chain(keyframes["v:0"], plan)
        .filter("tpad", stop_mode="clone", stop_duration=f"{plan.duration + 1:.3f}")
        .split()
    )
    poster_stream = posters.poster_branch(
        pictures[0],
        duration=plan.duration,
        frame_rate=plan.frame_rate,
        sampled_rate=Fraction(1) / Fraction(interval).limit_denominator(1000),
    )
    renditions = ffmpeg.output(
        source["v:0"],
        filters.audio_stream(source, plan),
        _tee_target(plan, [plan.top], mp4=True),
        **_encoding_options(plan, [plan.top], copy_top=True),
    )
    return _command(
        ffmpeg.merge_outputs(
            renditions,
            posters.poster_output(poster_stream),
            posters.storyboard_output(
                posters.storyboard_branch(pictures[1], plan.storyboard, end=plan.duration)
            ),
        )
    )


def build_lower_rungs_command(plan: TranscodePlan, *, folder: str = "") -> list[str]:
    """Fast path, second run: one decode for every rung below the copied top one.

    Its storyboard replaces the first run's, whose tiles could only show keyframes.
    """
    source = _untrusted_input(plan)
    lower = plan.rungs[1:]
    copies = filters.video_chain(source["v:0"], plan).split()
    videos = [
        copies[1 + index].filter("scale", rung.width, rung.height)
        for index, rung in enumerate(lower)
    ]
    renditions = ffmpeg.output(
        *videos,
        filters.audio_stream(source, plan),
        _tee_target(plan, lower, folder=folder, mp4=False),
        **_encoding_options(plan, lower),
    )
    storyboard = posters.storyboard_branch(copies[0], plan.storyboard)
    image, _vtt = storyboard_paths(folder)
    return _command(
        ffmpeg.merge_outputs(renditions, posters.storyboard_output(storyboard, path=image))
    )


def _encoding_options(
    plan: TranscodePlan, rungs: list[Rung], *, copy_top: bool = False
) -> dict[str, object]:
    """Output options of the renditions' run; `copy_top` copies the first rung's video."""
    options: dict[str, object] = {
        "f": "tee",
        "map_metadata": -1,  # phones write GPS positions: pupils' whereabouts stay private
        "map_chapters": -1,
        "max_muxing_queue_size": 4096,
    }
    gop = max(1, round(plan.frame_rate * SEGMENT_SECONDS))
    for index, rung in enumerate(rungs):
        if index == 0 and copy_top:
            options["c:v:0"] = "copy"
            continue
        options.update(
            {
                f"c:v:{index}": "libx264",
                f"preset:v:{index}": plan.preset,
                f"profile:v:{index}": "high",
                f"pix_fmt:v:{index}": "yuv420p",
                f"b:v:{index}": rung.bitrate,
                f"maxrate:v:{index}": rung.maxrate,
                f"bufsize:v:{index}": rung.bufsize,
                # Same keyframe grid on every rung, no scene-cut keyframes: segments of
                # all renditions start at the same instants and players switch cleanly.
                f"g:v:{index}": gop,
                f"keyint_min:v:{index}": gop,
                f"sc_threshold:v:{index}": 0,
                f"color_primaries:v:{index}": "bt709",
                f"color_trc:v:{index}": "bt709",
                f"colorspace:v:{index}": "bt709",
                f"flags:v:{index}": "+global_header",
            }
        )
    if plan.audio == "copy":
        options["c:a"] = "copy"
    else:
        options.update(
            {"c:a": "aac", "b:a": AUDIO_BITRATE, "ar": 48000, "ac": 2, "flags:a": "+global_header"}
        )
    return options


def _tee_target(plan: TranscodePlan, rungs: list[Rung], *, folder: str = "", mp4: bool) -> str:
    """Each rung as an fMP4 HLS variant, and with `mp4` the first one again as a faststart MP4."""
    audio_index = len(rungs)
    slaves = []
    for index, rung in enumerate(rungs):
        path = rung_folder(rung, folder=folder)
        options = {
            "select": f"{index},{audio_index}",
            "f": "hls",
            "hls_time": SEGMENT_SECONDS,
            "hls_playlist_type": "vod",
            "hls_segment_type": "fmp4",
            "hls_fmp4_init_filename": "init.mp4",
            "hls_segment_filename": f"{path}/segment-%05d.m4s",
            "hls_flags": "independent_segments",
        }
        slaves.append(_tee_slave(options, f"{path}/index.m3u8"))
    if mp4:
        options = {"select": f"0,{audio_index}", "f": "mp4", "movflags": "+faststart"}
        slaves.append(_tee_slave(options, MP4_FILE))
    return "|".join(slaves)


def _tee_slave(options: dict[str, object], path: str) -> str:
    return "[" + ":".join(f"{key}={value}" for key, value in options.items()) + "]" + path


def prepare_out_dir(
    out_dir: Path, plan: TranscodePlan, *, rungs: list[Rung] | None = None, folder: str = ""
) -> None:
    """The folders ffmpeg writes into (its muxers do not make them)."""
    for rung in plan.rungs if rungs is None else rungs:
        (out_dir / rung_folder(rung, folder=folder)).mkdir(parents=True, exist_ok=True)
    image, _vtt = storyboard_paths(folder)
    for relative in (posters.POSTER_PATTERN, image):
        (out_dir / relative).parent.mkdir(parents=True, exist_ok=True)


def transcode(
    plan: TranscodePlan,
    *,
    out_dir: Path,
    deadline: runner.Deadline,
    progress: runner.ProgressCallback | None = None,
) -> list[Rendition]:
    """The first (or only) run; returns the renditions it made, listed in hls/master.m3u8.

    On the fast path that is the copied top rung alone: transcode_lower_rungs adds the others.
    """
    made = plan.rungs[:1] if plan.copy_video else plan.rungs
    prepare_out_dir(out_dir, plan, rungs=made)
    runner.run(
        build_command(plan),
        deadline=deadline,
        cwd=out_dir,
        duration=plan.duration,
        progress=progress or (lambda percent: None),
    )
    renditions = [hls.measure_rendition(out_dir, rung, rung_folder(rung)) for rung in made]
    hls.write_master_playlist(out_dir=out_dir, renditions=renditions, frame_rate=plan.frame_rate)
    return renditions


def transcode_lower_rungs(
    plan: TranscodePlan,
    *,
    out_dir: Path,
    top: Rendition,
    folder: str = "",
    deadline: runner.Deadline,
    progress: runner.ProgressCallback | None = None,
) -> list[Rendition]:
    """The fast path's second run, into `folder` (hls/ itself when empty).

    Writes a master playlist there that lists `top`, made by the first run, then the new
    rungs; returns them in that order.
    """
    prepare_out_dir(out_dir, plan, rungs=plan.rungs[1:], folder=folder)
    runner.run(
        build_lower_rungs_command(plan, folder=folder),
        deadline=deadline,
        cwd=out_dir,
        duration=plan.duration,
        progress=progress or (lambda percent: None),
    )
    renditions = [top] + [
        hls.measure_rendition(out_dir, rung, rung_folder(rung, folder=folder))
        for rung in plan.rungs[1:]
    ]
    hls.write_master_playlist(
        out_dir=out_dir, renditions=renditions, frame_rate=plan.frame_rate, folder=folder
    )
    return renditions
