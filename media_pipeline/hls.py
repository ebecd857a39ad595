"""HLS files as the pipeline writes them: where they go, what the master playlist says.

Each rendition is its own fMP4 variant (a playlist, an init segment, media segments) in a
folder of the output; the master playlist lists them with the figures players choose by,
measured on the files themselves.
"""

import posixpath
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

HLS_DIR = "hls"
MASTER_PLAYLIST = "hls/master.m3u8"


@dataclass(frozen=True)
class Rendition:
    """One HLS variant as made: where it is and what the master playlist says of it."""

    name: str
    width: int
    height: int
    bitrate: int  # the target average of its video
    path: str  # its playlist, relative to the output folder
    bandwidth: int = 0  # peak bits per second, measured on its segments
    average_bandwidth: int = 0
    codecs: str = ""


def master_path(folder: str = "") -> str:
    return f"{folder}/master.m3u8" if folder else MASTER_PLAYLIST


def measure_rendition(out_dir: Path, rung, folder: str) -> Rendition:
    """A rung (name, size, target bitrate) as made in `folder`, measured on its files."""
    peak, average = variant_bandwidth(out_dir / folder)
    return Rendition(
        name=rung.name,
        width=rung.width,
        height=rung.height,
        bitrate=rung.bitrate,
        path=f"{folder}/index.m3u8",
        bandwidth=peak,
        average_bandwidth=average,
        codecs=f"{avc_codec_string(out_dir / folder / 'init.mp4')},mp4a.40.2",
    )


def write_master_playlist(
    *, out_dir: Path, renditions: list[Rendition], frame_rate: Fraction, folder: str = ""
) -> str:
    """The master playlist, written here because each variant has its own muxer.

    Variants are referenced relative to the playlist; a second run's playlist points back
    at the copied top rung with ../ (players resolve it as any relative URL).
    """
    path = master_path(folder)
    base = posixpath.dirname(path)
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for rendition in renditions:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={rendition.bandwidth},"
            f"AVERAGE-BANDWIDTH={rendition.average_bandwidth},"
            f"RESOLUTION={rendition.width}x{rendition.height},"
            f'FRAME-RATE={float(frame_rate):.3f},CODECS="{rendition.codecs}"'
        )
        lines.append(posixpath.relpath(rendition.path, base))
    (out_dir / path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def variant_bandwidth(folder: Path) -> tuple[int, int]:
    """Peak and average bits per second of a variant, measured on its segments."""
    playlist = (folder / "index.m3u8").read_text(encoding="utf-8")
    segments = re.findall(r"#EXTINF:([\d.]+),\s*\n(\S+)", playlist)
    init_size = (folder / "init.mp4").stat().st_size
    total_bits, total_seconds, peak = 0, 0.0, 0
    for seconds, name in segments:
        bits = (folder / name).stat().st_size * 8
        seconds = max(float(seconds), 0.001)
        total_bits += bits
        total_seconds += seconds
        peak = max(peak, round((bits + init_size * 8) / seconds))
    average = round(total_bits / total_seconds) if total_seconds else 0
    return max(peak, average), average


def avc_codec_string(init_segment: Path) -> str:
    """RFC 6381 `avc1.PPCCLL` from the avcC box: profile, constraints, level."""
    data = init_segment.read_bytes()
    box = data.find(b"avcC")
    if box < 0:
        return "avc1.640028"
    profile, constraints, level = data[box + 5 : box + 8]
    return f"avc1.{profile:02X}{constraints:02X}{level:02X}"


def segment_durations(playlist: Path) -> list[float]:
    return [
        float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist.read_text(encoding="utf-8"))
    ]
