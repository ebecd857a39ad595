"""Looking at an untrusted file before encoding it: sniffing, ffprobe, short decodes.

Every step here reads the file under the restricted input options of ffmpeg_runner and
either returns facts (MediaInfo, decode check, loudness) or raises MediaRejected.
"""

import json
import re
import statistics
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg
from ffmpeg._utils import convert_kwargs_to_cmd_line_args

from media_pipeline import ffmpeg_runner as runner
from media_pipeline.acceptance import Code, reject
from media_pipeline.media_info import (
    AudioStream,
    DecodeCheck,
    Loudness,
    MediaInfo,
    PacketStats,
    VideoStream,
)

SNIFF_BYTES = 4096
# Packets read to measure the frame rhythm and the keyframe spacing: enough for a few
# GOPs, quick even on a 2 GB file because ffprobe stops after this many seconds.
PACKET_SAMPLE_SECONDS = 30
DECODE_CHECK_SECONDS = 1
TAIL_CHECK_SECONDS = 1
INTERLACED_FIELD_ORDERS = frozenset({"tt", "bb", "tb", "bt"})


def sniff(path: Path) -> str | None:
    """Recognise what is certainly not a video from its first bytes, for a precise message.

    Safety does not depend on this: libavformat refuses these formats anyway through the
    demuxer allow-list. Returns a rejection code or None.
    """
    with open(path, "rb") as file:
        head = file.read(SNIFF_BYTES)
    if not head:
        return Code.EMPTY_FILE
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith((b"#EXTM3U", b"ffconcat version")) or b"<MPD" in head:
        return Code.PLAYLIST
    if _is_image(head):
        return Code.IMAGE
    if _is_audio(head):
        return Code.AUDIO_ONLY
    if _is_text(head):
        return Code.TEXT
    return None


def _is_image(head: bytes) -> bool:
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")):
        return True
    if head.startswith((b"II*\x00", b"MM\x00*", b"8BPS")) or b"<svg" in head[:512]:
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    # HEIF/AVIF photos are ISO-BMFF files that the mov demuxer would open.
    return head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"msf1", b"avif"}


def _is_audio(head: bytes) -> bool:
    if head.startswith((b"ID3", b"fLaC", b"#!AMR", b"caff", b"MAC ", b"wvpk")):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return True
    if head[:4] == b"FORM" and head[8:12] in {b"AIFF", b"AIFC"}:
        return True
    if head.startswith(b"OggS") and b"theora" not in head:
        return True
    # MPEG audio frame sync (MP3, ADTS AAC): eleven bits set at the very start.
    return len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    printable = sum(1 for byte in head if byte >= 0x20 or byte in b"\t\r\n\f")
    return printable >= 0.95 * len(head)


def ffprobe_args(source: Path, *, entries: dict[str, object]) -> list[str]:
    """An ffprobe command line on an untrusted file, built with ffmpeg-python's helper.

    ffprobe has no -nostdin (it never reads the terminal); the runner gives it /dev/null.
    """
    options = runner.untrusted_input_options(max_pixels=runner.PROBE_MAX_PIXELS)
    options.update(entries)
    return [
        runner.FFPROBE,
        "-v",
        "error",
        "-of",
        "json",
        *convert_kwargs_to_cmd_line_args(options),
        runner.file_url(source),
    ]


def probe(source: Path, *, deadline: runner.Deadline) -> MediaInfo:
    """Everything the rules need, or MediaRejected when the file is not a readable video.

    One ffprobe call reads the container and stream headers, plus the packets of the
    first seconds (frame rhythm, keyframe spacing).
    """
    code = sniff(source)
    if code:
        raise reject(code)
    args = ffprobe_args(
        source,
        entries={
            "read_intervals": f"%+{PACKET_SAMPLE_SECONDS}",
            "show_format": None,
            "show_streams": None,
            "show_entries": "packet=stream_index,pts_time,flags",
        },
    )
    try:
        output = runner.run(args, deadline=deadline)
    except runner.FfmpegTimeout:
        raise
    except runner.FfmpegError as error:
        raise _probe_failure(error.log) from error
    return parse_probe(json.loads(output.stdout or "{}"), size=source.stat().st_size)


def _probe_failure(log: str):
    too_big = re.search(r"Picture size (\d+)x(\d+) exceeds", log)
    if too_big:
        return reject(Code.RESOLUTION_TOO_HIGH, width=too_big[1], height=too_big[2])
    if "moov atom not found" in log:
        # An MP4 whose index, written last, never arrived: an interrupted copy or upload.
        return reject(Code.TRUNCATED)
    return reject(Code.UNKNOWN_FORMAT)


