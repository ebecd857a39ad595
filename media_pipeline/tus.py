"""Resumable uploads (tus 1.0): partial uploads kept on disk until they are complete.

No database model: each upload is a folder under ``settings.FILMIT_UPLOAD_DIR`` holding the
bytes received so far (``data``), a small JSON file (``info.json``) and a lock file. The folder
can live on a volume shared by several web servers: every decision is taken under an
``fcntl.flock`` on the lock file and from the JSON file re-read under it.

Once complete, an upload's data is checked (``media_pipeline.intake``), handed to
``media_pipeline.originals.receive_original`` and removed; the folder keeps only its
``info.json`` until it expires, so that a client whose last answer was lost learns that the
upload is complete (or why it was refused).
"""

import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.uploads import clean_filename
from media_pipeline import intake, originals

logger = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
EXTENSIONS = ("creation", "creation-with-upload", "termination", "expiration", "checksum")
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "md5": hashlib.md5, "sha256": hashlib.sha256}
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
# Bytes read from the request, and written, at a time: the server's memory stays flat whatever
# the size. Larger writes are no faster, and on recent kernels they can be several times slower
# (the page cache then asks for large folios, which virtual machines hand out slowly).
CHUNK_BYTES = 256 * 1024
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
ID_BYTES = 32
ID_REGEX = r"[A-Za-z0-9_-]{43}"
SWEEP_INTERVAL = timedelta(hours=1)

RECEIVING = "receiving"
COMPLETED = "completed"
REJECTED = "rejected"


