"""The ffmpeg filter chains of a transcode: the picture (deinterlaced, constant frame rate, HDR
tone-mapped to SDR, 8-bit 4:2:0) and the soundtrack (loudness normalised, stereo), from its plan."""

from fractions import Fraction

import ffmpeg

from media_pipeline.probe import loudness_filter_args
from media_pipeline.transcode_plan import TranscodePlan


def video_chain(video, plan: TranscodePlan):
    """Deinterlace, constant frame rate, SDR BT.709 4:2:0 at the top rung's size."""
    if plan.deinterlace == "interlaced":
        video = video.filter("bwdif", mode="send_frame", deint="all")
    elif plan.deinterlace == "detected":
        # idet marks the frames it finds combed; bwdif then touches only those.
        video = video.filter("idet").filter("bwdif", mode="send_frame", deint="interlaced")
    # Rotation needs no filter: ffmpeg applies the display matrix itself (autorotate) and
    # writes none to the outputs.
    return picture_chain(video.filter("fps", fps=_fraction(plan.frame_rate)), plan)


def picture_chain(video, plan: TranscodePlan):
    """SDR BT.709 4:2:0 pictures at the top rung's size."""
    top = plan.top
    if plan.hdr_transfer:
        video = _tone_map(video, plan)
    else:
        video = video.filter(
            "scale",
            top.width,
            top.height,
            in_color_matrix=plan.source_matrix,
            out_color_matrix="bt709",
            out_range="tv",
        )
    return video.filter("setsar", 1).filter("format", "yuv420p")


def _tone_map(video, plan: TranscodePlan):
    """PQ or HLG to SDR BT.709: zimg's linearisation, then Hable's curve.

    Debian 12's ffmpeg 5.1 is built with libzimg (`ffmpeg -filters` lists zscale and
    tonemap), so no fallback is carried; an ffmpeg without zscale fails this graph and the
    job fails with that in its log. Scaling to the top rung happens in the same zscale, so
    a 4K HDR film is tone-mapped at 1080p.
    """
    top = plan.top
    return (
        video.filter(
            "zscale",
            w=top.width,
            h=top.height,
            tin=plan.hdr_transfer,
            min=plan.hdr_matrix,
            pin=plan.hdr_primaries,
            rin="tv",
            t="linear",
            npl=100,
        )
        .filter("format", "gbrpf32le")
        .filter("zscale", p="bt709")
        .filter("tonemap", tonemap="hable", desat=0)
        .filter("zscale", t="bt709", m="bt709", r="tv")
    )


def audio_stream(source, plan: TranscodePlan):
    if plan.audio == "copy":
        return source["a:0"]
    if plan.audio == "silence":
        silence = ffmpeg.input(
            "anullsrc=channel_layout=stereo:sample_rate=48000", f="lavfi", t=f"{plan.duration}"
        )
        return silence["a:0"]
    audio = source["a:0"].filter("aformat", sample_rates=48000, channel_layouts="stereo")
    if plan.loudness is not None:
        audio = audio.filter("loudnorm", **_loudnorm_second_pass(plan))
    # loudnorm works at 192 kHz; bring it back to 48 kHz stereo for AAC.
    return audio.filter("aresample", 48000).filter(
        "aformat", sample_fmts="fltp", sample_rates=48000, channel_layouts="stereo"
    )


def _loudnorm_second_pass(plan: TranscodePlan) -> dict[str, object]:
    """Two-pass EBU R128: the measured values let loudnorm apply one linear gain."""
    measured = plan.loudness
    return {
        **loudness_filter_args(plan.loudness_target),
        "measured_I": measured.integrated,
        "measured_TP": measured.true_peak,
        "measured_LRA": measured.lra,
        "measured_thresh": measured.threshold,
        "offset": measured.offset,
        "linear": "true",
        "print_format": "none",
    }


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"
