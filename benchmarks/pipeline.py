"""Speed and quality of the media pipeline, measured side by side in one run.

    python benchmarks/pipeline.py [--seconds 60] [--keep DIR]

Generates two 1080p30 test films of --seconds seconds (testsrc2 with temporal grain, tone
and pink noise):
- "camera": H.264 High 4:2:2 at up to 50 Mb/s, as cameras write it: every output must be
  encoded;
- "compliant": H.264 High 4:2:0 + AAC 48 kHz stereo at -16 LUFS: the fast path applies.

Measures (wall time, each pair in the same run, one after the other):
- overhead_ratio: run_pipeline on the camera film over the plain ffmpeg commands that make
  the same outputs: the loudness first pass, then the pipeline's own transcoding command
  line run directly. The difference is what the pipeline adds: probing, the decode check,
  validation, progress parsing, the master playlist and the storyboard track.
- ladder_vs_separate_ratio: the four HLS renditions (1080p, 720p, 480p, 360p, with their
  sound) made by one ffmpeg run that decodes once and splits, over four ffmpeg runs that
  each make one rendition with the same filters and encoder settings.
- fast_path_ratio: the time until the compliant film can be watched, i.e. the first pass
  (top rendition and MP4 stream-copied, posters and storyboard from its keyframes), over
  re-encoding the same film with the fast path switched off (every output in one pass).
  fast_path_complete_ratio adds the second pass (the lower rungs, which workers make in a
  job of their own after the film is watchable): both passes over the same re-encode.
  fast_path_top_rendition_ratio isolates what the copy replaces: making the top rendition
  (HLS + MP4) by stream copy over encoding it.
- ssim_720p: SSIM of the camera film's 720p rendition against the source scaled to 720p.

Ratios are of wall time; cpu_time_ratios gives the same ratios in CPU seconds (this process
and its ffmpeg children), which a busy machine disturbs far less, and load_average says how
busy it was. The last line printed is a JSON object with these keys and the timings they
come from.
"""

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from media_pipeline import ffmpeg_runner as runner  # noqa: E402
from media_pipeline import pipeline, probe, transcode, transcode_plan  # noqa: E402

PICTURE = "testsrc2=size=1920x1080:rate=30,noise=alls=6:allf=t"
SOUND = (
    "sine=frequency=440:sample_rate=48000[tone];"
    "anoisesrc=color=pink:amplitude=0.2:sample_rate=48000[noise];"
    "[tone][noise]amix=inputs=2,aformat=channel_layouts=stereo"
)


def ffmpeg(*args: str, cwd: Path | None = None) -> str:
    completed = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-y", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stderr


@dataclass
class Cost:
    wall: float  # seconds on the clock
    cpu: float  # CPU seconds of this process and of every ffmpeg it ran

    def ratio(self, other: "Cost") -> dict[str, float]:
        return {"wall": round(self.wall / other.wall, 3), "cpu": round(self.cpu / other.cpu, 3)}


def _cpu_seconds() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function, *args, **kwargs) -> tuple[Cost, object]:
    """Wall and CPU time of one call. CPU time barely moves when other work shares the
    machine, so it is reported next to wall time to tell a real cost from a busy host."""
    wall, cpu = time.monotonic(), _cpu_seconds()
    value = function(*args, **kwargs)
    return Cost(time.monotonic() - wall, _cpu_seconds() - cpu), value


def make_films(folder: Path, seconds: int) -> tuple[Path, Path]:
    camera, compliant = folder / "camera.mp4", folder / "compliant.mp4"
    common = ["-f", "lavfi", "-i", PICTURE, "-f", "lavfi", "-i", SOUND, "-t", str(seconds)]
    tags = ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]
    ffmpeg(
        *common,
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv422p"),
        *("-maxrate", "50M", "-bufsize", "100M"),
        *tags,
        *("-c:a", "aac", "-b:a", "192k", str(camera)),
    )
    ffmpeg(
        *common,
        *("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p"),
        *("-b:v", "8M", "-maxrate", "10M", "-bufsize", "16M", "-g", "60", *tags),
        *("-af", "loudnorm=I=-16:TP=-1.5:LRA=11", "-ar", "48000"),
        *("-c:a", "aac", "-b:a", "192k", "-movflags", "+faststart", str(compliant)),
    )
    return camera, compliant