class UploadError(Exception):
    """A request the protocol refuses: an HTTP status and a message for the person uploading."""

    def __init__(self, status: int, message: str = "", *, reason: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason


class UploadInterrupted(Exception):
    """The request body ended before its announced length; what came is kept."""


def upload_root() -> Path:
    return Path(settings.FILMIT_UPLOAD_DIR)


def expiry_delay() -> timedelta:
    return timedelta(hours=settings.FILMIT_UPLOAD_EXPIRY_HOURS)


@dataclass
class Upload:
    id: str
    film_id: int
    user_id: int
    length: int
    offset: int = 0
    filename: str = ""
    filetype: str = ""
    state: str = RECEIVING
    message: str = ""
    created: str = ""
    expires: str = ""

    @property
    def folder(self) -> Path:
        return upload_root() / self.id

    @property
    def data_path(self) -> Path:
        return self.folder / "data"

    @property
    def info_path(self) -> Path:
        return self.folder / "info.json"

    @property
    def lock_path(self) -> Path:
        return self.folder / "lock"

    def received(self) -> int:
        """The offset to tell a client: never more than what the data file holds."""
        if self.state != RECEIVING:
            return self.offset
        try:
            return min(self.offset, self.data_path.stat().st_size)
        except FileNotFoundError:
            return 0

    @property
    def expires_at(self) -> datetime:
        return datetime.fromisoformat(self.expires)

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def save(self, *, touch: bool = True) -> None:
        """Write info.json atomically; activity pushes the expiry back."""
        if touch:
            self.expires = (timezone.now() + expiry_delay()).isoformat()
        temporary = self.folder / f"info.json.{secrets.token_hex(4)}"
        temporary.write_text(json.dumps(asdict(self)), encoding="utf-8")
        os.replace(temporary, self.info_path)

    @classmethod
    def load(cls, upload_id: str) -> "Upload | None":
        path = upload_root() / upload_id / "info.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, ValueError):
            logger.warning("Unreadable tus upload info %s", path)
            return None
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


# Names and sizes.


def check_length(length: int) -> None:
    """The announced size, checked as the original's will be: 413 when it is too large."""
    try:
        intake.check_size(length)
    except DomainError as error:
        raise UploadError(413 if error.code == "too_large" else 400, error.text) from None


# What one person may keep open: unfinished uploads take disk space until they expire.


def open_uploads(user_id: int, now: datetime | None = None) -> list[Upload]:
    """The user's uploads still receiving bytes and not expired: finished ones hold no data."""
    root = upload_root()
    if not root.is_dir():
        return []
    now = now or timezone.now()
    found = []
    for folder in root.iterdir():
        if not folder.is_dir() or len(folder.name) != 43:
            continue
        upload = Upload.load(folder.name)
        if (
            upload is not None
            and upload.user_id == user_id
            and upload.state == RECEIVING
            and not upload.is_expired(now)
        ):
            found.append(upload)
    return found


def check_open_uploads(*, user_id: int, length: int) -> None:
    """429 beyond FILMIT_MAX_OPEN_UPLOADS open uploads or FILMIT_MAX_OPEN_UPLOAD_BYTES declared."""
    current = open_uploads(user_id)
    if len(current) >= settings.FILMIT_MAX_OPEN_UPLOADS:
        raise UploadError(
            429,
            _(
                "Vous avez déjà %(count)s envois de vidéo en cours : terminez-en ou "
                "annulez-en un avant d'en commencer un autre."
            )
            % {"count": len(current)},
        )
    declared = sum(upload.length for upload in current)
    limit = settings.FILMIT_MAX_OPEN_UPLOAD_BYTES
    if declared + length > limit:
        raise UploadError(
            429,
            _(
                "Vos envois de vidéo en cours totalisent déjà %(declared)s, pour %(limit)s au "
                "plus à la fois : terminez-en ou annulez-en un avant d'envoyer ce fichier."
            )
            % {"declared": filesizeformat(declared), "limit": filesizeformat(limit)},
        )


@contextmanager
def user_lock(user_id: int) -> Iterator[None]:
    """One creation at a time per user, so that two at once cannot both pass the limits."""
    upload_root().mkdir(parents=True, exist_ok=True)
    with open(upload_root() / f".user-{user_id}.lock", "ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# Storage of partial uploads.


def create_upload(*, film_id: int, user_id: int, length: int, filename: str, filetype: str):
    check_length(length)
    maybe_expire_uploads()
    with user_lock(user_id):
        check_open_uploads(user_id=user_id, length=length)
        return _create_upload(
            film_id=film_id, user_id=user_id, length=length, filename=filename, filetype=filetype
        )


def _create_upload(*, film_id: int, user_id: int, length: int, filename: str, filetype: str):
    upload_id = secrets.token_urlsafe(ID_BYTES)
    now = timezone.now()
    upload = Upload(
        id=upload_id,
        film_id=film_id,
        user_id=user_id,
        length=length,
        filename=clean_filename(filename),
        filetype=filetype[:100],
        created=now.isoformat(),
    )
    upload_root().mkdir(parents=True, exist_ok=True)
    upload.folder.mkdir(mode=0o700)  # pupils' faces: readable by the server's user only
    upload.data_path.touch()
    upload.lock_path.touch()
    upload.save()
    logger.info(
        "tus upload %s created: film %s, user %s, %s bytes", upload_id, film_id, user_id, length
    )
    return upload


def get_upload(upload_id: str) -> Upload | None:
    return Upload.load(upload_id)


@contextmanager
def locked(upload_id: str) -> Iterator[Upload]:
    """Hold the upload's lock and yield its info as read under it: one writer at a time."""
    try:
        lock = open(upload_root() / upload_id / "lock", "rb")
    except (FileNotFoundError, NotADirectoryError):
        raise UploadError(404) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadError(
                423, _("Un autre envoi de ce fichier est en cours : réessayez dans un instant.")
            ) from None
        try:
            upload = Upload.load(upload_id)
            if upload is None:  # deleted between opening the lock file and taking the lock
                raise UploadError(404)
            yield upload
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def append(
    upload: Upload,
    read: Callable[[int], bytes],
    *,
    content_length: int,
    checksum: tuple[str, bytes] | None = None,
) -> int:
    """Append the request body at the upload's offset, the caller holding the lock.

    Returns the new offset. Without a checksum, what arrives before a cut is kept, so that the
    client can resume from there; with one, the chunk is kept only whole and verified.
    """
    start = upload.offset
    if start + content_length > upload.length:
        raise UploadError(413, _("Ce morceau dépasse la taille annoncée du fichier."))
    hasher = CHECKSUM_ALGORITHMS[checksum[0]]() if checksum else None
    received = 0
    interrupted = False
    with open(upload.data_path, "r+b") as data:
        if os.fstat(data.fileno()).st_size < start:
            # The machine went down before the disk had everything the offset counts: resume
            # from what is there rather than fill the gap with zeros.
            upload.offset = os.fstat(data.fileno()).st_size
            upload.save()
            raise UploadError(409, _("Une partie du fichier est à renvoyer."))
        # Bytes past the recorded offset come from a request that died mid-way: drop them.
        data.truncate(start)
        data.seek(start)
        while received < content_length:
            try:
                chunk = read(min(CHUNK_BYTES, content_length - received))
            except OSError:  # includes django.http.UnreadablePostError: the client went away
                chunk = b""
            if not chunk:
                interrupted = True
                break
            data.write(chunk)
            if hasher is not None:
                hasher.update(chunk)
            received += len(chunk)
        if hasher is not None and (interrupted or hasher.digest() != checksum[1]):
            data.truncate(start)
            upload.save()
            if interrupted:
                raise UploadInterrupted
            raise UploadError(
                460,
                _("Ce morceau du fichier est arrivé abîmé : il va être renvoyé."),
                reason="Checksum Mismatch",
            )
        # The offset the client is told is what a crash of the machine would leave: on disk.
        data.flush()
        os.fsync(data.fileno())
    upload.offset = start + received
    upload.save()
    if interrupted:
        raise UploadInterrupted
    return upload.offset


def delete_upload(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


def mark(upload: Upload, state: str, message: str = "") -> None:
    """Drop the data and keep a tombstone that says how the upload ended."""
    upload.data_path.unlink(missing_ok=True)
    upload.state = state
    upload.message = message
    upload.save()


def finish_upload(*, upload: Upload, film, user) -> None:
    """First checks on a complete upload, then hand it to the media pipeline.

    The caller holds the lock and has checked that the user may still upload to the film.
    Raises DomainError with a message for the teacher when the file is refused.
    """
    with open(upload.data_path, "rb") as data:
        head = data.read(intake.SNIFF_BYTES)
    try:
        intake.check_head(head)
    except DomainError as error:
        mark(upload, REJECTED, error.text)
        logger.info("tus upload %s refused: not a video", upload.id)
        raise
    try:
        # move: on a local-disk storage the file is renamed into place, not copied.
        originals.receive_original(
            film=film,
            user=user,
            path=upload.data_path,
            filename=upload.filename or "video",
            size=upload.length,
            move=True,
        )
    except DomainError as error:
        mark(upload, REJECTED, error.text)
        logger.info("tus upload %s refused: %s", upload.id, getattr(error, "code", ""))
        raise
    mark(upload, COMPLETED)
    logger.info("tus upload %s complete: film %s", upload.id, film.pk)


# Expiration.


def expire_uploads(now: datetime | None = None) -> int:
    """Delete every expired upload folder that no request is writing to. Returns how many."""
    root = upload_root()
    if not root.is_dir():
        return 0
    now = now or timezone.now()
    deleted = 0
    for folder in root.iterdir():
        if not folder.is_dir() or len(folder.name) != 43:
            continue
        upload = Upload.load(folder.name)
        if upload is not None:
            expired = upload.is_expired(now)
        else:  # half-created or damaged: judge by age
            age = now.timestamp() - folder.stat().st_mtime
            expired = age >= expiry_delay().total_seconds()
        if not expired:
            continue
        try:
            with locked(folder.name):
                shutil.rmtree(folder, ignore_errors=True)
        except UploadError as error:
            if error.status == 423:
                continue  # being written right now: not abandoned
            shutil.rmtree(folder, ignore_errors=True)  # no lock file or no info: debris
        deleted += 1
        logger.info("tus upload %s expired and deleted", folder.name)
    return deleted


def discard_if_expired(upload_id: str) -> None:
    try:
        with locked(upload_id) as upload:
            if upload.is_expired():
                delete_upload(upload)
                logger.info("tus upload %s expired and deleted", upload_id)
    except UploadError:
        pass  # gone already, or being written to


def maybe_expire_uploads() -> None:
    """A sweep at most once per SWEEP_INTERVAL, for installations that do not schedule one."""
    marker = upload_root() / ".last-sweep"
    try:
        if time.time() - marker.stat().st_mtime < SWEEP_INTERVAL.total_seconds():
            return
    except FileNotFoundError:
        pass
    upload_root().mkdir(parents=True, exist_ok=True)
    marker.touch()
    expire_uploads()
