"""Transcoding: each accepted kind of source, checked with ffprobe on the real outputs."""

import re
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from media_pipeline import ffmpeg_runner as runner
from media_pipeline import posters, transcode, transcode_plan
from media_pipeline.acceptance import Code, MediaRejected
from media_pipeline.pipeline import PipelineResult, add_lower_renditions, process, run_pipeline
from media_pipeline.subtitles import convert_to_webvtt
from tests.media_pipeline import clips


@dataclass
class Processed:
    source: Path
    out: Path
    result: PipelineResult
    percents: list[float]


SOURCES = {
    "camera": clips.mpeg4_mp4,
    "compliant": lambda folder: clips.compliant_mp4(folder, size="854x480", duration=1),
    "portrait": clips.rotated_mov,
    "interlaced": clips.interlaced_mp4,
    "hdr": clips.hdr_pq_mp4,
    "silent": clips.silent_mp4,
    "vfr": clips.vfr_mkv,
}


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """Each kind of source goes through the pipeline once per module, on demand."""
    base = tmp_path_factory.mktemp("processed")
    cache: dict[str, Processed] = {}

    def get(kind: str) -> Processed:
        if kind not in cache:
            folder = base / kind
            folder.mkdir()
            source = SOURCES[kind](folder)
            percents: list[float] = []
            result = run_pipeline(source=source, out_dir=folder / "out", progress=percents.append)
            assert result.status == "ready", result
            cache[kind] = Processed(source, folder / "out", result, percents)
        return cache[kind]

    return get


def hls_as_file(variant: Path, target: Path) -> Path:
    """An HLS fMP4 variant's init segment and media segments, joined into one MP4."""
    playlist = (variant / "index.m3u8").read_text()
    with target.open("wb") as joined:
        joined.write((variant / "init.mp4").read_bytes())
        for name in re.findall(r"^(segment-\d+\.m4s)$", playlist, re.MULTILINE):
            joined.write((variant / name).read_bytes())
    return target


def video_hash(path: Path) -> str:
    return subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-c", "copy"]
        + ["-f", "streamhash", "-hash", "md5", "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def audio_levels(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and maximum volume (dB) of a file's soundtrack."""
    log = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-map", "0:a", "-af", "ebur128,volumedetect"]
        + ["-f", "null", "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    loudness = float(re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", log)[-1])
    peak = float(re.search(r"max_volume: (-?[\d.]+|-inf) dB", log)[1])
    return loudness, peak


def assert_plays_everywhere(path: Path, *, profile: str = "High") -> dict[str, dict]:
    found = clips.streams(path)
    video, audio = found["video"], found["audio"]
    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", profile, "yuv420p")
    assert (audio["codec_name"], audio["sample_rate"], audio["channels"]) == ("aac", "48000", 2)
    assert "side_data_list" not in video
    assert video["field_order"] == "progressive"
    return found


def test_plain_source_is_re_encoded_and_normalised(processed):
    item = processed("camera")
    assert item.result.fast_path is False
    found = assert_plays_everywhere(item.out / "film.mp4")
    assert found["video"]["color_transfer"] == "bt709"
    assert (found["video"]["width"], found["video"]["height"]) == (320, 180)
    loudness, _peak = audio_levels(item.out / "film.mp4")
    assert loudness == pytest.approx(-16, abs=1)


def test_portrait_phone_film_is_rotated(processed):
    item = processed("portrait")
    assert (item.result.width, item.result.height) == (180, 320)
    for path in (item.out / "film.mp4", hls_as_file(item.out / "hls/180p", item.out / "v.mp4")):
        video = assert_plays_everywhere(path)["video"]
        assert (video["width"], video["height"]) == (180, 320)
    assert [(r.width, r.height) for r in item.result.renditions] == [(180, 320)]


def test_interlaced_source_is_deinterlaced(processed):
    item = processed("interlaced")
    assert clips.streams(item.source)["video"]["field_order"] == "tt"
    assert_plays_everywhere(item.out / "film.mp4")


