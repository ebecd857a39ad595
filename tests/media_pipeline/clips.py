"""Tiny test inputs, generated on demand into a folder (pytest's tmp_path).

Shared by every media test: each function writes one file of one kind and returns its
path. Clips are 1–3 s at 160x90 to 320x180, so that a whole test module runs in seconds.
"""

import json
import subprocess
from pathlib import Path

SIZE = "320x180"


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def _picture(size: str, rate: float, duration: float) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={duration}"]


def _tone(duration: float, *, rate: int = 48000, layout: str = "stereo") -> list[str]:
    return [
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:sample_rate={rate}:duration={duration},"
        f"aformat=channel_layouts={layout}",
    ]


H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "96k"]


def compliant_mp4(
    directory: Path, name: str = "film.mp4", *, size: str = SIZE, duration: float = 2
) -> Path:
    """H.264 High 4:2:0 + AAC 48 kHz stereo, CFR, SDR: the fast path's kind of file."""
    path = directory / name
    ffmpeg(
        *_picture(size, 25, duration),
        *_tone(duration),
        *H264,
        "-profile:v",
        "high",
        "-g",
        "25",
        *AAC,
        "-shortest",
        str(path),
    )
    return path


def sparse_keyframes_mp4(directory: Path, name: str = "sparse.mp4", *, tail: int = 10) -> Path:
    """Compliant 160x90: a keyframe every 2 s for 30 s, then none for `tail` seconds.

    ffprobe measures keyframe spacing on the first 30 s only: such a file looks fit for
    the fast path, and its last keyframe is `tail` seconds before its end.
    """
    path = directory / name
    duration = 30 + tail
    ffmpeg(
        *_picture("160x90", 25, duration),
        *_tone(duration),
        *H264,
        *("-profile:v", "high", "-x264-params", "keyint=1000:scenecut=0"),
        *("-force_key_frames", "expr:lte(t,30)*gte(t,n_forced*2)"),
        *AAC,
        "-shortest",
        str(path),
    )
    return path


def mpeg4_mp4(directory: Path, name: str = "camera.mp4", *, duration: float = 2) -> Path:
    """An MPEG-4 part 2 video with 44.1 kHz mono sound: everything must be re-encoded."""
    path = directory / name
    ffmpeg(
        *_picture(SIZE, 25, duration),
        *_tone(duration, rate=44100, layout="mono"),
        "-c:v",
        "mpeg4",
        "-q:v",
        "5",
        *AAC,
        "-shortest",
        str(path),
    )
    return path


def rotated_mov(directory: Path, name: str = "portrait.mov") -> Path:
    """A phone held upright: 320x180 stored, a display matrix rotating it by 90°."""
    stored = compliant_mp4(directory, "stored.mp4")
    path = directory / name
    # ffmpeg 5.1 writes the rotate tag as a display matrix only when stream-copying.
    ffmpeg("-i", str(stored), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(path))
    stored.unlink()
    return path


def interlaced_mp4(directory: Path, name: str = "interlaced.mp4") -> Path:
    """25i, top field first, coded as interlaced H.264 as a camcorder would."""
    path = directory / name
    ffmpeg(
        *_picture(SIZE, 50, 1),
        *_tone(1),
        "-vf",
        "tinterlace=interleave_top,fieldorder=tff",
        *H264,
        "-flags",
        "+ildct+ilme",
        "-x264-params",
        "tff=1",
        *AAC,
        "-shortest",
        str(path),
    )
    return path


def hdr_pq_mp4(directory: Path, name: str = "hdr.mp4") -> Path:
    """10-bit H.264 tagged BT.2020 PQ (HDR10-like), as recent phones shoot."""
    path = directory / name
    ffmpeg(
        *_picture(SIZE, 25, 1),
        *_tone(1),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p10le",
        "-color_primaries",
        "bt2020",
        "-color_trc",
        "smpte2084",
        "-colorspace",
        "bt2020nc",
        *AAC,
        "-shortest",
        str(path),
    )
    return path


def silent_mp4(directory: Path, name: str = "silent.mp4") -> Path:
    """A video without any audio stream."""
    path = directory / name
    ffmpeg(*_picture(SIZE, 25, 1), *H264, str(path))
    return path


def vfr_mkv(directory: Path, name: str = "vfr.mkv") -> Path:
    """Variable frame rate: 45 frames at 30 fps, then 15 frames at 10 fps (3 s)."""
    path = directory / name
    ffmpeg(
        *_picture("160x90", 30, 2),
        "-vf",
        r"setpts='if(lt(N\,45)\,N/30\,1.5+(N-45)/10)/TB'",
        "-fps_mode",
        "vfr",
        *H264,
        str(path),
    )
    return path


def frame_rate_mp4(directory: Path, rate: float, name: str = "rate.mp4") -> Path:
    """A video at an arbitrary (absurd) frame rate, about 40 frames long."""
    path = directory / name
    ffmpeg(*_picture("160x90", rate, 40 / rate), *H264, "-r", str(rate), str(path))
    return path


def oversized_mp4(directory: Path, name: str = "huge.mp4") -> Path:
    """One 4096x2304 frame: over 4K, cheap to make."""
    path = directory / name
    ffmpeg("-f", "lavfi", "-i", "color=black:size=4096x2304:rate=1:duration=1", *H264, str(path))
    return path


