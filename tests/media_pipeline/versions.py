"""Video versions built directly in the database and the media storage, without ffmpeg.

For tests of delivery, permissions and state changes, where what matters is the files a
ready version has, not how they were made. Processing tests use the real pipeline
(`receive()`, `process()`).
"""

import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max

from festival.models import original_video_path
from media_pipeline import originals, processing
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.storage_io import walk
from tests import factories

MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=160x90\n360p/index.m3u8\n"
VARIANT = (
    "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"
    '#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.0,\nsegment-000.m4s\n#EXT-X-ENDLIST\n'
)
MP4_BYTES = bytes(range(256)) * 64
SEGMENT_BYTES = b"segment" * 100
VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n"

FILES = {
    "hls/master.m3u8": MASTER.encode(),
    "hls/360p/index.m3u8": VARIANT.encode(),
    "hls/360p/init.mp4": b"init" * 10,
    "hls/360p/segment-000.m4s": SEGMENT_BYTES,
    "film.mp4": MP4_BYTES,
    "posters/candidate-1.jpg": b"\xff\xd8\xff candidate 1",
    "posters/candidate-2.jpg": b"\xff\xd8\xff candidate 2",
    "poster/first/poster-page.jpg": b"\xff\xd8\xff big",
    "poster/first/poster-list.webp": b"RIFF....WEBP",
    "storyboard/storyboard.vtt": (
        b"WEBVTT\n\n00:00.000 --> 00:01.000\nstoryboard.jpg#xywh=0,0,160,90\n"
    ),
    "storyboard/storyboard.jpg": b"\xff\xd8\xff sprite",
    "subtitles/fr-first/captions.vtt": VTT.encode(),
}
OUTPUTS = {
    "renditions": [
        {"name": "360p", "width": 160, "height": 90, "bitrate": 400000, "path": "hls/360p"}
    ],
    "hls": "hls/master.m3u8",
    "mp4": "film.mp4",
    "posters": ["posters/candidate-1.jpg", "posters/candidate-2.jpg"],
    "poster": {
        "source": "posters/candidate-1.jpg",
        "sizes": {
            "page.jpg": "poster/first/poster-page.jpg",
            "list.webp": "poster/first/poster-list.webp",
        },
    },
    "storyboard": {"image": "storyboard/storyboard.jpg", "vtt": "storyboard/storyboard.vtt"},
    "subtitles": [{"language": "fr", "path": "subtitles/fr-first/captions.vtt"}],
}


def store_original(film, content: bytes | None = None) -> str:
    name = original_video_path(film, "montage.mp4")
    return default_storage.save(name, ContentFile(content or factories.tiny_video_bytes()))


def make_version(film, *, status=VideoStatus.QUEUED, with_outputs=None, **kw) -> VideoVersion:
    """A version of `film`; a ready one (or with_outputs=True) gets the FILES above."""
    number = (film.video_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with_outputs = status == VideoStatus.READY if with_outputs is None else with_outputs
    prefix = f"renditions/{film.pk}/{number}/{uuid.uuid4().hex}/" if with_outputs else ""
    for path, content in FILES.items() if with_outputs else ():
        default_storage.save(prefix + path, ContentFile(content))
    fields = {
        "film": film,
        "number": number,
        "original": store_original(film),
        "original_filename": "montage.mp4",
        "original_size": len(factories.tiny_video_bytes()),
        "uploaded_by": film.teacher,
        "status": status,
        "output_prefix": prefix,
        "outputs": OUTPUTS if with_outputs else {},
        "percent": 100 if status == VideoStatus.READY else 0,
    }
    return VideoVersion.objects.create(**{**fields, **kw})


def stored_files(prefix: str) -> list[str]:
    return sorted(walk(prefix))


# Versions made by the real pipeline.


def receive(film, user, path: Path, **kwargs) -> VideoVersion:
    """`path` received as the film's new original, as a finished upload is."""
    return originals.receive_original(
        film=film,
        user=user,
        path=path,
        filename="Montage final.mp4",
        size=path.stat().st_size,
        **kwargs,
    )


def process(version: VideoVersion) -> VideoVersion:
    """One attempt of the version's processing, run here."""
    processing.process_version(version_id=version.pk)
    version.refresh_from_db()
    return version