def run_pipeline(
    source: Path, out: Path, *, first_pass_only: bool = False, **kwargs
) -> tuple[Cost, pipeline.PipelineResult]:
    """Every output (both passes on the fast path), or with first_pass_only the watchable film."""
    function = pipeline.process if first_pass_only else pipeline.run_pipeline
    cost, result = timed(function, source=source, out_dir=out, **kwargs)
    if result.status != "ready":
        raise SystemExit(f"pipeline failed on {source}: {result}")
    return cost, result


def plan_for(source: Path, *, allow_fast_path: bool = True) -> transcode_plan.TranscodePlan:
    deadline = runner.Deadline(None)
    info = probe.probe(source, deadline=deadline)
    analysis = probe.analyse(source, info, loudness_target=-16, deadline=deadline)
    return transcode_plan.make_plan(
        source=source,
        info=info,
        check=analysis.check,
        loudness=analysis.loudness,
        loudness_target=-16,
        allow_fast_path=allow_fast_path,
    )


def plain_commands(source: Path, plan: transcode_plan.TranscodePlan, out: Path) -> Cost:
    """The same outputs, made by running ffmpeg directly: loudness pass, then transcoding."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    transcode.prepare_out_dir(out, plan)
    command = transcode.build_command(plan)

    def run() -> None:
        ffmpeg(
            *("-i", str(source), "-vn", "-af"),
            "aformat=sample_rates=48000:channel_layouts=stereo,"
            "loudnorm=I=-16:TP=-1.5:LRA=11:print_format=json",
            *("-f", "null", "-"),
        )
        subprocess.run(command, cwd=out, check=True, capture_output=True)

    cost, _ = timed(run)
    return cost


def rung_filters(plan: transcode_plan.TranscodePlan, rungs: list[transcode_plan.Rung]) -> str:
    """The pipeline's video chain, split into the given rungs: [v0], [v1]..."""
    top = plan.top
    chain = (
        f"[0:v:0]fps={plan.frame_rate},scale={top.width}:{top.height}:"
        f"in_color_matrix={plan.source_matrix}:out_color_matrix=bt709:out_range=tv,"
        "setsar=1,format=yuv420p"
    )
    if len(rungs) == 1:
        rung = rungs[0]
        return f"{chain},scale={rung.width}:{rung.height}[v0]"
    labels = "".join(f"[c{index}]" for index in range(len(rungs)))
    scales = ";".join(
        f"[c{index}]scale={rung.width}:{rung.height}[v{index}]" for index, rung in enumerate(rungs)
    )
    return f"{chain},split={len(rungs)}{labels};{scales}"


def audio_filter(plan: transcode_plan.TranscodePlan) -> str:
    measured = plan.loudness
    return (
        "[0:a:0]aformat=sample_rates=48000:channel_layouts=stereo,"
        f"loudnorm=I=-16:TP=-1.5:LRA=11:measured_I={measured.integrated}:"
        f"measured_TP={measured.true_peak}:measured_LRA={measured.lra}:"
        f"measured_thresh={measured.threshold}:offset={measured.offset}:linear=true,"
        "aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[a]"
    )


def video_settings(
    plan: transcode_plan.TranscodePlan, index: int, rung: transcode_plan.Rung
) -> list[str]:
    gop = str(round(plan.frame_rate * transcode_plan.SEGMENT_SECONDS))
    return [
        *(f"-c:v:{index}", "libx264", f"-preset:v:{index}", plan.preset),
        *(f"-profile:v:{index}", "high", f"-pix_fmt:v:{index}", "yuv420p"),
        *(f"-b:v:{index}", str(rung.bitrate), f"-maxrate:v:{index}", str(rung.maxrate)),
        *(f"-bufsize:v:{index}", str(rung.bufsize), f"-g:v:{index}", gop),
        *(f"-keyint_min:v:{index}", gop, f"-sc_threshold:v:{index}", "0"),
        *(f"-flags:v:{index}", "+global_header"),
    ]


