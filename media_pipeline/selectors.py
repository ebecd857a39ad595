"""What the media block of a film page shows: for its template tag and its polled partial."""

from dataclasses import dataclass

from festival.models import Film, User
from festival.rules import is_film_organizer
from media_pipeline import delivery, ladder
from media_pipeline.acceptance import format_duration
from media_pipeline.forms import PosterForm, SubtitlesForm
from media_pipeline.models import VideoStatus, VideoVersion
from media_pipeline.rules import can_manage_media


@dataclass
class FilmMedia:
    """Everything the media block of a film page shows, for one user."""

    film: Film
    current: VideoVersion | None
    playable: VideoVersion | None
    sources: delivery.Sources | None
    can_manage: bool
    can_retry: bool
    poster_form: PosterForm | None = None
    subtitles_form: SubtitlesForm | None = None
    swap_player: bool = False
    next_url: str = ""  # where the block's forms come back to: the page that shows it

    @property
    def duration(self) -> str:
        """The film's length as probed (minutes:seconds), or "" before the file is checked."""
        version = self.playable or self.current
        seconds = (version.probe or {}).get("duration") if version else None
        return format_duration(seconds) if seconds else ""

    @property
    def polling(self) -> bool:
        return self.current is not None and self.current.is_pending


def film_media(*, film: Film, user: User, next_url: str = "") -> FilmMedia | None:
    if not delivery.can_watch(user, film):
        return None
    versions = list(film.video_versions.order_by("-number"))
    current = versions[0] if versions else None
    # VideoVersion.objects.playable(), read from the versions at hand: one query for the block.
    playable = next((v for v in versions if v.status == VideoStatus.READY), None)
    if playable is not None:
        playable.film = film
    can_manage = can_manage_media(user, film)
    media = FilmMedia(
        film=film,
        current=current,
        playable=playable,
        sources=delivery.sources(version=playable, user=user) if playable else None,
        can_manage=can_manage,
        next_url=next_url,
        can_retry=(
            current is not None
            and (
                current.status in (VideoStatus.FAILED, VideoStatus.REJECTED)
                or (current == playable and current.ladder_status in ladder.RETRYABLE)
            )
            and film.original_deleted_at is None  # nothing to run again without the original
            and is_film_organizer(user, film)
        ),
    )
    if can_manage and playable is not None:
        media.poster_form = PosterForm(candidates=playable.outputs.get("posters") or [])
        media.subtitles_form = SubtitlesForm()
    return media
