"""A ready version's manifest (`outputs`): its poster and captions, chosen after processing.

The teacher of the film (or an organizer of its festival) picks the poster among the frames
the pipeline drew, or sends an image, and adds captions. Each change writes new files in a
fresh folder, then swaps them into the manifest under a row lock: a version replaced
meanwhile keeps nothing of it.
"""

import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.models import User
from media_pipeline import jobs, storage_io
from media_pipeline.acceptance import MediaRejected
from media_pipeline.delivery import SUBTITLE_LANGUAGES
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.posters import make_poster_sizes
from media_pipeline.rules import can_manage_media
from media_pipeline.subtitles import convert_to_webvtt

MAX_POSTER_BYTES = 20 * 1024**2
MAX_SUBTITLE_BYTES = 2 * 1024**2


def make_default_poster(outputs: dict, *, out_dir: Path) -> dict | None:
    """Sizes of the first candidate frame, until the teacher picks one."""
    if not outputs["posters"]:
        return None
    folder = f"poster/{uuid.uuid4().hex[:12]}"
    sizes = make_poster_sizes(image=out_dir / outputs["posters"][0], out_dir=out_dir / folder)
    return {"source": outputs["posters"][0], "sizes": _relative_sizes(sizes, folder)}


def _relative_sizes(sizes: dict, folder: str) -> dict[str, str]:
    return {key: f"{folder}/{Path(path).name}" for key, path in sizes.items()}


def _check_can_manage(*, version: VideoVersion, user: User) -> None:
    if not can_manage_media(user, version.film):
        raise DomainError(_("Vous ne pouvez pas modifier cette vidéo."), code="forbidden")
    if version.status != VideoStatus.READY:
        raise DomainError(
            _("La vidéo doit être prête pour choisir son affiche ou ajouter des sous-titres."),
            code="not_ready",
        )


def _save_upload(uploaded_file, target: Path, *, limit: int) -> None:
    if uploaded_file.size > limit:
        raise DomainError(
            _("Ce fichier pèse %(size)s : la taille maximale est de %(limit)s.")
            % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    with open(target, "wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)


def _check_image(path: Path) -> None:
    with open(path, "rb") as image:
        head = image.read(12)
    is_image = (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )
    if not is_image:
        raise DomainError(_("L'affiche doit être une image JPEG, PNG ou WebP."), code="poster_type")


def _rejected(error) -> DomainError:
    """A MediaRejected from the pipeline, as the festival app's DomainError."""
    return DomainError(error.message, code=error.code)


def _update_outputs(version: VideoVersion, update, *, uploaded_prefix: str) -> VideoVersion:
    """Change a ready version's manifest under a row lock; undo our uploads if it moved on."""
    with transaction.atomic():
        locked = VideoVersion.objects.select_for_update().get(pk=version.pk)
        current = (
            locked.status == VideoStatus.READY and locked.output_prefix == version.output_prefix
        )
        if current:
            outputs = dict(locked.outputs)
            removed = update(outputs)
            locked.outputs = outputs
            locked.save(update_fields=["outputs"])
            for folder in removed:
                jobs.delete_outputs_on_commit(locked.output_prefix + folder)
    if not current:
        jobs.delete_outputs(uploaded_prefix)
        raise DomainError(_("Cette vidéo vient d'être remplacée."), code="stale")
    version.outputs = outputs
    return version


def choose_poster(
    *, version: VideoVersion, user: User, candidate: str = "", image=None
) -> VideoVersion:
    """Use one of the candidate frames, or an uploaded image, as the film's poster."""
    _check_can_manage(version=version, user=user)
    if candidate and candidate not in version.outputs.get("posters", []):
        raise DomainError(_("Choisissez l'une des images proposées."), code="unknown_candidate")
    if not candidate and image is None:
        raise DomainError(_("Choisissez une image ou envoyez-en une."), code="no_image")
    folder = f"poster/{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="filmit-poster-", dir=settings.MEDIA_WORK_DIR) as tmp:
        source = Path(tmp) / "image"
        if candidate:
            storage_io.download(version.output_prefix + candidate, source)
        else:
            _save_upload(image, source, limit=MAX_POSTER_BYTES)
            _check_image(source)
        try:
            sizes = make_poster_sizes(image=source, out_dir=Path(tmp) / "sizes")
        except MediaRejected as error:
            raise _rejected(error) from None
        storage_io.upload_tree(Path(tmp) / "sizes", f"{version.output_prefix}{folder}/")

    def update(outputs):
        previous = (outputs.get("poster") or {}).get("sizes") or {}
        outputs["poster"] = {
            "source": candidate or "upload",
            "sizes": _relative_sizes(sizes, folder),
        }
        return {f"{Path(path).parent.as_posix()}/" for path in previous.values()}

    return _update_outputs(version, update, uploaded_prefix=f"{version.output_prefix}{folder}/")


def add_subtitles(
    *, version: VideoVersion, user: User, uploaded_file, language: str
) -> VideoVersion:
    """Convert SRT or WebVTT captions to WebVTT; they replace earlier ones in that language."""
    _check_can_manage(version=version, user=user)
    if language not in dict(SUBTITLE_LANGUAGES):
        raise DomainError(_("Choisissez la langue des sous-titres."), code="language")
    folder = f"subtitles/{language}-{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="filmit-subs-", dir=settings.MEDIA_WORK_DIR) as tmp:
        source = Path(tmp) / "source"
        _save_upload(uploaded_file, source, limit=MAX_SUBTITLE_BYTES)
        (Path(tmp) / "out").mkdir()
        try:
            convert_to_webvtt(source=source, target=Path(tmp) / "out" / "captions.vtt")
        except MediaRejected as error:
            raise _rejected(error) from None
        storage_io.upload_tree(Path(tmp) / "out", f"{version.output_prefix}{folder}/")

    def update(outputs):
        tracks = outputs.get("subtitles") or []
        removed = {
            f"{Path(t['path']).parent.as_posix()}/" for t in tracks if t["language"] == language
        }
        outputs["subtitles"] = [t for t in tracks if t["language"] != language] + [
            {"language": language, "path": f"{folder}/captions.vtt"}
        ]
        return removed

    return _update_outputs(version, update, uploaded_prefix=f"{version.output_prefix}{folder}/")