def hls_slave(index: int, audio_index: int, rung: transcode_plan.Rung) -> str:
    folder = f"hls/{rung.name}"
    return (
        f"[select={index},{audio_index}:f=hls:hls_time={transcode_plan.SEGMENT_SECONDS}:"
        "hls_playlist_type=vod:hls_segment_type=fmp4:hls_fmp4_init_filename=init.mp4:"
        f"hls_segment_filename={folder}/segment-%05d.m4s]{folder}/index.m3u8"
    )


def ladder_command(
    source: Path, plan: transcode_plan.TranscodePlan, rungs: list[transcode_plan.Rung]
):
    maps = [arg for index in range(len(rungs)) for arg in ("-map", f"[v{index}]")]
    settings = [
        arg for index, rung in enumerate(rungs) for arg in video_settings(plan, index, rung)
    ]
    slaves = "|".join(hls_slave(index, len(rungs), rung) for index, rung in enumerate(rungs))
    return [
        *(
            "-i",
            str(source),
            "-filter_complex",
            f"{rung_filters(plan, rungs)};{audio_filter(plan)}",
        ),
        *maps,
        *("-map", "[a]", *settings, "-c:a", "aac", "-b:a", str(transcode.AUDIO_BITRATE)),
        *("-flags:a", "+global_header", "-f", "tee", slaves),
    ]


def ladder_runs(source: Path, plan: transcode_plan.TranscodePlan, out: Path) -> tuple[Cost, Cost]:
    """One decode for the four renditions, then one run per rendition; both timed."""
    single, separate = out / "single", out / "separate"
    for folder in (single, separate):
        for rung in plan.rungs:
            (folder / "hls" / rung.name).mkdir(parents=True)
    one_run, _ = timed(ffmpeg, *ladder_command(source, plan, plan.rungs), cwd=single)

    def one_per_rendition() -> None:
        for rung in plan.rungs:
            ffmpeg(*ladder_command(source, plan, [rung]), cwd=separate)

    runs, _ = timed(one_per_rendition)
    return one_run, runs


def top_rendition_runs(source: Path, plan: transcode_plan.TranscodePlan, out: Path):
    """The top rendition as HLS + MP4 through tee: stream copy, then encoding."""
    top = plan.top
    slaves = hls_slave(0, 1, top) + "|[select=0,1:f=mp4:movflags=+faststart]film.mp4"
    timings = []
    variants = {
        "copy": ["-map", "0:v:0", "-c:v", "copy"],
        "encode": [
            *("-filter_complex", rung_filters(plan, [top]), "-map", "[v0]"),
            *video_settings(plan, 0, top),
        ],
    }
    for name, video in variants.items():
        folder = out / name
        (folder / "hls" / top.name).mkdir(parents=True)
        cost, _ = timed(
            ffmpeg,
            *("-i", str(source), *video, "-map", "0:a:0", "-c:a", "copy", "-f", "tee", slaves),
            cwd=folder,
        )
        timings.append(cost)
    return timings


def ssim_720p(source: Path, rendition: Path, folder: Path) -> float:
    joined = folder / "720p.mp4"
    playlist = (rendition / "index.m3u8").read_text()
    with joined.open("wb") as output:
        output.write((rendition / "init.mp4").read_bytes())
        for name in re.findall(r"^(segment-\d+\.m4s)$", playlist, re.MULTILINE):
            output.write((rendition / name).read_bytes())
    log = ffmpeg(
        *("-i", str(joined), "-i", str(source), "-filter_complex"),
        "[1:v]scale=1280:720,format=yuv420p[ref];[0:v]format=yuv420p[out];[out][ref]ssim",
        *("-f", "null", "-"),
    )
    return float(re.findall(r"SSIM .* All:([\d.]+)", log)[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the pipeline / plain ffmpeg pair this many times, alternating; keep the best",
    )
    parser.add_argument("--keep", type=Path, help="keep the films and outputs in this folder")
    parser.add_argument(
        "--skip-io",
        action="store_true",
        help="skip the 2 GB measurements (worker memory, resumable upload)",
    )
    options = parser.parse_args()
    folder = Path(options.keep or tempfile.mkdtemp(prefix="filmit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        report = measure(folder, options.seconds, repeat=options.repeat)
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if not options.skip_io:
        report.update(io_measurements())
    print(json.dumps(report))


def io_measurements() -> dict:
    """The 2 GB measurements, each made by its own script against its own baseline."""
    merged = {}
    for script, keys in (
        ("worker_memory.py", ("worker_peak_rss_mb", "worker_idle_rss_mb")),
        ("upload.py", ("upload_rss_growth_mb", "upload_throughput_ratio")),
    ):
        print(f"{script}…", flush=True)
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name(script))],
            capture_output=True,
            text=True,
            check=True,
        )
        last = json.loads(done.stdout.strip().splitlines()[-1])
        merged.update({key: last[key] for key in keys})
    return merged


