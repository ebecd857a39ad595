"""`manage.py process_media`: run as organizers do, in a real process, exit status included."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.media_pipeline import clips

ROOT = Path(__file__).resolve().parents[2]
JSON_KEYS = {
    "status",
    "error_code",
    "message",
    "duration",
    "width",
    "height",
    "renditions",
    "hls",
    "mp4",
    "posters",
    "storyboard",
    "timings",
}


def process_media(*args: str, var_dir: Path) -> tuple[int, list[str], dict]:
    env = {**os.environ, "FILMIT_VAR_DIR": str(var_dir)}
    completed = subprocess.run(
        [sys.executable, "manage.py", "process_media", *args, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = completed.stdout.strip().splitlines()
    return completed.returncode, lines, json.loads(lines[-1])


def test_ready(tmp_path):
    # Compliant 480p: the fast path's two passes, both run by the command.
    source = clips.compliant_mp4(tmp_path, size="854x480", duration=1)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "out"
    code, lines, result = process_media(str(source), "--out", str(out), var_dir=tmp_path)
    assert code == 0
    assert set(result) >= JSON_KEYS
    assert (result["status"], result["error_code"]) == ("ready", None)
    assert (result["width"], result["height"], result["duration"]) == (854, 480, 1.0)
    assert [
        (r["name"], r["width"], r["height"], r["bitrate"], r["path"]) for r in result["renditions"]
    ] == [
        ("480p", 854, 480, 1_400_000, "hls/480p/index.m3u8"),
        ("360p", 640, 360, 800_000, "hls/360p/index.m3u8"),
    ]
    assert result["pending_renditions"] == []
    master = (out / result["hls"]).read_text()
    assert [line for line in master.splitlines() if not line.startswith("#")] == [
        "480p/index.m3u8",
        "360p/index.m3u8",
    ]
    for rendition in result["renditions"]:
        assert f"BANDWIDTH={rendition['bandwidth']}," in master
        assert rendition["average_bandwidth"] > 0
    for relative in [
        result["hls"],
        result["mp4"],
        *result["posters"],
        *result["storyboard"].values(),
    ]:
        assert (out / relative).is_file(), relative
    assert any(line.startswith("Encodage : ") for line in lines)
    # The original is only read: the pipeline worked on a copy.
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize(
    ("make", "options", "error_code"),
    [
        (clips.text_file, [], "text"),
        (
            lambda d: clips.compliant_mp4(d, size="160x90", duration=2),
            ["--max-duration", "1"],
            "too_long",
        ),
    ],
)
def test_rejected(tmp_path, make, options, error_code):
    source = make(tmp_path)
    code, _lines, result = process_media(
        str(source), "--out", str(tmp_path / "out"), *options, var_dir=tmp_path
    )
    assert code == 2
    assert (result["status"], result["error_code"]) == ("rejected", error_code)
    assert result["message"]


def test_failed(tmp_path):
    source = clips.compliant_mp4(tmp_path, size="160x90", duration=1)
    code, _lines, result = process_media(
        str(source), "--out", str(tmp_path / "out"), "--timeout", "0.01", var_dir=tmp_path
    )
    assert code == 1
    assert (result["status"], result["error_code"]) == ("failed", "timeout")


def test_default_out_dir_is_under_var(tmp_path):
    source = clips.text_file(tmp_path)
    _code, _lines, result = process_media(str(source), var_dir=tmp_path / "var")
    out_dir = Path(result["out_dir"])
    assert out_dir.parent == tmp_path / "var" / "process_media"
    assert "-notes-" in out_dir.name
