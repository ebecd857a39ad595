"""Who may watch a film before it is public, and the short-lived signed URLs that deliver it.

The page checks `can_watch()` then `sign()`s a token for one version's output folder and one
user, and every file request checks `can_watch()` again (`still_watchable()`): a film taken
down, or a juror's assignment ended, stops playing at once, not when its links expire.
Every file of that folder is reached as ``/medias/v/<token>/<relative path>``, so the HLS
playlists keep their relative references and one token covers a whole film.
The token expires after MEDIA_URL_MAX_AGE seconds and only works for the user it was issued to.

- Local disk: the view serves the file itself, with HTTP Range requests (players seek).
- S3: the view serves the small text files (HLS playlists, WebVTT) itself and rewrites
  each segment of a playlist into a presigned S3 URL; every other file (MP4, segments,
  images) is a redirect to a presigned URL. The bucket needs a CORS rule allowing GET
  from the site, and CSP_MEDIA_ORIGINS must list its origin.
"""

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse

from festival.models import Film, User
from festival.rules import file_reader_check
from media_pipeline import storage_io
from media_pipeline.models import VideoStatus, VideoVersion

SALT = "media_pipeline.delivery"

# Caption languages a teacher may add, named in their own language.
SUBTITLE_LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("it", "Italiano"),
]


# Who else may watch is decided by the apps above this one, which register their rules at
# start-up (judging: the jurors a film is assigned to, and whether a film is public). The media
# pipeline never imports them.
_viewer_rules: list[Callable[[User, Film], bool]] = []
_public_rules: list[Callable[[Film], bool]] = []


def register_viewer_rule(rule: Callable[[User, Film], bool]) -> None:
    """`rule(user, film)` is True when this signed-in person may watch the film."""
    if rule not in _viewer_rules:
        _viewer_rules.append(rule)


def register_public_rule(rule: Callable[[Film], bool]) -> None:
    """`rule(film)` is True when anyone, signed in or not, may watch the film."""
    if rule not in _public_rules:
        _public_rules.append(rule)


def film_is_public(film: Film) -> bool:
    return any(rule(film) for rule in _public_rules)


def can_watch(user: User, film: Film) -> bool:
    """Who may watch a film: the one rule of media delivery.

    The film's teacher, its festival's organizers, and whoever a registered viewer rule lets
    in (judging: the jurors it is assigned to; other jurors are not). Once a film is public
    (judging.visibility: consents validated, and a prize or an open gallery) anyone may.
    """
    if not user.is_authenticated:
        return film_is_public(film)
    if file_reader_check(user, film):
        return True
    if any(rule(user, film) for rule in _viewer_rules):
        return True
    return film_is_public(film)


def still_watchable(*, version_id: int | None, prefix: str, user: User) -> bool:
    """Whether the token's user may still watch the film whose output folder this is.

    Checked on every file, for every token: a consent refused, the palmarès withdrawn, the
    gallery closed or an assignment ended stop the film at once, not when its links expire.
    Cheap and constant per file (HLS players fetch many segments): the version by primary
    key with its film and edition, then `can_watch()` (nothing more for the teacher and
    organizers; the assignment, then the edition's live palmarès and the film, for others).
    """
    versions = VideoVersion.objects.select_related("film__edition")
    if version_id is not None:
        versions = versions.filter(pk=version_id)
    version = versions.filter(output_prefix=prefix).first()
    return version is not None and can_watch(user, version.film)


# Tokens.


def sign(*, version: VideoVersion, user: User) -> str:
    payload = {"p": version.output_prefix, "u": user.pk, "v": version.pk}
    return signing.dumps(payload, salt=SALT, compress=True)


def unsign(token: str, *, user: User) -> tuple[int | None, str]:
    """The version and output folder a token opens, for this user; raises
    signing.BadSignature otherwise. Tokens signed before versions were named carry no id."""
    data = signing.loads(token, salt=SALT, max_age=settings.MEDIA_URL_MAX_AGE)
    if data.get("u") != user.pk or not str(data.get("p", "")).startswith("renditions/"):
        raise signing.BadSignature("token issued to someone else")
    version_id = data.get("v")
    return (version_id if isinstance(version_id, int) else None), data["p"]


