"""Probing and the acceptance rules: every rejected kind of file, refused before encoding."""

from fractions import Fraction
from pathlib import Path

import pytest

from media_pipeline import acceptance, probe
from media_pipeline import ffmpeg_runner as runner
from media_pipeline.acceptance import Code, MediaRejected
from media_pipeline.media_info import AudioStream, MediaInfo, VideoStream
from media_pipeline.pipeline import run_pipeline
from tests.media_pipeline import clips


def rejected(source: Path, out_dir: Path, **kwargs):
    result = run_pipeline(source=source, out_dir=out_dir, **kwargs)
    assert result.status == "rejected"
    # Refused before any encoding: no transcode step ran, nothing was written.
    assert "transcode" not in result.timings
    assert list(out_dir.iterdir()) == []
    assert result.message
    return result


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (clips.empty_file, Code.EMPTY_FILE),
        (clips.text_file, Code.TEXT),
        (clips.png_image, Code.IMAGE),
        (clips.hls_playlist, Code.PLAYLIST),
        (clips.ffconcat_playlist, Code.PLAYLIST),
        (clips.dash_manifest, Code.PLAYLIST),
        (clips.m4a_audio, Code.AUDIO_ONLY),
        (clips.mp3_audio, Code.AUDIO_ONLY),
        (clips.m4a_with_cover, Code.AUDIO_ONLY),
        (clips.subtitles_only_mp4, Code.NO_VIDEO_STREAM),
        (clips.unknown_codec_mkv, Code.UNKNOWN_CODEC),
        (clips.lying_duration_mp4, Code.DURATION_INVALID),
    ],
)
def test_rejected_kinds(tmp_path, make, code):
    result = rejected(make(tmp_path), tmp_path / "out")
    assert result.error_code == code


def test_truncated(tmp_path):
    result = rejected(clips.truncated_mp4(tmp_path), tmp_path / "out")
    assert result.error_code == Code.TRUNCATED
    assert result.message == (
        "La fin de la vidéo ne peut pas être lue : le fichier semble incomplet ou endommagé "
        "(envoi interrompu, copie inachevée ?). Envoyez à nouveau le fichier complet."
    )


def test_over_4k(tmp_path):
    result = rejected(clips.oversized_mp4(tmp_path), tmp_path / "out")
    assert result.error_code == Code.RESOLUTION_TOO_HIGH
    assert "4096 × 2304 pixels" in result.message


@pytest.mark.parametrize(("rate", "shown"), [(1000, "1000"), (0.5, "0,5")])
def test_absurd_frame_rates(tmp_path, rate, shown):
    result = rejected(clips.frame_rate_mp4(tmp_path, rate), tmp_path / "out")
    assert result.error_code == Code.FRAME_RATE_INVALID
    assert f"({shown} images par seconde)" in result.message


def test_too_long_gives_both_durations(tmp_path):
    source = clips.compliant_mp4(tmp_path, size="160x90", duration=2)
    result = rejected(source, tmp_path / "out", max_duration=1)
    assert result.error_code == Code.TOO_LONG
    assert result.message == (
        "Le film dure 0:02, or la durée maximale pour cette catégorie est de 0:01. "
        "Raccourcissez le montage, puis envoyez-le à nouveau."
    )


def test_playlist_is_refused_by_ffmpeg_itself(tmp_path):
    """The sniffer only words the message: the demuxer allow-list is what protects."""
    for playlist in (clips.hls_playlist(tmp_path), clips.ffconcat_playlist(tmp_path)):
        args = probe.ffprobe_args(playlist, entries={"show_format": None})
        with pytest.raises(runner.FfmpegError) as error:
            runner.run(args, deadline=runner.Deadline(10))
        assert "Format not on whitelist" in error.value.log


def test_no_protocol_but_file(tmp_path):
    args = probe.ffprobe_args(tmp_path / "film.mp4", entries={"show_format": None})
    args[-1] = "http://127.0.0.1:9/film.mp4"
    with pytest.raises(runner.FfmpegError) as error:
        runner.run(args, deadline=runner.Deadline(10))
    assert "Protocol 'http' not on whitelist 'file'" in error.value.log


def test_max_pixels_applies_to_decoding(tmp_path):
    source = clips.compliant_mp4(tmp_path, size="320x180", duration=1)
    args = [
        "ffmpeg",
        "-nostdin",
        *("-protocol_whitelist", "file", "-format_whitelist", runner.VIDEO_FORMAT_WHITELIST),
        *("-max_pixels", str(320 * 180 - 1), "-i", runner.file_url(source), "-f", "null", "-"),
    ]
    with pytest.raises(runner.FfmpegError) as error:
        runner.run(args, deadline=runner.Deadline(10))
    assert "exceeds specified max pixel count" in error.value.log


