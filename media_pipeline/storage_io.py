"""Move files between a local folder and the media storage with constant memory.

Works for any Django storage. S3 gets its own paths because `S3Storage.open()` reads the
whole object into memory (AWS_S3_MAX_MEMORY_SIZE defaults to 0, "never spill to disk"):
downloads stream the object's body in fixed-size chunks instead, and uploads go through
boto3's managed transfer, which reads a bounded number of fixed-size parts.
"""

import mimetypes
import posixpath
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

CHUNK_SIZE = 1024 * 1024

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".ts": "video/mp2t",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".png": "image/png",
    ".json": "application/json",
}


def content_type(name: str) -> str:
    suffix = posixpath.splitext(name)[1].lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def is_s3(storage: Storage) -> bool:
    return isinstance(storage, S3Storage)


def _s3_object(storage: Storage, name: str):
    return storage.bucket.Object(storage._normalize_name(clean_name(name)))


def iter_chunks(name: str, *, storage: Storage = default_storage, start: int = 0, end=None):
    """Yield the bytes of a stored file from `start` to `end` (inclusive), chunk by chunk."""
    if is_s3(storage):
        params = {}
        if start or end is not None:
            params["Range"] = f"bytes={start}-{'' if end is None else end}"
        body = _s3_object(storage, name).get(**params)["Body"]
        try:
            yield from body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()
        return
    with storage.open(name, "rb") as source:
        source.seek(start)
        remaining = None if end is None else end - start + 1
        while remaining is None or remaining > 0:
            chunk = source.read(CHUNK_SIZE if remaining is None else min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


def download(
    name: str,
    target: Path,
    *,
    storage: Storage = default_storage,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Copy a stored file to a local path; return the number of bytes written."""
    written = 0
    with open(target, "wb") as out:
        for chunk in iter_chunks(name, storage=storage):
            out.write(chunk)
            written += len(chunk)
            if on_chunk is not None:
                on_chunk(written)
    return written


def upload_fileobj(fileobj, name: str, *, storage: Storage = default_storage) -> str:
    """Store an open binary file under exactly `name` (never a renamed copy)."""
    if is_s3(storage):
        # Our names are fresh (uuids), so no need for storage.save()'s exists() round trip.
        fileobj.seek(0)
        _s3_object(storage, name).upload_fileobj(
            fileobj,
            ExtraArgs={"ContentType": content_type(name)},
            Config=storage.transfer_config,
        )
        return name
    saved = storage.save(name, File(fileobj, name=posixpath.basename(name)))
    if saved != name:
        storage.delete(saved)
        raise FileExistsError(f"{name} already exists in the media storage")
    return saved


def upload(source: Path, name: str, *, storage: Storage = default_storage) -> str:
    with open(source, "rb") as fileobj:
        return upload_fileobj(fileobj, name, storage=storage)


def upload_tree(
    folder: Path,
    prefix: str,
    *,
    storage: Storage = default_storage,
    on_file: Callable[[str], None] | None = None,
) -> list[str]:
    """Upload every file under `folder` to `prefix` + its relative path, one file at a time."""
    stored = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = prefix + path.relative_to(folder).as_posix()
        stored.append(upload(path, name, storage=storage))
        if on_file is not None:
            on_file(name)
    return stored


def walk(prefix: str, *, storage: Storage = default_storage) -> Iterator[str]:
    """Names of every stored file under `prefix` (a folder name ending with a slash)."""
    if is_s3(storage):
        root = storage._normalize_name(clean_name(prefix))
        for obj in storage.bucket.objects.filter(Prefix=root.rstrip("/") + "/"):
            yield prefix + obj.key[len(root.rstrip("/")) + 1 :]
        return
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for filename in files:
        yield prefix + filename
    for directory in directories:
        yield from walk(f"{prefix}{directory}/", storage=storage)


def delete_prefix(prefix: str, *, storage: Storage = default_storage) -> int:
    """Delete every file under `prefix`; return how many there were."""
    if not prefix or not prefix.endswith("/"):
        raise ValueError(f"Refusing to delete {prefix!r}: not a folder name")
    names = list(walk(prefix, storage=storage))
    for name in names:
        storage.delete(name)
    if hasattr(storage, "path"):
        # Local disk: also remove the emptied folders.
        try:
            shutil.rmtree(storage.path(prefix))
        except (FileNotFoundError, NotImplementedError):
            pass
    return len(names)