def test_interlaced_plan_uses_bwdif_on_every_frame(processed):
    item = processed("interlaced")
    plan = plan_for(item.source)
    assert plan.deinterlace == "interlaced"
    command = " ".join(transcode.build_command(plan))
    assert "bwdif=deint=all:mode=send_frame" in command


def test_hdr_pq_is_tone_mapped_to_sdr(processed):
    item = processed("hdr")
    source = clips.streams(item.source)["video"]
    assert (source["color_transfer"], source["pix_fmt"]) == ("smpte2084", "yuv420p10le")
    video = assert_plays_everywhere(item.out / "film.mp4")["video"]
    assert (video["color_transfer"], video["color_primaries"], video["color_space"]) == (
        "bt709",
        "bt709",
        "bt709",
    )


def test_silent_source_gets_a_silent_stereo_track(processed):
    item = processed("silent")
    assert "audio" not in clips.streams(item.source)
    # Silence is added on the fast path too: the video is the source's own.
    assert item.result.fast_path is True
    assert_plays_everywhere(item.out / "film.mp4", profile="Constrained Baseline")
    _loudness, peak = audio_levels(item.out / "film.mp4")
    assert peak <= -90


def test_variable_frame_rate_becomes_constant(processed):
    item = processed("vfr")
    video = assert_plays_everywhere(item.out / "film.mp4")["video"]
    assert (video["r_frame_rate"], video["avg_frame_rate"]) == ("30/1", "30/1")
    packets = clips.ffprobe(
        item.out / "film.mp4", "-select_streams", "v", "-show_entries", "packet=pts_time"
    )["packets"]
    times = sorted(float(packet["pts_time"]) for packet in packets)
    intervals = {round(b - a, 4) for a, b in zip(times, times[1:], strict=False)}
    assert intervals == {round(1 / 30, 4)}


def test_fast_path_copies_the_top_rendition(processed):
    item = processed("compliant")
    assert item.result.fast_path is True
    source = clips.streams(item.source)["video"]
    top_hls = hls_as_file(item.out / "hls/480p", item.out / "top.mp4")
    for copy in (item.out / "film.mp4", top_hls):
        video = clips.streams(copy)["video"]
        for key in ("codec_name", "profile", "level", "width", "height", "pix_fmt"):
            assert video[key] == source[key], key
        assert video_hash(copy) == video_hash(item.source)
    # The lower rung is encoded from the decoded source.
    lower = clips.streams(hls_as_file(item.out / "hls/360p", item.out / "low.mp4"))["video"]
    assert (lower["width"], lower["height"], lower["profile"]) == (640, 360, "High")


def test_fast_path_first_pass_decodes_keyframes_only_and_leaves_the_lower_rungs(tmp_path):
    source = clips.compliant_mp4(tmp_path, size="854x480", duration=1)
    out = tmp_path / "out"

    result = process(source=source, out_dir=out)

    assert (result.status, result.fast_path) == ("ready", True)
    assert [r.name for r in result.renditions] == ["480p"]
    assert result.pending_renditions == ["360p"]
    assert set(result.analysis) == {"check", "loudness", "loudness_target"}
    assert not (out / "hls/360p").exists()
    master = (out / "hls/master.m3u8").read_text()
    assert [line for line in master.splitlines() if not line.startswith("#")] == ["480p/index.m3u8"]
    assert len(result.posters) == 6
    assert (out / "storyboard/storyboard.jpg").is_file()


def test_fast_path_first_pass_command_reads_the_file_twice(tmp_path):
    plan = plan_for(clips.compliant_mp4(tmp_path, size="854x480", duration=1))
    args = transcode.build_command(plan)

    inputs = [index for index, arg in enumerate(args) if arg == "-i"]
    assert len(inputs) == 2
    # Only the second reading skips every frame but keyframes; both are restricted.
    first, second = args[: inputs[0]], args[inputs[0] + 1 : inputs[1]]
    assert "-skip_frame" not in first
    assert second[second.index("-skip_frame") + 1] == "nokey"
    for options in (first, second):
        assert options[options.index("-protocol_whitelist") + 1] == "file"
        assert "-format_whitelist" in options and "-max_pixels" in options
    assert "-c:v:0" in args and args[args.index("-c:v:0") + 1] == "copy"
    assert "libx264" not in args  # nothing is encoded in the first pass