def best(costs: list[Cost]) -> Cost:
    return Cost(min(c.wall for c in costs), min(c.cpu for c in costs))


def measure(folder: Path, seconds: int, *, repeat: int) -> dict:
    load_before = os.getloadavg()[0]
    print(f"Generating two {seconds} s 1080p films in {folder}…", flush=True)
    camera, compliant = make_films(folder, seconds)
    camera_plan = plan_for(camera)
    print("Pipeline vs plain ffmpeg…", flush=True)
    pipeline_costs, plain_costs = [], []
    for _ in range(repeat):
        cost, result = run_pipeline(camera, folder / "pipeline")
        pipeline_costs.append(cost)
        plain_costs.append(plain_commands(camera, camera_plan, folder / "plain"))
    pipeline_cost, plain_cost = best(pipeline_costs), best(plain_costs)
    print("One decode for the ladder vs one run per rendition…", flush=True)
    ladder, separate = ladder_runs(camera, camera_plan, folder / "ladder")
    print("Fast path vs re-encoding…", flush=True)
    watchable_cost, watchable = run_pipeline(compliant, folder / "fast", first_pass_only=True)
    complete_cost, complete = run_pipeline(compliant, folder / "complete")
    full_cost, full = run_pipeline(compliant, folder / "full", allow_fast_path=False)
    if not watchable.fast_path or not watchable.pending_renditions or full.fast_path:
        raise SystemExit("the compliant film did not take the expected branches")
    if [r.name for r in complete.renditions] != [r.name for r in full.renditions]:
        raise SystemExit("both passes must make the same ladder as a re-encode")
    copy_top, encode_top = top_rendition_runs(compliant, plan_for(compliant), folder / "top")
    print("SSIM of the 720p rendition…", flush=True)
    ssim = ssim_720p(camera, folder / "pipeline" / "hls" / "720p", folder)
    ratios = {
        "overhead_ratio": pipeline_cost.ratio(plain_cost),
        "ladder_vs_separate_ratio": ladder.ratio(separate),
        "fast_path_ratio": watchable_cost.ratio(full_cost),
        "fast_path_complete_ratio": complete_cost.ratio(full_cost),
        "fast_path_top_rendition_ratio": copy_top.ratio(encode_top),
    }
    costs = {
        "pipeline": pipeline_cost,
        "plain_ffmpeg": plain_cost,
        "ladder_one_decode": ladder,
        "ladder_separate_runs": separate,
        "fast_path_watchable": watchable_cost,
        "fast_path_both_passes": complete_cost,
        "fast_path_off": full_cost,
        "top_rendition_copy": copy_top,
        "top_rendition_encode": encode_top,
    }
    return {
        **{name: ratio["wall"] for name, ratio in ratios.items()},
        "ssim_720p": round(ssim, 4),
        "cpu_time_ratios": {name: ratio["cpu"] for name, ratio in ratios.items()},
        "film_seconds": seconds,
        "preset": camera_plan.preset,
        "cpu_count": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "wall_seconds": {name: round(cost.wall, 2) for name, cost in costs.items()},
        "cpu_seconds": {name: round(cost.cpu, 2) for name, cost in costs.items()},
        "pipeline_timings": result.timings,
    }


if __name__ == "__main__":
    main()
