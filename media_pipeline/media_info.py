"""What ffprobe and short decodes tell about a file: plain facts, no process run here.

Read by the probe, checked by media_pipeline.acceptance, used by the transcoding plan.
"""

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class VideoStream:
    codec: str
    profile: str
    pix_fmt: str
    width: int
    height: int
    sample_aspect_ratio: Fraction
    rotation: int
    avg_frame_rate: Fraction | None
    r_frame_rate: Fraction | None
    field_order: str
    color_transfer: str
    color_primaries: str
    color_space: str
    duration: float | None

    @property
    def hdr_transfer(self) -> str | None:
        """The HDR transfer function (PQ or HLG), None for SDR."""
        return self.color_transfer if self.color_transfer in HDR_TRANSFERS else None


HDR_TRANSFERS = frozenset({"smpte2084", "arib-std-b67"})


@dataclass(frozen=True)
class AudioStream:
    codec: str
    profile: str
    channels: int
    sample_rate: int


@dataclass(frozen=True)
class PacketStats:
    """What the first packets of the video stream say about its timing."""

    frame_interval: float | None  # seconds between two frames, rounding undone
    variable: bool  # the intervals differ: variable frame rate
    max_keyframe_interval: float | None


@dataclass(frozen=True)
class MediaInfo:
    format_name: str
    duration: float | None
    size: int
    video: VideoStream | None
    audio: AudioStream | None
    packets: PacketStats | None = None
    start_time: float = 0.0

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as shown: square pixels, rotation applied."""
        video = self.video
        width = video.width
        if video.sample_aspect_ratio and video.sample_aspect_ratio != 1:
            width = round(video.width * video.sample_aspect_ratio)
        height = video.height
        if video.rotation % 180 == 90:
            width, height = height, width
        return width, height

    @property
    def frame_rate(self) -> Fraction | None:
        """The source's frame rate: measured on packets first, as containers often lie."""
        packets = self.packets
        if packets and packets.frame_interval:
            measured = Fraction(1 / packets.frame_interval).limit_denominator(1001)
            declared = self.video.avg_frame_rate or self.video.r_frame_rate
            # Keep the exact declared rate (30000/1001) when the measure agrees with it.
            if declared and abs(float(declared) - float(measured)) <= 0.01 * float(declared):
                return declared
            return measured
        return self.video.avg_frame_rate or self.video.r_frame_rate


@dataclass(frozen=True)
class DecodeCheck:
    head_frames: int
    interlaced_frames: int
    progressive_frames: int


@dataclass(frozen=True)
class Loudness:
    integrated: float
    true_peak: float
    lra: float
    threshold: float
    offset: float