def test_probe_reads_a_portrait_phone_film(tmp_path):
    info = probe.probe(clips.rotated_mov(tmp_path), deadline=runner.Deadline(10))
    assert (info.video.width, info.video.height, info.video.rotation) == (320, 180, 90)
    assert info.display_size == (180, 320)
    assert info.frame_rate == 25
    assert info.audio == AudioStream(codec="aac", profile="LC", channels=2, sample_rate=48000)


def test_probe_measures_variable_frame_rate(tmp_path):
    info = probe.probe(clips.vfr_mkv(tmp_path), deadline=runner.Deadline(10))
    assert info.packets.variable is True
    assert info.frame_rate == 30


def video(**changes) -> VideoStream:
    values = {
        "codec": "h264",
        "profile": "High",
        "pix_fmt": "yuv420p",
        "width": 1920,
        "height": 1080,
        "sample_aspect_ratio": Fraction(1),
        "rotation": 0,
        "avg_frame_rate": Fraction(25),
        "r_frame_rate": Fraction(25),
        "field_order": "progressive",
        "color_transfer": "bt709",
        "color_primaries": "bt709",
        "color_space": "bt709",
        "duration": 5.0,
    }
    return VideoStream(**{**values, **changes})


def info(*, duration: float | None = 5.0, **changes) -> MediaInfo:
    return MediaInfo(
        format_name="mov", duration=duration, size=1, video=video(**changes), audio=None
    )


def code_of(media: MediaInfo, max_duration: float | None = None) -> str | None:
    try:
        acceptance.check_media(media, max_duration=max_duration)
    except MediaRejected as rejection:
        return rejection.code
    return None


def test_a_good_film_passes():
    assert code_of(info(), max_duration=300) is None


def test_container_claiming_ten_hours_for_five_seconds():
    assert code_of(info(duration=36_000.0)) == Code.DURATION_INVALID


def test_missing_duration():
    assert code_of(info(duration=None)) == Code.DURATION_INVALID


@pytest.mark.parametrize(
    ("width", "height", "code"),
    [
        (3840, 2160, None),
        (4096, 2160, None),
        (2160, 3840, None),
        (4096, 2304, Code.RESOLUTION_TOO_HIGH),
        (7680, 4320, Code.RESOLUTION_TOO_HIGH),
        (48, 48, Code.RESOLUTION_TOO_LOW),
    ],
)
def test_resolution_limits(width, height, code):
    assert code_of(info(width=width, height=height)) == code


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        (Fraction(1), None),
        (Fraction(240), None),
        (Fraction(1, 2), Code.FRAME_RATE_INVALID),
        (Fraction(241), Code.FRAME_RATE_INVALID),
    ],
)
def test_frame_rate_limits(rate, code):
    assert code_of(info(avg_frame_rate=rate, r_frame_rate=rate)) == code


def test_unknown_audio_codec_is_refused_rather_than_silenced():
    media = MediaInfo(
        format_name="mov",
        duration=5.0,
        size=1,
        video=video(),
        audio=AudioStream(codec="dts", profile="", channels=6, sample_rate=48000),
    )
    assert code_of(media) == Code.UNKNOWN_CODEC


def test_format_duration():
    assert acceptance.format_duration(754.2) == "12:34"
    assert acceptance.format_duration(754.2, round_up=True) == "12:35"
    assert acceptance.format_duration(5) == "0:05"


def test_sniff(tmp_path):
    samples = {
        b"": Code.EMPTY_FILE,
        b"\xef\xbb\xbf#EXTM3U\n": Code.PLAYLIST,
        b"\x89PNG\r\n\x1a\n\x00\x00": Code.IMAGE,
        b"\x00\x00\x00\x18ftypheic\x00\x00": Code.IMAGE,
        b"ID3\x04\x00\x00": Code.AUDIO_ONLY,
        b"\xff\xfb\x90\x00": Code.AUDIO_ONLY,
        b"Bonjour,\nvoici le film.\n": Code.TEXT,
        b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00": None,
        b"\x1aE\xdf\xa3\x01\x00\x00\x00": None,  # Matroska
    }
    for index, (data, code) in enumerate(samples.items()):
        path = tmp_path / f"sample-{index}"
        path.write_bytes(data)
        assert probe.sniff(path) == code, data


def test_packet_stats_ignore_millisecond_rounding():
    times = [round(n / 30, 3) for n in range(90)]  # 0, 0.033, 0.067, 0.1 ...
    packets = [
        {"pts_time": str(t), "flags": "K__" if n % 30 == 0 else "___"} for n, t in enumerate(times)
    ]
    stats = probe.packet_stats(packets)
    assert stats.variable is False
    assert round(1 / stats.frame_interval, 2) == 30.0
    assert stats.max_keyframe_interval == pytest.approx(1.0, abs=0.01)


def test_silence_has_no_loudness():
    log = (
        '[Parsed_loudnorm_1 @ 0x1] \n{\n "input_i" : "-inf",\n "input_tp" : "-inf",\n'
        ' "input_lra" : "0.00",\n "input_thresh" : "-inf",\n "target_offset" : "inf"\n}\n'
    )
    assert probe.parse_loudness(log) is None