def parse_probe(data: dict, *, size: int) -> MediaInfo:
    streams = data.get("streams", [])
    fmt = data.get("format", {})
    video = next((s for s in streams if _is_motion_video(s)), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    packets = None
    if video is not None:
        index = video.get("index")
        packets = packet_stats(
            [p for p in data.get("packets", []) if p.get("stream_index") == index]
        )
    return MediaInfo(
        format_name=fmt.get("format_name", ""),
        duration=_positive_float(fmt.get("duration")),
        size=size,
        start_time=_float(fmt.get("start_time")) or 0.0,
        video=_video_stream(video) if video else None,
        audio=_audio_stream(audio) if audio else None,
        packets=packets,
    )


def _is_motion_video(stream: dict) -> bool:
    # Cover art in an M4A or MP3 is a video stream of one picture: not a film.
    return stream.get("codec_type") == "video" and not stream.get("disposition", {}).get(
        "attached_pic"
    )


def _video_stream(stream: dict) -> VideoStream:
    return VideoStream(
        codec=stream.get("codec_name", ""),
        profile=stream.get("profile", ""),
        pix_fmt=stream.get("pix_fmt", ""),
        width=int(stream.get("width") or 0),
        height=int(stream.get("height") or 0),
        sample_aspect_ratio=_ratio(stream.get("sample_aspect_ratio"), ":") or Fraction(1),
        rotation=_rotation(stream),
        avg_frame_rate=_ratio(stream.get("avg_frame_rate")),
        r_frame_rate=_ratio(stream.get("r_frame_rate")),
        field_order=stream.get("field_order", "unknown"),
        color_transfer=stream.get("color_transfer", ""),
        color_primaries=stream.get("color_primaries", ""),
        color_space=stream.get("color_space", ""),
        duration=_stream_duration(stream),
    )


def _audio_stream(stream: dict) -> AudioStream:
    return AudioStream(
        codec=stream.get("codec_name", ""),
        profile=stream.get("profile", ""),
        channels=int(stream.get("channels") or 0),
        sample_rate=int(stream.get("sample_rate") or 0),
    )


def _ratio(value: str | None, separator: str = "/") -> Fraction | None:
    try:
        num, den = (int(part) for part in (value or "").split(separator))
    except ValueError:
        return None
    return Fraction(num, den) if num > 0 and den > 0 else None


def _rotation(stream: dict) -> int:
    """Degrees from the display matrix (or the older `rotate` tag), as 0, 90, 180 or 270."""
    for side_data in stream.get("side_data_list", []):
        if "rotation" in side_data:
            return round(float(side_data["rotation"])) % 360
    rotate = stream.get("tags", {}).get("rotate")
    return round(float(rotate)) % 360 if rotate else 0


def _stream_duration(stream: dict) -> float | None:
    duration = _positive_float(stream.get("duration"))
    if duration is not None:
        return duration
    # Matroska keeps per-stream durations in a tag: "00:01:02.500000000".
    tag = stream.get("tags", {}).get("DURATION", "")
    match = re.fullmatch(r"(\d+):(\d\d):(\d\d(?:\.\d+)?)", tag)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _positive_float(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 and number == number and number != float("inf") else None


def packet_stats(packets: list[dict]) -> PacketStats:
    times = sorted(t for t in (_float(p.get("pts_time")) for p in packets) if t is not None)
    intervals = [b - a for a, b in zip(times, times[1:], strict=False) if b > a]
    if not intervals:
        return PacketStats(frame_interval=None, variable=False, max_keyframe_interval=None)
    median = statistics.median(intervals)
    # Timestamps rounded to a millisecond time base wobble by one tick: that is not VFR.
    tolerance = max(0.0021, 0.05 * median)
    regular = [i for i in intervals if abs(i - median) <= tolerance]
    uneven = len(intervals) - len(regular)
    keyframes = sorted(
        t
        for t, p in ((_float(p.get("pts_time")), p) for p in packets)
        if t is not None and "K" in p.get("flags", "")
    )
    gaps = [b - a for a, b in zip(keyframes, keyframes[1:], strict=False)]
    span = times[-1] - keyframes[-1] if keyframes else times[-1] - times[0]
    return PacketStats(
        # The mean of the regular intervals undoes that rounding: 33, 34, 33 ms is 30 fps.
        frame_interval=statistics.fmean(regular),
        variable=uneven > 0.02 * len(intervals),
        max_keyframe_interval=max([*gaps, span]) if keyframes else None,
    )


def _float(value: object) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Analysis:
    check: DecodeCheck
    loudness: Loudness | None


def analyse(
    source: Path, info: MediaInfo, *, loudness_target: float, deadline: runner.Deadline
) -> Analysis:
    """Check that the film can be read to its end, then decode its start and measure it.

    The end is checked by reading (not decoding) its last packets: a truncated upload, or a
    container claiming hours for a film of seconds, has none there. One ffmpeg run then
    decodes the first second, where idet tells interlacing when the container does not
    say, and measures the soundtrack for the first pass of EBU R128 normalisation, mixed
    as it will be (48 kHz stereo).
    """
    check_end(source, info, deadline=deadline)
    options = runner.untrusted_input_options()
    url = runner.file_url(source)
    head = ffmpeg.input(url, t=DECODE_CHECK_SECONDS, **options)
    outputs = [head["v:0"].filter("idet").output("-", f="null")]
    if info.audio is not None:
        sound = ffmpeg.input(url, vn=None, **options)["a:0"]
        measure = sound.filter("aformat", sample_rates=48000, channel_layouts="stereo").filter(
            "loudnorm", print_format="json", **loudness_filter_args(loudness_target)
        )
        outputs.append(measure.output("-", f="null"))
    spec = ffmpeg.merge_outputs(*outputs)
    args = [runner.FFMPEG, "-nostdin", "-hide_banner", "-nostats", *ffmpeg.get_args(spec)]
    try:
        output = runner.run(args, deadline=deadline)
    except runner.FfmpegTimeout:
        raise
    except runner.FfmpegError as error:
        raise reject(Code.UNDECODABLE) from error
    check = parse_idet(output.stderr)
    if check.head_frames == 0:
        raise reject(Code.UNDECODABLE)
    loudness = parse_loudness(output.stderr) if info.audio is not None else None
    return Analysis(check=check, loudness=loudness)


def check_end(source: Path, info: MediaInfo, *, deadline: runner.Deadline) -> None:
    """Raise TRUNCATED unless the video has packets in its last second.

    Demuxing only: decoding the last GOP of a heavy camera file would cost seconds of CPU.
    """
    # The video may end before the audio: its own duration says where its last frames are.
    # Timestamps are absolute, so the container's start time is added.
    video_end = info.start_time + (info.video.duration or info.duration or 0)
    tail_start = max(info.start_time, video_end - TAIL_CHECK_SECONDS)
    args = ffprobe_args(
        source,
        entries={
            "select_streams": "v:0",
            "read_intervals": f"{tail_start:.3f}%",
            "show_entries": "packet=pts_time",
        },
    )
    try:
        output = runner.run(args, deadline=deadline)
    except runner.FfmpegTimeout:
        raise
    except runner.FfmpegError as error:
        raise reject(Code.TRUNCATED) from error
    packets = json.loads(output.stdout or "{}").get("packets", [])
    times = [t for t in (_float(p.get("pts_time")) for p in packets) if t is not None]
    if not times or max(times) < tail_start:
        raise reject(Code.TRUNCATED)


_IDET = re.compile(
    r"\[Parsed_idet_(\d+) @ [^\]]+\] Multi frame detection: TFF:\s*(\d+) BFF:\s*(\d+) "
    r"Progressive:\s*(\d+) Undetermined:\s*(\d+)"
)


def parse_idet(log: str) -> DecodeCheck:
    counts: dict[str, tuple[int, int, int, int]] = {}
    for match in _IDET.finditer(log):
        graph, tff, bff, progressive, undetermined = match.groups()
        counts[graph] = (int(tff), int(bff), int(progressive), int(undetermined))
    head = counts.get("0", (0, 0, 0, 0))
    return DecodeCheck(
        head_frames=sum(head),
        interlaced_frames=head[0] + head[1],
        progressive_frames=head[2],
    )


def interlacing(info: MediaInfo, check: DecodeCheck) -> str:
    """Return "interlaced" when the stream says so, "detected" when only idet does, else "".

    idet is fooled by some progressive content (sharp horizontal edges in motion), so a
    detection alone only deinterlaces the frames idet flags, never the whole film.
    """
    if info.video.field_order in INTERLACED_FIELD_ORDERS:
        return "interlaced"
    if info.video.field_order == "progressive":
        return ""
    return "detected" if check.interlaced_frames > max(5, check.progressive_frames) else ""


def loudness_filter_args(target: float) -> dict[str, object]:
    # -1.5 dBTP keeps headroom for AAC; an 11 LU range suits speech and music alike.
    return {"I": target, "TP": -1.5, "LRA": 11}


def parse_loudness(log: str) -> Loudness | None:
    """The JSON block loudnorm prints last; None for silence (-inf LUFS)."""
    start, end = log.rfind("{"), log.rfind("}")
    if start < 0 or end < start:
        return None
    values = json.loads(log[start : end + 1])
    try:
        loudness = Loudness(
            integrated=float(values["input_i"]),
            true_peak=float(values["input_tp"]),
            lra=float(values["input_lra"]),
            threshold=float(values["input_thresh"]),
            offset=float(values["target_offset"]),
        )
    except (KeyError, ValueError):
        return None
    finite = all(abs(v) != float("inf") for v in vars(loudness).values())
    return loudness if finite and loudness.integrated > -70 else None
