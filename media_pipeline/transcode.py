"""The ffmpeg runs that turn a validated source into every output.

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

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg
from django.conf import settings

from media_pipeline import ffmpeg_runner as runner
from media_pipeline import hls, posters
from media_pipeline.hls import HLS_DIR, Rendition
from media_pipeline.media_info import DecodeCheck, Loudness, MediaInfo
from media_pipeline.probe import interlacing, loudness_filter_args

# Short side of each rung and its average video bitrate.
LADDER = ((1080, 5_000_000), (720, 2_800_000), (480, 1_400_000), (360, 800_000))
# Peak rate allowed over the VBV buffer: enough room for action scenes, still a firm
# ceiling that the master playlist can announce.
MAXRATE_FACTOR = 1.5
BUFSIZE_SECONDS = 2
AUDIO_BITRATE = 128_000
SEGMENT_SECONDS = 4
MAX_FRAME_RATE = 60
STANDARD_RATES = (
    Fraction(24000, 1001),
    Fraction(24),
    Fraction(25),
    Fraction(30000, 1001),
    Fraction(30),
    Fraction(48),
    Fraction(50),
    Fraction(60000, 1001),
    Fraction(60),
)
DEFAULT_PRESET = "veryfast"

MP4_FILE = "film.mp4"

# What the fast path accepts as already playable everywhere.
COPY_PROFILES = frozenset({"Constrained Baseline", "Baseline", "Main", "High"})
COPY_MAX_LONG_SIDE = 1920
COPY_MAX_SHORT_SIDE = 1080
# Longer GOPs make HLS segments (cut on keyframes) too long to switch renditions well.
COPY_MAX_KEYFRAME_INTERVAL = 2.5 * SEGMENT_SECONDS
# The HLS muxer cuts a copied rendition at the first keyframe past each 4 s: with keyframes
# at most 10 s apart, no segment is longer than this.
COPY_MAX_SEGMENT_SECONDS = COPY_MAX_KEYFRAME_INTERVAL + SEGMENT_SECONDS
# A copied soundtrack must already be this close to the loudness target.
COPY_LOUDNESS_TOLERANCE = 1.0
COPY_MAX_TRUE_PEAK = -1.0


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    bitrate: int

    @property
    def maxrate(self) -> int:
        return int(self.bitrate * MAXRATE_FACTOR)

    @property
    def bufsize(self) -> int:
        return self.bitrate * BUFSIZE_SECONDS


@dataclass(frozen=True)
class TranscodePlan:
    source: Path
    duration: float
    rungs: list[Rung]
    frame_rate: Fraction
    deinterlace: str  # "", "interlaced" (every frame) or "detected" (frames idet flags)
    hdr_transfer: str | None
    hdr_matrix: str
    hdr_primaries: str
    source_matrix: str  # the source's YUV matrix, as the scale filter names it
    copy_video: bool
    audio: str  # "copy", "encode" or "silence"
    loudness: Loudness | None
    loudness_target: float
    preset: str
    storyboard: posters.StoryboardPlan
    # Longest gap between two keyframes of the source (the fast path's first run samples
    # posters among keyframes only).
    keyframe_interval: float | None = None

    @property
    def top(self) -> Rung:
        return self.rungs[0]


def plan_ladder(width: int, height: int) -> list[Rung]:
    """The rungs for a source of this displayed size: never enlarged, portrait-aware.

    The top rung keeps the source's own size up to 1080p; the standard rungs below it follow.
    A 320x180 source therefore gets a single 180p rung.
    """
    short_side = min(width, height)
    top = min(short_side, LADDER[0][0])
    sides = [top] + [side for side, _ in LADDER if side < top]
    return [_rung(side, width, height) for side in sides]


def _rung(side: int, width: int, height: int) -> Rung:
    scale = side / min(width, height)
    rung_width = min(_even(width * scale), width - width % 2)
    rung_height = min(_even(height * scale), height - height % 2)
    return Rung(name=f"{side}p", width=rung_width, height=rung_height, bitrate=rung_bitrate(side))


def rung_bitrate(side: int) -> int:
    """The ladder's bitrate, interpolated for a source between rungs, by area below 360p."""
    points = sorted(LADDER)
    if side <= points[0][0]:
        return max(150_000, int(round(points[0][1] * (side / points[0][0]) ** 2, -3)))
    for (low, low_rate), (high, high_rate) in zip(points, points[1:], strict=False):
        if side <= high:
            return int(round(low_rate + (high_rate - low_rate) * (side - low) / (high - low), -3))
    return points[-1][1]