def test_first_pass_posters_cover_a_film_whose_keyframes_stop_early(tmp_path):
    source = clips.sparse_keyframes_mp4(tmp_path)

    result = process(source=source, out_dir=tmp_path / "out")

    assert result.fast_path is True
    contents = [(tmp_path / "out" / path).read_bytes() for path in result.posters]
    assert len(contents) == 6
    assert len(set(contents)) == 6  # six different pictures, the last one from the end


def test_copy_whose_keyframes_stop_early_is_encoded_after_all(tmp_path):
    source = clips.sparse_keyframes_mp4(tmp_path, tail=20)
    out = tmp_path / "out"

    result = process(source=source, out_dir=out)

    # 20 s without a keyframe would make a 20 s segment: the film is re-encoded instead.
    assert (result.status, result.fast_path, result.pending_renditions) == ("ready", False, [])
    playlist = (out / result.renditions[0].path).read_text()
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    assert max(durations) <= transcode_plan.SEGMENT_SECONDS + 0.1
    assert video_hash(out / "film.mp4") != video_hash(source)
    assert sorted(p.name for p in (out / "hls").iterdir()) == ["90p", "master.m3u8"]


def first_pass_of_a_480p_film(tmp_path):
    """A compliant 480p film after its first pass: its source, outputs folder and result."""
    source = clips.compliant_mp4(tmp_path, size="854x480", duration=1)
    out = tmp_path / "out"
    return source, out, process(source=source, out_dir=out)


def second_pass(source, out, first):
    return add_lower_renditions(
        source=source,
        out_dir=out,
        analysis=first.analysis,
        top=first.renditions[0],
        folder="ladder-test",
    )


def test_fast_path_second_pass_writes_into_its_own_folder(tmp_path):
    source, out, first = first_pass_of_a_480p_film(tmp_path)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    second = second_pass(source, out, first)

    assert second.status == "ready"
    assert second.hls == "ladder-test/master.m3u8"
    assert [(r.name, r.path) for r in second.renditions] == [
        ("480p", "hls/480p/index.m3u8"),
        ("360p", "ladder-test/360p/index.m3u8"),
    ]
    master = (out / second.hls).read_text()
    assert [line for line in master.splitlines() if not line.startswith("#")] == [
        "../hls/480p/index.m3u8",
        "360p/index.m3u8",
    ]
    assert second.storyboard == {
        "image": "ladder-test/storyboard/storyboard.jpg",
        "vtt": "ladder-test/storyboard/storyboard.vtt",
    }
    after = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert [p for p in after if p not in before and p.parts[0] != "ladder-test"] == []
    assert before == [p for p in after if p.parts[0] != "ladder-test"]


def test_fast_path_second_pass_failure_leaves_nothing_in_its_folder(tmp_path):
    source, out, first = first_pass_of_a_480p_film(tmp_path)
    source.write_bytes(b"")  # the original went missing in between

    second = second_pass(source, out, first)

    assert second.status == "failed"
    assert not (out / "ladder-test").exists()
    assert (out / "hls/master.m3u8").is_file()  # the first pass's files are untouched


def test_ladder_is_never_upscaled(processed):
    item = processed("camera")  # 320x180
    assert [(r.name, r.width, r.height) for r in item.result.renditions] == [("180p", 320, 180)]


@pytest.mark.parametrize(
    ("size", "rungs"),
    [
        ((3840, 2160), [(1920, 1080), (1280, 720), (854, 480), (640, 360)]),
        ((1920, 1080), [(1920, 1080), (1280, 720), (854, 480), (640, 360)]),
        ((1080, 1920), [(1080, 1920), (720, 1280), (480, 854), (360, 640)]),
        ((1280, 720), [(1280, 720), (854, 480), (640, 360)]),
        ((1000, 562), [(1000, 562), (854, 480), (640, 360)]),
        ((320, 180), [(320, 180)]),
    ],
)
def test_ladder_plan(size, rungs):
    ladder = transcode_plan.plan_ladder(*size)
    assert [(rung.width, rung.height) for rung in ladder] == rungs
    assert all(r.width <= size[0] and r.height <= size[1] for r in ladder)


