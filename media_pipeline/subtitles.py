"""Captions: SRT or WebVTT from a teacher, clean WebVTT for the player.

Pure Python: a caption file is small text, and parsing it ourselves keeps ffmpeg's
subtitle demuxers (and their quirks) away from user files. Every cue is validated and
its text reduced to plain text with <b>, <i> and <u>.
"""

import html
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from media_pipeline.acceptance import Code, MediaRejected, reject
from media_pipeline.posters import vtt_time

MAX_BYTES = 1024 * 1024
MAX_CUES = 10_000
TIMING_EXAMPLE = "00:01:02,500 --> 00:01:05,000"

_SRT_TIME = r"(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_VTT_TIME = r"(?:(\d{1,3}):)?(\d{2}):(\d{2})\.(\d{3})"
_SRT_TIMING = re.compile(rf"^\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:\s+.*)?$")
_VTT_TIMING = re.compile(rf"^\s*{_VTT_TIME}\s+-->\s+{_VTT_TIME}((?:\s+\S+)*)\s*$")
# A line that tries to be a timing line, even a broken one: it must then be valid.
_TIMING_ATTEMPT = re.compile(r"-+>|^\s*\d{1,3}:\d{1,2}[:.,]")
_VTT_SETTING = re.compile(r"^(vertical|line|position|size|align|region):[\w.%,-]+$")
_ALLOWED_TAG = re.compile(r"</?[biu]>")
_ANY_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")  # HTML-ish tags and SSA {\an8} overrides


@dataclass
class Cue:
    start: float
    end: float
    text: str
    settings: str = ""


def convert_to_webvtt(*, source: Path, target: Path) -> None:
    """Read an SRT or WebVTT file and write it as clean WebVTT.

    Raises MediaRejected(code="subtitles_invalid") with a French explanation that names
    the faulty line.
    """
    text = _read_text(Path(source))
    cues = parse_webvtt(text) if _is_webvtt(text) else parse_srt(text)
    if not cues:
        raise _invalid(_("aucun sous-titre n'a été trouvé dans le fichier."))
    if len(cues) > MAX_CUES:
        raise _invalid(_("il contient trop de sous-titres (plus de 10 000)."))
    Path(target).write_text(render_webvtt(cues), encoding="utf-8")


def _invalid(reason: str) -> MediaRejected:
    return reject(Code.SUBTITLES_INVALID, reason=reason)


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_BYTES:
        raise _invalid(_("il dépasse la taille maximale de 1 Mo."))
    data = path.read_bytes()
    if not data.strip():
        raise _invalid(_("le fichier est vide."))
    text = _decode(data)
    if "\x00" in text:
        raise _invalid(_("ce n'est pas un fichier texte."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252 as many SRT are."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _is_webvtt(text: str) -> bool:
    return re.match(r"WEBVTT(?:[ \t].*)?$", text.split("\n", 1)[0]) is not None


def _blocks(text: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """Blocks separated by blank lines, each with the number of its first line."""
    blocks, current, start = [], [], first_line
    for number, line in enumerate(text.split("\n"), start=first_line):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def parse_srt(text: str) -> list[Cue]:
    cues: list[Cue] = []
    for start_line, lines in _blocks(text):
        timing_index = _timing_line_index(lines)
        if timing_index is None:
            if not cues:
                raise _invalid(_bad_timing_reason(start_line, lines[0]))
            # A blank line inside a caption's text: it belongs to the previous cue.
            cues[-1].text += "\n" + "\n".join(lines)
            continue
        line_number = start_line + timing_index
        match = _SRT_TIMING.match(lines[timing_index])
        if not match:
            raise _invalid(_bad_timing_reason(line_number, lines[timing_index]))
        cue = Cue(
            start=_seconds(match.groups()[:4], line_number),
            end=_seconds(match.groups()[4:], line_number),
            text="\n".join(lines[timing_index + 1 :]),
        )
        cues.append(_checked(cue, line_number))
    return [_cleaned(cue) for cue in cues if cue.text.strip()]


def _timing_line_index(lines: list[str]) -> int | None:
    # The timing line comes first, or second after the cue number.
    for index, line in enumerate(lines[:2]):
        if _TIMING_ATTEMPT.search(line) and not (index == 0 and line.strip().isdigit()):
            return index
    return None


def parse_webvtt(text: str) -> list[Cue]:
    cues: list[Cue] = []
    for start_line, lines in _blocks(text)[1:]:  # the first block is the header
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_index = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing_index is None or timing_index > 1:
            raise _invalid(_bad_timing_reason(start_line, lines[0], webvtt=True))
        line_number = start_line + timing_index
        match = _VTT_TIMING.match(lines[timing_index])
        if not match:
            raise _invalid(_bad_timing_reason(line_number, lines[timing_index], webvtt=True))
        groups = match.groups()
        cue = Cue(
            start=_seconds(groups[0:4], line_number),
            end=_seconds(groups[4:8], line_number),
            text=html.unescape("\n".join(lines[timing_index + 1 :])),
            settings=_settings(groups[8] or ""),
        )
        cues.append(_checked(cue, line_number))
    return [_cleaned(cue) for cue in cues if cue.text.strip()]


def _settings(raw: str) -> str:
    """Keep the cue settings a player understands; drop anything else."""
    return " ".join(token for token in raw.split() if _VTT_SETTING.match(token))


def _bad_timing_reason(line: int, text: str, *, webvtt: bool = False) -> str:
    example = TIMING_EXAMPLE.replace(",", ".") if webvtt else TIMING_EXAMPLE
    return _(
        "ligne %(line)s, le minutage « %(text)s » n'est pas valable (il doit ressembler à "
        "« %(example)s »)."
    ) % {"line": line, "text": text.strip()[:60], "example": example}


def _seconds(groups: tuple, line: int) -> float:
    hours, minutes, seconds, millis = (group or "0" for group in groups)
    if int(minutes) > 59 or int(seconds) > 59:
        raise _invalid(
            _("ligne %(line)s, les minutes et les secondes vont de 00 à 59.") % {"line": line}
        )
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis.ljust(3, "0")) / 1000


def _checked(cue: Cue, line: int) -> Cue:
    if cue.end <= cue.start:
        raise _invalid(
            _("ligne %(line)s, le sous-titre finit avant d'avoir commencé.") % {"line": line}
        )
    return cue


def _cleaned(cue: Cue) -> Cue:
    return Cue(start=cue.start, end=cue.end, text=clean_text(cue.text), settings=cue.settings)


def clean_text(text: str) -> str:
    """Plain text with <b>, <i>, <u> kept; everything else is escaped or removed."""
    lines = []
    for line in text.split("\n"):
        parts = []
        for piece in re.split(r"(</?[biu]>)", line.strip()):
            if _ALLOWED_TAG.fullmatch(piece):
                parts.append(piece)
            else:
                parts.append(html.escape(_ANY_TAG.sub("", piece), quote=False))
        cleaned = "".join(parts).strip()
        if cleaned:
            lines.append(cleaned)
    return "\n".join(lines)


def render_webvtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT\n"]
    for cue in sorted(cues, key=lambda cue: (cue.start, cue.end)):
        timing = f"{vtt_time(cue.start)} --> {vtt_time(cue.end)}"
        if cue.settings:
            timing += " " + cue.settings
        blocks.append(f"{timing}\n{cue.text}\n")
    return "\n".join(blocks)
