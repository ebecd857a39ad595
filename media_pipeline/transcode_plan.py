"""What to make of a validated source: the rungs, their bitrates, the frame rate, colours, and
whether the fast path may copy it. Pure decisions over the probe's facts; media_pipeline.transcode
turns a plan into ffmpeg runs.
"""

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from django.conf import settings

from media_pipeline import hls, posters
from media_pipeline.media_info import DecodeCheck, Loudness, MediaInfo
from media_pipeline.probe import interlacing

# Short side of each rung and its average video bitrate.
LADDER = ((1080, 5_000_000), (720, 2_800_000), (480, 1_400_000), (360, 800_000))
# Peak rate allowed over the VBV buffer: enough room for action scenes, still a firm
# ceiling that the master playlist can announce.
MAXRATE_FACTOR = 1.5
BUFSIZE_SECONDS = 2
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


def copied_segments_fit(playlist: Path) -> bool:
    """Whether a copied rendition's segments are all as short as the fast path promises."""
    return max(hls.segment_durations(playlist), default=0.0) <= COPY_MAX_SEGMENT_SECONDS


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)