def output_frame_rate(rate: Fraction) -> Fraction:
    """The source's rate, halved (or more) above 60 fps, snapped to the usual rates."""
    divisor = 1
    while rate / divisor > MAX_FRAME_RATE:
        divisor += 1
    rate = rate / divisor
    nearest = min(STANDARD_RATES, key=lambda standard: abs(standard - rate))
    if abs(nearest - rate) <= rate / 100:
        return nearest
    return Fraction(max(1, round(rate)))


def make_plan(
    *,
    source: Path,
    info: MediaInfo,
    check: DecodeCheck,
    loudness: Loudness | None,
    loudness_target: float,
    allow_fast_path: bool = True,
) -> TranscodePlan:
    width, height = info.display_size
    rungs = plan_ladder(width, height)
    duration = info.duration
    video = info.video
    copy_video = allow_fast_path and can_copy_video(info, check)
    return TranscodePlan(
        source=source,
        duration=duration,
        rungs=rungs,
        frame_rate=output_frame_rate(info.frame_rate),
        deinterlace=interlacing(info, check),
        hdr_transfer=video.hdr_transfer,
        hdr_matrix=video.color_space or "bt2020nc",
        hdr_primaries=video.color_primaries or "bt2020",
        source_matrix=source_matrix(video.color_space, coded_height=video.height),
        copy_video=copy_video,
        audio=_audio_mode(info, loudness, loudness_target, copy_video=copy_video),
        loudness=loudness,
        loudness_target=loudness_target,
        preset=getattr(settings, "FILMIT_X264_PRESET", DEFAULT_PRESET),
        storyboard=posters.plan_storyboard(
            duration=duration, width=rungs[0].width, height=rungs[0].height
        ),
        keyframe_interval=info.packets.max_keyframe_interval if info.packets else None,
    )


# ffprobe's colour space names -> the scale filter's matrix names.
SCALE_MATRICES = {
    "bt709": "bt709",
    "bt470bg": "bt601",
    "smpte170m": "bt601",
    "bt2020nc": "bt2020",
    "bt2020c": "bt2020",
    "smpte240m": "smpte240m",
    "fcc": "fcc",
}


def source_matrix(color_space: str, *, coded_height: int) -> str:
    """The matrix to read the source with; untagged files follow the players' convention.

    swscale reads an untagged file as BT.601, but players (and cameras) take HD as BT.709:
    guessing like them keeps the colours the teacher saw while editing.
    """
    if color_space in SCALE_MATRICES:
        return SCALE_MATRICES[color_space]
    return "bt709" if coded_height >= 720 else "bt601"


def can_copy_video(info: MediaInfo, check: DecodeCheck) -> bool:
    """Fast path: the source video already plays everywhere as the top rendition.

    A copied rendition is cut into segments at the source's own keyframes, off the 4 s grid
    of the encoded rungs; players switch renditions on timestamps, so that only matters
    when keyframes are far apart, hence the limit on their spacing.
    """
    video, packets = info.video, info.packets
    width, height = info.display_size
    rate = info.frame_rate
    return (
        video.codec == "h264"
        and video.pix_fmt == "yuv420p"
        and video.profile in COPY_PROFILES
        and video.hdr_transfer is None
        and video.rotation == 0
        and video.sample_aspect_ratio == 1
        and video.field_order == "progressive"
        and interlacing(info, check) == ""
        and max(width, height) <= COPY_MAX_LONG_SIDE
        and min(width, height) <= COPY_MAX_SHORT_SIDE
        and width % 2 == 0
        and height % 2 == 0
        and packets is not None
        and not packets.variable
        and packets.max_keyframe_interval is not None
        and packets.max_keyframe_interval <= COPY_MAX_KEYFRAME_INTERVAL
        and rate is not None
        and output_frame_rate(rate) == rate
    )