def truncated_mp4(directory: Path, name: str = "truncated.mp4") -> Path:
    """The first 40% of a faststart MP4: the index is there, the end of the video is not."""
    full = directory / "full.mp4"
    ffmpeg(
        *_picture("160x90", 25, 3),
        *_tone(3),
        *H264,
        *AAC,
        "-shortest",
        "-movflags",
        "+faststart",
        str(full),
    )
    data = full.read_bytes()
    full.unlink()
    path = directory / name
    path.write_bytes(data[: len(data) * 4 // 10])
    return path


def m4a_audio(directory: Path, name: str = "song.m4a") -> Path:
    path = directory / name
    ffmpeg(*_tone(1), *AAC, str(path))
    return path


def mp3_audio(directory: Path, name: str = "song.mp3") -> Path:
    path = directory / name
    ffmpeg(*_tone(1), "-c:a", "libmp3lame", "-b:a", "64k", str(path))
    return path


def png_image(directory: Path, name: str = "photo.png") -> Path:
    path = directory / name
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1", str(path))
    return path


def jpeg_image(directory: Path, name: str = "poster.jpg", *, size: str = "640x360") -> Path:
    path = directory / name
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}", "-frames:v", "1", str(path))
    return path


def empty_file(directory: Path, name: str = "empty.mp4") -> Path:
    path = directory / name
    path.write_bytes(b"")
    return path


def text_file(directory: Path, name: str = "notes.mp4") -> Path:
    path = directory / name
    path.write_text("Scénario du film : une journée à l'atelier.\n" * 20, encoding="utf-8")
    return path


def hls_playlist(directory: Path, name: str = "film.m3u8") -> Path:
    """A playlist pointing at a real local video: ffmpeg must never follow it."""
    target = compliant_mp4(directory, "target.mp4", size="160x90", duration=1)
    path = directory / name
    path.write_text(
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-VERSION:3\n"
        f"#EXTINF:2.0,\n{target}\n#EXT-X-ENDLIST\n"
    )
    return path


def ffconcat_playlist(directory: Path, name: str = "film.ffconcat") -> Path:
    target = compliant_mp4(directory, "target.mp4", size="160x90", duration=1)
    path = directory / name
    path.write_text(f"ffconcat version 1.0\nfile '{target}'\n")
    return path


def dash_manifest(directory: Path, name: str = "film.mpd") -> Path:
    path = directory / name
    path.write_text(
        '<?xml version="1.0"?>\n'
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
        'mediaPresentationDuration="PT2S"><Period><AdaptationSet mimeType="video/mp4">'
        '<Representation id="1" bandwidth="100000"><BaseURL>target.mp4</BaseURL>'
        "</Representation></AdaptationSet></Period></MPD>\n"
    )
    return path


def unknown_codec_mkv(directory: Path, name: str = "raw.mkv") -> Path:
    """Uncompressed video: a codec outside our decoder allow-list."""
    path = directory / name
    ffmpeg(*_picture("160x90", 25, 0.2), "-c:v", "rawvideo", "-pix_fmt", "yuv420p", str(path))
    return path


def subtitles_only_mp4(directory: Path, name: str = "captions.mp4") -> Path:
    """An MP4 that holds a caption track and nothing else."""
    srt = directory / "captions.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nBonjour\n", encoding="utf-8")
    path = directory / name
    ffmpeg("-i", str(srt), "-c:s", "mov_text", str(path))
    srt.unlink()
    return path


def m4a_with_cover(directory: Path, name: str = "album.m4a") -> Path:
    """Music with cover art: its only video stream is a still picture."""
    song, cover = m4a_audio(directory, "plain.m4a"), png_image(directory, "cover.png")
    path = directory / name
    ffmpeg(
        *("-i", str(song), "-i", str(cover), "-map", "0", "-map", "1"),
        *("-c:a", "copy", "-c:v", "png", "-disposition:v", "attached_pic", str(path)),
    )
    song.unlink()
    cover.unlink()
    return path


def ffprobe(path: Path, *args: str) -> dict:
    """ffprobe's JSON on one of our own test files, e.g. ffprobe(p, "-show_streams")."""
    output = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *args, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def streams(path: Path) -> dict[str, dict]:
    """The first video and audio stream of a file, keyed "video" and "audio"."""
    found: dict[str, dict] = {}
    for stream in ffprobe(path, "-show_streams")["streams"]:
        found.setdefault(stream["codec_type"], stream)
    return found


def lying_duration_mp4(directory: Path, name: str = "lying.mp4") -> Path:
    """A 1 s MP4 whose movie header claims ten hours."""
    plain = compliant_mp4(directory, "honest.mp4", size="160x90", duration=1)
    data = bytearray(plain.read_bytes())
    plain.unlink()
    header = data.find(b"mvhd")
    assert data[header + 4] == 0, "version 0 mvhd: 32-bit timescale and duration"
    timescale = int.from_bytes(data[header + 16 : header + 20])
    data[header + 20 : header + 24] = (36_000 * timescale).to_bytes(4)
    path = directory / name
    path.write_bytes(bytes(data))
    return path


def rotated_jpeg(directory: Path, name: str = "phone.jpg", *, orientation: int = 6) -> Path:
    """A 320x180 JPEG whose EXIF says to turn it (6: a quarter turn clockwise)."""
    plain = jpeg_image(directory, "plain.jpg", size="320x180")
    data = plain.read_bytes()
    plain.unlink()
    tiff = b"MM\x00*\x00\x00\x00\x08" + b"\x00\x01"  # big-endian, one IFD entry
    tiff += b"\x01\x12\x00\x03\x00\x00\x00\x01" + orientation.to_bytes(2) + b"\x00\x00"
    tiff += b"\x00\x00\x00\x00"  # no next IFD
    app1 = b"Exif\x00\x00" + tiff
    path = directory / name
    path.write_bytes(data[:2] + b"\xff\xe1" + (len(app1) + 2).to_bytes(2) + app1 + data[2:])
    return path