def test_rung_bitrates():
    assert [transcode_plan.rung_bitrate(side) for side in (1080, 720, 480, 360, 180)] == [
        5_000_000,
        2_800_000,
        1_400_000,
        800_000,
        200_000,
    ]


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (Fraction(30000, 1001), Fraction(30000, 1001)),
        (Fraction(25), Fraction(25)),
        (Fraction(120), Fraction(60)),
        (Fraction(100), Fraction(50)),
        (Fraction(240), Fraction(60)),
        (Fraction(15), Fraction(15)),
        (Fraction(2997, 100), Fraction(30000, 1001)),
    ],
)
def test_output_frame_rate(rate, expected):
    assert transcode_plan.output_frame_rate(rate) == expected


def test_master_playlist_lists_each_rendition(processed):
    item = processed("compliant")
    assert item.result.hls == "hls/master.m3u8"
    master = (item.out / item.result.hls).read_text()
    variants = re.findall(r"#EXT-X-STREAM-INF:(.*)\n(.*)", master)
    assert [uri for _info, uri in variants] == ["480p/index.m3u8", "360p/index.m3u8"]
    assert [re.search(r"RESOLUTION=(\d+x\d+)", info)[1] for info, _uri in variants] == [
        "854x480",
        "640x360",
    ]
    for info, uri in variants:
        assert re.search(r'CODECS="avc1\.[0-9A-F]{6},mp4a\.40\.2"', info)
        playlist = (item.out / "hls" / uri).read_text()
        assert '#EXT-X-MAP:URI="init.mp4"' in playlist
        assert "#EXT-X-ENDLIST" in playlist
    assert [r.path for r in item.result.renditions] == [
        "hls/480p/index.m3u8",
        "hls/360p/index.m3u8",
    ]


def test_mp4_has_faststart(processed):
    data = (processed("camera").out / "film.mp4").read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")


def test_posters_and_storyboard(processed):
    item = processed("camera")
    result = item.result
    assert result.posters == [f"posters/poster-{n:02d}.jpg" for n in range(1, 7)]
    for poster in result.posters:
        image = clips.streams(item.out / poster)["video"]
        assert (image["codec_name"], image["width"], image["height"]) == ("mjpeg", 320, 180)
    assert result.storyboard == {
        "image": "storyboard/storyboard.jpg",
        "vtt": "storyboard/storyboard.vtt",
    }
    sprite = clips.streams(item.out / result.storyboard["image"])["video"]
    assert (sprite["width"], sprite["height"]) == (2 * 160, 90)  # 2 s: one tile a second
    assert (item.out / result.storyboard["vtt"]).read_text() == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:01.000\nstoryboard.jpg#xywh=0,0,160,90\n\n"
        "00:00:01.000 --> 00:00:02.000\nstoryboard.jpg#xywh=160,0,160,90\n"
    )


def test_storyboard_keeps_to_a_hundred_tiles():
    plan = posters.plan_storyboard(duration=45 * 60, width=1920, height=1080)
    assert (plan.interval, plan.count, plan.columns, plan.rows) == (27, 100, 10, 10)
    portrait = posters.plan_storyboard(duration=30, width=1080, height=1920)
    assert (portrait.thumb_width, portrait.thumb_height, portrait.count) == (90, 160, 30)


def test_progress_goes_up_to_100(processed):
    percents = processed("camera").percents
    assert percents == sorted(percents)
    assert percents[-1] == 100.0


def test_timings(processed):
    timings = processed("camera").result.timings
    assert set(timings) >= {"probe", "transcode", "posters", "storyboard", "total"}
    assert timings["total"] >= timings["transcode"] > 0


def test_rerun_replaces_outputs(tmp_path):
    source = clips.compliant_mp4(tmp_path, size="160x90", duration=1)
    out = tmp_path / "out"
    (out / "posters").mkdir(parents=True)
    (out / "posters" / "poster-99.jpg").write_bytes(b"old")
    first = run_pipeline(source=source, out_dir=out)
    files = sorted(p.relative_to(out) for p in out.rglob("*"))
    second = run_pipeline(source=source, out_dir=out)
    assert first.to_dict() | {"timings": {}} == second.to_dict() | {"timings": {}}
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == files
    assert not (out / "posters" / "poster-99.jpg").exists()