def _audio_mode(
    info: MediaInfo, loudness: Loudness | None, target: float, *, copy_video: bool
) -> str:
    """Copy the soundtrack only on the fast path and only when it needs no work at all.

    Choice: re-encoding AAC costs almost nothing next to video, so a copied top rendition
    keeps its source sound only when that is already AAC-LC stereo 48 kHz within ±1 LU
    of the target and below -1 dBTP; anything else is normalised and re-encoded.
    """
    audio = info.audio
    if audio is None:
        return "silence"
    if (
        copy_video
        and audio.codec == "aac"
        and audio.profile == "LC"
        and audio.channels == 2
        and audio.sample_rate == 48000
        and loudness is not None
        and abs(loudness.integrated - target) <= COPY_LOUDNESS_TOLERANCE
        and loudness.true_peak <= COPY_MAX_TRUE_PEAK
    ):
        return "copy"
    return "encode"


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
    copies = _video_chain(source["v:0"], plan).split()
    videos = [copies[2]] + [
        copies[3 + index].filter("scale", rung.width, rung.height)
        for index, rung in enumerate(plan.rungs[1:])
    ]
    poster_stream = posters.poster_branch(
        copies[0], duration=plan.duration, frame_rate=plan.frame_rate
    )
    renditions = ffmpeg.output(
        *videos,
        _audio_stream(source, plan),
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
        _picture_chain(keyframes["v:0"], plan)
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
        _audio_stream(source, plan),
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
    copies = _video_chain(source["v:0"], plan).split()
    videos = [
        copies[1 + index].filter("scale", rung.width, rung.height)
        for index, rung in enumerate(lower)
    ]
    renditions = ffmpeg.output(
        *videos,
        _audio_stream(source, plan),
        _tee_target(plan, lower, folder=folder, mp4=False),
        **_encoding_options(plan, lower),
    )
    storyboard = posters.storyboard_branch(copies[0], plan.storyboard)
    image, _vtt = storyboard_paths(folder)
    return _command(
        ffmpeg.merge_outputs(renditions, posters.storyboard_output(storyboard, path=image))
    )


def _video_chain(video, plan: TranscodePlan):
    """Deinterlace, constant frame rate, SDR BT.709 4:2:0 at the top rung's size."""
    if plan.deinterlace == "interlaced":
        video = video.filter("bwdif", mode="send_frame", deint="all")
    elif plan.deinterlace == "detected":
        # idet marks the frames it finds combed; bwdif then touches only those.
        video = video.filter("idet").filter("bwdif", mode="send_frame", deint="interlaced")
    # Rotation needs no filter: ffmpeg applies the display matrix itself (autorotate) and
    # writes none to the outputs.
    return _picture_chain(video.filter("fps", fps=_fraction(plan.frame_rate)), plan)


def _picture_chain(video, plan: TranscodePlan):
    """SDR BT.709 4:2:0 pictures at the top rung's size."""
    top = plan.top
    if plan.hdr_transfer:
        video = _tone_map(video, plan)
    else:
        video = video.filter(
            "scale",
            top.width,
            top.height,
            in_color_matrix=plan.source_matrix,
            out_color_matrix="bt709",
            out_range="tv",
        )
    return video.filter("setsar", 1).filter("format", "yuv420p")


def _tone_map(video, plan: TranscodePlan):
    """PQ or HLG to SDR BT.709: zimg's linearisation, then Hable's curve.

    Debian 12's ffmpeg 5.1 is built with libzimg (`ffmpeg -filters` lists zscale and
    tonemap), so no fallback is carried; an ffmpeg without zscale fails this graph and the
    job fails with that in its log. Scaling to the top rung happens in the same zscale, so
    a 4K HDR film is tone-mapped at 1080p.
    """
    top = plan.top
    return (
        video.filter(
            "zscale",
            w=top.width,
            h=top.height,
            tin=plan.hdr_transfer,
            min=plan.hdr_matrix,
            pin=plan.hdr_primaries,
            rin="tv",
            t="linear",
            npl=100,
        )
        .filter("format", "gbrpf32le")
        .filter("zscale", p="bt709")
        .filter("tonemap", tonemap="hable", desat=0)
        .filter("zscale", t="bt709", m="bt709", r="tv")
    )


def _audio_stream(source, plan: TranscodePlan):
    if plan.audio == "copy":
        return source["a:0"]
    if plan.audio == "silence":
        silence = ffmpeg.input(
            "anullsrc=channel_layout=stereo:sample_rate=48000", f="lavfi", t=f"{plan.duration}"
        )
        return silence["a:0"]
    audio = source["a:0"].filter("aformat", sample_rates=48000, channel_layouts="stereo")
    if plan.loudness is not None:
        audio = audio.filter("loudnorm", **_loudnorm_second_pass(plan))
    # loudnorm works at 192 kHz; bring it back to 48 kHz stereo for AAC.
    return audio.filter("aresample", 48000).filter(
        "aformat", sample_fmts="fltp", sample_rates=48000, channel_layouts="stereo"
    )


def _loudnorm_second_pass(plan: TranscodePlan) -> dict[str, object]:
    """Two-pass EBU R128: the measured values let loudnorm apply one linear gain."""
    measured = plan.loudness
    return {
        **loudness_filter_args(plan.loudness_target),
        "measured_I": measured.integrated,
        "measured_TP": measured.true_peak,
        "measured_LRA": measured.lra,
        "measured_thresh": measured.threshold,
        "offset": measured.offset,
        "linear": "true",
        "print_format": "none",
    }


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


def copied_segments_fit(playlist: Path) -> bool:
    """Whether a copied rendition's segments are all as short as the fast path promises."""
    return max(hls.segment_durations(playlist), default=0.0) <= COPY_MAX_SEGMENT_SECONDS


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"