def clean_path(path: str) -> str | None:
    """A relative path inside the folder, or None when it tries to leave it."""
    if not path or "\\" in path or "\x00" in path:
        return None
    normalized = posixpath.normpath(path)
    if normalized != path or normalized.startswith(("/", "../")) or normalized == "..":
        return None
    return normalized


def media_url(token: str, path: str) -> str:
    return reverse("media_pipeline:media", args=[token, path])


# What a page shows.


@dataclass(frozen=True)
class Poster:
    """A film's poster at one size: JPEG, which every browser shows, and the lighter WebP."""

    jpg: str = ""
    webp: str = ""

    @property
    def url(self) -> str:
        return self.jpg or self.webp


def poster(*, version: VideoVersion, user: User, size: str = "page") -> Poster | None:
    """Signed URLs of a version's poster: "list" for cards, "page" for players and previews.

    The one way to a poster's URL. None when the version has no poster. The caller has
    checked that the user may see the film (a public film, an assignment, `can_watch()`).
    """
    return _poster(version.outputs, sign(version=version, user=user), size)


def _poster(outputs: dict, token: str, size: str) -> Poster | None:
    poster = (outputs or {}).get("poster") or {}
    sizes = poster.get("sizes") or {}

    def url(path: str | None) -> str:
        return media_url(token, path) if path else ""

    found = Poster(jpg=url(sizes.get(f"{size}.jpg")), webp=url(sizes.get(f"{size}.webp")))
    if found.url:
        return found
    # Outputs made before every size existed: another size, else the frame the posters came from.
    other = next((sizes[name] for name in ("page.jpg", "list.jpg") if name in sizes), None)
    other = other or next(iter(sizes.values()), None) or poster.get("source")
    return Poster(jpg=url(other)) if other else None


@dataclass
class Sources:
    hls: str = ""
    mp4: str = ""
    poster: str = ""
    storyboard: str = ""
    tracks: list[dict] = field(default_factory=list)
    candidates: list[tuple[str, str]] = field(default_factory=list)


def sources(*, version: VideoVersion, user: User) -> Sources | None:
    """Signed URLs of a ready version's files, or None if the user may not watch it."""
    if version.status != VideoStatus.READY or not can_watch(user, version.film):
        return None
    token = sign(version=version, user=user)
    outputs = version.outputs

    def url(path):
        return media_url(token, path) if path else ""

    page_poster = _poster(outputs, token, "page")
    names = dict(SUBTITLE_LANGUAGES)
    return Sources(
        hls=url(outputs.get("hls")),
        mp4=url(outputs.get("mp4")),
        poster=page_poster.url if page_poster else "",
        storyboard=url((outputs.get("storyboard") or {}).get("vtt")),
        tracks=[
            {
                "language": track["language"],
                "label": names.get(track["language"], track["language"]),
                "src": url(track["path"]),
            }
            for track in outputs.get("subtitles") or []
        ],
        candidates=[(path, url(path)) for path in outputs.get("posters") or []],
    )


# Serving.

URI_ATTRIBUTE = re.compile(r'URI="([^"]+)"')


def presigned_url(name: str) -> str:
    return default_storage.url(
        name,
        parameters={"ResponseContentType": storage_io.content_type(name)},
        expire=settings.MEDIA_URL_MAX_AGE,
    )


def rewrite_playlist(text: str, *, prefix: str, path: str) -> str:
    """An HLS playlist whose media files are presigned URLs; playlists stay relative."""
    folder = posixpath.dirname(path)

    def target(uri: str) -> str:
        if "://" in uri or uri.endswith(".m3u8"):
            return uri
        resolved = clean_path(posixpath.normpath(posixpath.join(folder, uri)))
        if resolved is None:
            return uri
        return presigned_url(prefix + resolved)

    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            line = URI_ATTRIBUTE.sub(lambda m: f'URI="{target(m.group(1))}"', line)
        elif line.strip():
            line = target(line.strip())
        lines.append(line)
    return "\n".join(lines) + "\n"


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(start, end) of a single `bytes=` range; None to ignore it; False if unsatisfiable."""
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header or "")
    if not match or (not match.group(1) and not match.group(2)):
        return None  # absent, malformed or several ranges: answer with the whole file
    first, last = match.groups()
    if not first:  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end
