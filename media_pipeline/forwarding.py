"""A forwarded film's media: rows copied, stored files shared (festival.domain.transfers).

A film accepted in another festival's edition (a national final) plays at once: its playable
version is copied as a new row of the new film, pointing at the same original and the same
output folder (renditions, posters, HLS, captions). Nothing is copied in storage; the files are
deleted only when no row refers to them any more (`festival.stored_files`, whose counter for
this app's rows is `references`).
"""

from festival.models import Film
from media_pipeline.models import LadderStatus, VideoStatus, VideoVersion


def copy_media(*, source: Film, target: Film) -> VideoVersion | None:
    """Give `target` a ready version sharing the files of `source`'s playable one."""
    version = VideoVersion.objects.playable_for(source)
    if version is None:
        return None
    # A second pass still running on the source adds files the copy's manifest does not list:
    # the copy plays what is ready now, and never runs a pass of its own on shared files.
    ladder = version.ladder_status
    if ladder not in (LadderStatus.NONE, LadderStatus.DONE):
        ladder = LadderStatus.NONE
    return VideoVersion.objects.create(
        film=target,
        number=1,
        original=version.original.name,
        original_filename=version.original_filename,
        original_size=version.original_size,
        uploaded_by=version.uploaded_by,
        status=VideoStatus.READY,
        percent=100,
        probe=version.probe,
        outputs=version.outputs,
        output_prefix=version.output_prefix,
        timings=version.timings,
        ladder_status=ladder,
        queued_at=version.queued_at,
        started_at=version.started_at,
        finished_at=version.finished_at,
    )


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _ancestors(name: str) -> list[str]:
    """The folders a stored name lies in, each ending with a slash ("a/", "a/b/", …)."""
    parts = name.rstrip("/").split("/")[:-1]
    return ["/".join(parts[: index + 1]) + "/" for index in range(len(parts))]


def references(name: str) -> int:
    """Rows of this app that still need `name`: an original, a ready version's whole output
    folder, or a folder or file inside it that its manifest lists."""
    count = VideoVersion.objects.filter(original=name).count()
    ready = VideoVersion.objects.filter(status=VideoStatus.READY)
    if name.endswith("/"):
        count += ready.filter(output_prefix=name).count()
    inside = ready.filter(output_prefix__in=_ancestors(name)).values_list(
        "output_prefix", "outputs"
    )
    for prefix, outputs in inside:
        relative = name[len(prefix) :].rstrip("/")
        if any(text == relative or text.startswith(relative + "/") for text in _strings(outputs)):
            count += 1
    return count
