"""Poster candidates, storyboard sprite and the poster sizes shown on the site.

Candidates and the storyboard are branches of the transcoding filter graph (the film is
decoded once); this module plans them, writes the storyboard's WebVTT track and makes the
list and page sizes of the poster a teacher chose.
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg

from media_pipeline import ffmpeg_runner as runner
from media_pipeline.acceptance import Code, reject

POSTER_COUNT = 6
# Frames the thumbnail filter compares for each candidate. It holds them all in memory,
# so this, not the film's length, bounds it: 20 frames of 1080p are about 60 MB.
POSTER_BATCH = 20
POSTER_PATTERN = "posters/poster-%02d.jpg"

STORYBOARD_MAX_TILES = 100
STORYBOARD_COLUMNS = 10
STORYBOARD_THUMB_LONG_SIDE = 160
STORYBOARD_IMAGE = "storyboard/storyboard.jpg"
STORYBOARD_VTT = "storyboard/storyboard.vtt"

# Poster sizes: the box each size must fit in, never enlarged.
POSTER_SIZES = {"list": 480, "page": 1280}
# A 48-megapixel phone photo must pass; the decoder still never allocates more than this.
POSTER_MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class StoryboardPlan:
    interval: int  # seconds between two tiles
    count: int
    columns: int
    rows: int
    thumb_width: int
    thumb_height: int


def poster_branch(
    stream, *, duration: float, frame_rate: Fraction, sampled_rate: Fraction | None = None
):
    """Sample the film evenly, then let `thumbnail` pick the most typical frame per sixth.

    `sampled_rate`: how many distinct frames a second `stream` carries when only keyframes
    are decoded; batches are sized on those, so that each candidate is picked among
    different pictures rather than copies of one keyframe.
    """
    total_frames = max(1, int(duration * (sampled_rate or frame_rate)))
    # thumbnail needs at least two frames to compare, even in a film of a few frames.
    batch = max(2, min(POSTER_BATCH, total_frames // POSTER_COUNT))
    rate = Fraction(POSTER_COUNT * batch) / Fraction(duration).limit_denominator(1000)
    rate = min(rate, Fraction(frame_rate))
    sampled = stream.filter("fps", fps=_fraction(rate))
    if sampled_rate is not None:
        # Keyframes end before the film does: the stream was padded, cut it at the end.
        sampled = sampled.filter("trim", duration=f"{duration:.3f}")
    return sampled.filter("thumbnail", n=batch)


def poster_output(stream):
    return stream.output(
        POSTER_PATTERN,
        **{"frames:v": POSTER_COUNT, "c:v": "mjpeg", "q:v": 2, "fps_mode": "passthrough"},
    )


def plan_storyboard(*, duration: float, width: int, height: int) -> StoryboardPlan:
    """One tile every N whole seconds, N chosen so that the sprite holds at most 100 tiles."""
    interval = max(1, math.ceil(duration / STORYBOARD_MAX_TILES))
    count = max(1, math.ceil(duration / interval))
    columns = min(STORYBOARD_COLUMNS, count)
    if width >= height:
        thumb_width = STORYBOARD_THUMB_LONG_SIDE
        thumb_height = _even(STORYBOARD_THUMB_LONG_SIDE * height / width)
    else:
        thumb_height = STORYBOARD_THUMB_LONG_SIDE
        thumb_width = _even(STORYBOARD_THUMB_LONG_SIDE * width / height)
    return StoryboardPlan(
        interval=interval,
        count=count,
        columns=columns,
        rows=math.ceil(count / columns),
        thumb_width=thumb_width,
        thumb_height=thumb_height,
    )


def storyboard_branch(stream, plan: StoryboardPlan, *, end: float | None = None):
    """One tile every `interval` seconds; `end` cuts a stream padded past the film's end."""
    sampled = stream.filter("fps", fps=f"1/{plan.interval}")
    if end is not None:
        sampled = sampled.filter("trim", duration=f"{end:.3f}")
    return sampled.filter("scale", plan.thumb_width, plan.thumb_height).filter(
        "tile", f"{plan.columns}x{plan.rows}"
    )


def storyboard_output(stream, *, path: str = STORYBOARD_IMAGE):
    return stream.output(path, **{"frames:v": 1, "c:v": "mjpeg", "q:v": 4})


def write_storyboard_vtt(
    *, out_dir: Path, plan: StoryboardPlan, duration: float, path: str = STORYBOARD_VTT
) -> None:
    """A WebVTT thumbnails track: each time window points at its tile with #xywh."""
    image = Path(STORYBOARD_IMAGE).name  # the track sits next to its sprite
    lines = ["WEBVTT", ""]
    for index in range(plan.count):
        start = index * plan.interval
        end = min(duration, start + plan.interval)
        x = (index % plan.columns) * plan.thumb_width
        y = (index // plan.columns) * plan.thumb_height
        lines += [
            f"{vtt_time(start)} --> {vtt_time(end)}",
            f"{image}#xywh={x},{y},{plan.thumb_width},{plan.thumb_height}",
            "",
        ]
    (out_dir / path).write_text("\n".join(lines), encoding="utf-8")


def vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def make_poster_sizes(
    *, image: Path, out_dir: Path, deadline: runner.Deadline | None = None
) -> dict[str, str]:
    """The chosen poster for list cards and film pages, in WebP and JPEG, never enlarged.

    `image` may be a candidate frame or a picture a teacher uploaded: it is read with the
    image demuxers only, under the same restrictions as films; an unreadable one raises
    MediaRejected("poster_invalid"). Returns file name -> path relative to `out_dir`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    source = ffmpeg.input(
        runner.file_url(image),
        **runner.untrusted_input_options(
            max_pixels=POSTER_MAX_PIXELS, formats=runner.IMAGE_FORMAT_WHITELIST
        ),
    )
    # ffmpeg turns a phone photo upright itself from its EXIF orientation.
    copies = source["v:0"].split()
    outputs, result = [], {}
    for index, (size, box) in enumerate(POSTER_SIZES.items()):
        scaled = copies[index].filter(
            "scale",
            w=f"min(iw,{box})",
            h=f"min(ih,{box})",
            force_original_aspect_ratio="decrease",
        )
        both = scaled.split()
        for branch, (extension, codec) in enumerate((("webp", "libwebp"), ("jpg", "mjpeg"))):
            name = f"{size}.{extension}"
            relative = f"poster-{name}"
            quality = {"quality": 82} if codec == "libwebp" else {"q:v": 3}
            outputs.append(
                both[branch].output(relative, **{"frames:v": 1, "c:v": codec, **quality})
            )
            result[name] = relative
    args = [
        runner.FFMPEG,
        "-nostdin",
        "-hide_banner",
        "-y",
        *ffmpeg.get_args(ffmpeg.merge_outputs(*outputs)),
    ]
    try:
        runner.run(args, deadline=deadline or runner.Deadline(60), cwd=out_dir)
    except runner.FfmpegTimeout:
        raise
    except runner.FfmpegError as error:
        raise reject(Code.POSTER_INVALID) from error
    return result


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _fraction(value: Fraction) -> str:
    value = Fraction(value).limit_denominator(100_000)
    return f"{value.numerator}/{value.denominator}"