def test_location_metadata_is_removed(tmp_path):
    plain = clips.compliant_mp4(tmp_path, size="160x90", duration=1)
    source = tmp_path / "gps.mp4"
    location = "location=+47.2378+006.0241/"  # Besançon
    clips.ffmpeg("-i", str(plain), "-c", "copy", "-metadata", location, str(source))
    assert "location" in clips.ffprobe(source, "-show_format")["format"]["tags"]
    result = run_pipeline(source=source, out_dir=tmp_path / "out")
    assert result.fast_path is True
    tags = clips.ffprobe(tmp_path / "out/film.mp4", "-show_format")["format"].get("tags", {})
    assert "location" not in tags


def test_timeout_returns_failed(tmp_path):
    source = clips.compliant_mp4(tmp_path, size="160x90", duration=1)
    result = run_pipeline(source=source, out_dir=tmp_path / "out", timeout=0.01)
    assert (result.status, result.error_code) == ("failed", "timeout")
    assert list((tmp_path / "out").iterdir()) == []


def spy_popen(monkeypatch) -> list[subprocess.Popen]:
    started: list[subprocess.Popen] = []
    real = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(runner.subprocess, "Popen", popen)
    return started


ENDLESS = ["ffmpeg", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc2=size=160x90"]
ENDLESS += ["-progress", "pipe:1", "-f", "null", "-"]


def test_timeout_kills_ffmpeg(monkeypatch):
    started = spy_popen(monkeypatch)
    with pytest.raises(runner.FfmpegTimeout):
        runner.run(ENDLESS, deadline=runner.Deadline(0.5), duration=60, progress=lambda p: None)
    assert started[0].returncode == -9  # SIGKILL, and reaped


def test_a_raising_progress_callback_cancels(monkeypatch):
    started = spy_popen(monkeypatch)

    def cancel(percent: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runner.run(ENDLESS, deadline=runner.Deadline(None), duration=60, progress=cancel)
    assert started[0].returncode == -9


def test_progress_lines():
    assert runner.parse_progress_line("out_time_us=1500000\n", 3.0) == 50.0
    assert runner.parse_progress_line("out_time_us=N/A\n", 3.0) is None
    assert runner.parse_progress_line("progress=end\n", 3.0) == 100.0


def plan_for(source: Path) -> transcode_plan.TranscodePlan:
    from media_pipeline import probe

    deadline = runner.Deadline(30)
    info = probe.probe(source, deadline=deadline)
    analysis = probe.analyse(source, info, loudness_target=-16, deadline=deadline)
    return transcode_plan.make_plan(
        source=source,
        info=info,
        check=analysis.check,
        loudness=analysis.loudness,
        loudness_target=-16,
    )


# Posters chosen by the teacher.


def test_poster_sizes_are_never_enlarged(tmp_path):
    small = clips.jpeg_image(tmp_path, "small.jpg", size="320x180")
    sizes = posters.make_poster_sizes(image=small, out_dir=tmp_path / "small")
    assert sizes == {
        "list.webp": "poster-list.webp",
        "list.jpg": "poster-list.jpg",
        "page.webp": "poster-page.webp",
        "page.jpg": "poster-page.jpg",
    }
    for name in sizes.values():
        image = clips.streams(tmp_path / "small" / name)["video"]
        assert (image["width"], image["height"]) == (320, 180)


def test_poster_sizes_fit_their_box(tmp_path):
    big = clips.jpeg_image(tmp_path, "big.jpg", size="1600x900")
    sizes = posters.make_poster_sizes(image=big, out_dir=tmp_path / "big")
    found = {name: clips.streams(tmp_path / "big" / path)["video"] for name, path in sizes.items()}
    assert {name: (s["codec_name"], s["width"], s["height"]) for name, s in found.items()} == {
        "list.webp": ("webp", 480, 270),
        "list.jpg": ("mjpeg", 480, 270),
        "page.webp": ("webp", 1280, 720),
        "page.jpg": ("mjpeg", 1280, 720),
    }


def test_poster_photo_is_turned_upright(tmp_path):
    photo = clips.rotated_jpeg(tmp_path, orientation=6)
    sizes = posters.make_poster_sizes(image=photo, out_dir=tmp_path / "out")
    image = clips.streams(tmp_path / "out" / sizes["page.jpg"])["video"]
    assert (image["width"], image["height"]) == (180, 320)


def test_poster_must_be_an_image(tmp_path):
    with pytest.raises(MediaRejected) as error:
        posters.make_poster_sizes(image=clips.text_file(tmp_path), out_dir=tmp_path / "out")
    assert error.value.code == Code.POSTER_INVALID


# Subtitles.


def convert(tmp_path: Path, content: bytes) -> str:
    source, target = tmp_path / "captions", tmp_path / "captions.vtt"
    source.write_bytes(content)
    convert_to_webvtt(source=source, target=target)
    return target.read_text(encoding="utf-8")


def test_srt_to_webvtt(tmp_path):
    srt = (
        "1\r\n00:00:01,000 --> 00:00:04,000\r\n"
        'Bonjour <font color="red">à tous</font> & <i>bienvenue</i>\r\n\r\n'
        "2\r\n00:00:05,500 --> 00:00:07,250\r\n{\\an8}Dans l'atelier\r\n"
        "on découpe --> on plie\r\n"
    )
    assert convert(tmp_path, srt.encode("cp1252")) == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:04.000\n"
        "Bonjour à tous &amp; <i>bienvenue</i>\n\n"
        "00:00:05.500 --> 00:00:07.250\n"
        "Dans l'atelier\non découpe --&gt; on plie\n"
    )


def test_webvtt_is_cleaned(tmp_path):
    vtt = (
        "WEBVTT - sous-titres\n\nNOTE relu par Mme Girard\n\n"
        "intro\n01:02.500 --> 01:04.000 align:start onclick:x\n"
        "<v Marc>Salut</v> &amp; <b>merci</b>\n"
    )
    assert convert(tmp_path, vtt.encode()) == (
        "WEBVTT\n\n00:01:02.500 --> 00:01:04.000 align:start\nSalut &amp; <b>merci</b>\n"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"1\n00:00:01 -> 00:00:02\nBonjour\n",
            "ligne 2, le minutage « 00:00:01 -> 00:00:02 » n'est pas valable (il doit "
            "ressembler à « 00:01:02,500 --> 00:01:05,000 »).",
        ),
        (
            b"1\n00:00:04,000 --> 00:00:02,000\nBonjour\n",
            "ligne 2, le sous-titre finit avant d'avoir commencé.",
        ),
        (
            b"1\n00:00:01,000 --> 00:00:02,000\n\n",
            "aucun sous-titre n'a été trouvé dans le fichier.",
        ),
        (b"   \n", "le fichier est vide."),
        (
            b"Bonjour\n",
            "ligne 1, le minutage « Bonjour » n'est pas valable (il doit ressembler "
            "à « 00:01:02,500 --> 00:01:05,000 »).",
        ),
    ],
)
def test_invalid_subtitles(tmp_path, content, reason):
    with pytest.raises(MediaRejected) as error:
        convert(tmp_path, content)
    assert error.value.code == "subtitles_invalid"
    assert error.value.message == (
        f"Le fichier de sous-titres n'est pas valable : {reason} Envoyez un fichier SRT ou WebVTT."
    )


def test_subtitles_size_limit(tmp_path):
    cue = b"1\n00:00:01,000 --> 00:00:02,000\n" + b"x" * 100 + b"\n\n"
    with pytest.raises(MediaRejected):
        convert(tmp_path, cue * 11_000)


def test_a_film_of_a_few_frames_is_processed(tmp_path):
    source = tmp_path / "ten-frames.mp4"
    clips.ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=5:duration=2",
        *clips._tone(2), *clips.H264, *clips.AAC, "-shortest", str(source),
    )  # fmt: skip

    result = run_pipeline(source=source, out_dir=tmp_path / "out")

    assert (result.status, result.error_code) == ("ready", None)
    assert result.posters
