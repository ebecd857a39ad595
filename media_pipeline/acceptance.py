"""What a film must be to be accepted, and how a refusal is explained to a teacher.

Pure functions over probe results: nothing here runs a process, so every rule is cheap
to test. Each refusal has a stable code (stored, used in tests and emails) and a French
message that tells the teacher what to do.
"""

import math
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from media_pipeline.media_info import MediaInfo

# 4K: UHD (3840x2160) and DCI (4096x2160), landscape or portrait.
MAX_LONG_SIDE = 4096
MAX_SHORT_SIDE = 2160
MIN_SHORT_SIDE = 64
MIN_FRAME_RATE = 1
MAX_FRAME_RATE = 240
# A container may claim more than its video lasts by a little (audio tail, edit lists);
# more than this is a damaged or crafted file.
DURATION_CLAIM_SLACK = 1.5
DURATION_CLAIM_MARGIN = 10.0

# Decoders we accept: the codecs cameras, phones and editing software actually write.
# Exotic decoders are most of libavcodec's attack surface and no teacher needs them.
KNOWN_VIDEO_CODECS = frozenset(
    {
        "h264",
        "hevc",
        "av1",
        "vp8",
        "vp9",
        "mpeg4",
        "mpeg2video",
        "mpeg1video",
        "mjpeg",
        "prores",
        "dnxhd",
        "dvvideo",
        "h263",
        "msmpeg4v2",
        "msmpeg4v3",
        "wmv1",
        "wmv2",
        "wmv3",
        "vc1",
        "theora",
        "ffv1",
        "cfhd",
    }
)
KNOWN_AUDIO_CODECS = frozenset(
    {
        "aac",
        "mp3",
        "mp2",
        "ac3",
        "eac3",
        "opus",
        "vorbis",
        "flac",
        "alac",
        "wmav1",
        "wmav2",
        "amr_nb",
        "amr_wb",
        "pcm_u8",
        "pcm_s16le",
        "pcm_s16be",
        "pcm_s24le",
        "pcm_s24be",
        "pcm_s32le",
        "pcm_s32be",
        "pcm_f32le",
        "pcm_f32be",
        "pcm_alaw",
        "pcm_mulaw",
    }
)


class Code:
    """Stable error codes: stored in the database and matched by tests."""

    EMPTY_FILE = "empty_file"
    PLAYLIST = "playlist"
    IMAGE = "image"
    TEXT = "text"
    AUDIO_ONLY = "audio_only"
    UNKNOWN_FORMAT = "unknown_format"
    NO_VIDEO_STREAM = "no_video_stream"
    UNKNOWN_CODEC = "unknown_codec"
    UNDECODABLE = "undecodable"
    TRUNCATED = "truncated"
    TOO_LONG = "too_long"
    DURATION_INVALID = "duration_invalid"
    RESOLUTION_TOO_HIGH = "resolution_too_high"
    RESOLUTION_TOO_LOW = "resolution_too_low"
    FRAME_RATE_INVALID = "frame_rate_invalid"
    SUBTITLES_INVALID = "subtitles_invalid"
    POSTER_INVALID = "poster_invalid"


class MediaRejected(Exception):
    """The file will never become a film as it is: the teacher must send another one."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def reject(code: str, **params: object) -> MediaRejected:
    """The refusal for `code`, its message filled with `params`."""
    return MediaRejected(code, _messages()[code] % params if params else _messages()[code])


def _messages() -> dict[str, str]:
    # Built on each call so that gettext picks the language active for this request.
    return {
        Code.EMPTY_FILE: _("Le fichier envoyé est vide. Envoyez à nouveau la vidéo du film."),
        Code.PLAYLIST: _(
            "Ce fichier est une liste de lecture (playlist), pas une vidéo. Envoyez le "
            "fichier vidéo lui-même (par exemple un fichier .mp4 ou .mov)."
        ),
        Code.IMAGE: _(
            "Ce fichier est une image, pas une vidéo. Envoyez le fichier vidéo du film "
            "(par exemple un fichier .mp4 ou .mov)."
        ),
        Code.TEXT: _(
            "Ce fichier contient du texte, pas une vidéo. Envoyez le fichier vidéo du film "
            "(par exemple un fichier .mp4 ou .mov)."
        ),
        Code.AUDIO_ONLY: _(
            "Ce fichier ne contient que du son, sans image. Exportez le film en vidéo "
            "depuis votre logiciel de montage, puis envoyez-le à nouveau."
        ),
        Code.UNKNOWN_FORMAT: _(
            "Ce fichier n'est pas une vidéo dans un format reconnu. Exportez le film en "
            "MP4 (H.264) depuis votre logiciel de montage, puis envoyez-le à nouveau."
        ),
        Code.NO_VIDEO_STREAM: _(
            "Ce fichier ne contient aucune image vidéo. Exportez le film en MP4 (H.264) "
            "depuis votre logiciel de montage, puis envoyez-le à nouveau."
        ),
        Code.UNKNOWN_CODEC: _(
            "La vidéo est encodée dans un format que nous ne savons pas lire (%(codec)s). "
            "Exportez le film en MP4 (H.264) depuis votre logiciel de montage, puis "
            "envoyez-le à nouveau."
        ),
        Code.UNDECODABLE: _(
            "La vidéo ne peut pas être lue : le fichier est endommagé. Exportez le film à "
            "nouveau depuis votre logiciel de montage, puis envoyez-le."
        ),
        Code.TRUNCATED: _(
            "La fin de la vidéo ne peut pas être lue : le fichier semble incomplet ou "
            "endommagé (envoi interrompu, copie inachevée ?). Envoyez à nouveau le fichier "
            "complet."
        ),
        Code.TOO_LONG: _(
            "Le film dure %(duration)s, or la durée maximale pour cette catégorie est de "
            "%(limit)s. Raccourcissez le montage, puis envoyez-le à nouveau."
        ),
        Code.DURATION_INVALID: _(
            "La durée de la vidéo est illisible ou incohérente : le fichier est sans doute "
            "endommagé. Exportez le film à nouveau depuis votre logiciel de montage, puis "
            "envoyez-le."
        ),
        Code.RESOLUTION_TOO_HIGH: _(
            "La vidéo mesure %(width)s × %(height)s pixels, au-delà de la 4K (3840 × 2160) "
            "que nous acceptons. Exportez le film en 1080p (1920 × 1080), puis envoyez-le "
            "à nouveau."
        ),
        Code.RESOLUTION_TOO_LOW: _(
            "La vidéo ne mesure que %(width)s × %(height)s pixels, trop peu pour être "
            "regardée. Exportez le film en 1080p (1920 × 1080), puis envoyez-le à nouveau."
        ),
        Code.FRAME_RATE_INVALID: _(
            "La cadence de la vidéo (%(rate)s images par seconde) n'est pas valable : nous "
            "acceptons de 1 à 240 images par seconde. Exportez le film à 25 ou 30 images "
            "par seconde, puis envoyez-le à nouveau."
        ),
        Code.POSTER_INVALID: _(
            "L'image choisie pour l'affiche ne peut pas être lue. Envoyez une image JPEG, "
            "PNG ou WebP."
        ),
        Code.SUBTITLES_INVALID: _(
            "Le fichier de sous-titres n'est pas valable : %(reason)s Envoyez un fichier "
            "SRT ou WebVTT."
        ),
    }


def format_duration(seconds: float, *, round_up: bool = False) -> str:
    """Minutes and seconds as a teacher reads them on an editing timeline: 12:05.

    A film found too long is shown rounded up, so that it never reads as equal to its limit.
    """
    total = math.ceil(seconds) if round_up else math.floor(seconds)
    return f"{total // 60}:{total % 60:02d}"


def check_media(info: MediaInfo, *, max_duration: float | None) -> None:
    """Raise MediaRejected when a probed file breaks a rule; checked before any decoding."""
    check_streams(info)
    check_codec(info)
    check_resolution(info)
    check_duration(info, max_duration=max_duration)
    check_frame_rate(info.frame_rate)


def check_streams(info: MediaInfo) -> None:
    if info.video is None:
        raise reject(Code.AUDIO_ONLY if info.audio is not None else Code.NO_VIDEO_STREAM)


def check_codec(info: MediaInfo) -> None:
    codec = info.video.codec
    if codec not in KNOWN_VIDEO_CODECS:
        raise reject(Code.UNKNOWN_CODEC, codec=codec or "?")
    # An unreadable soundtrack is refused rather than silently replaced by silence.
    if info.audio is not None and info.audio.codec not in KNOWN_AUDIO_CODECS:
        raise reject(Code.UNKNOWN_CODEC, codec=info.audio.codec or "?")


def check_resolution(info: MediaInfo) -> None:
    width, height = info.display_size
    long_side, short_side = max(width, height), min(width, height)
    if long_side > MAX_LONG_SIDE or short_side > MAX_SHORT_SIDE:
        raise reject(Code.RESOLUTION_TOO_HIGH, width=width, height=height)
    if short_side < MIN_SHORT_SIDE:
        raise reject(Code.RESOLUTION_TOO_LOW, width=width, height=height)


def check_duration(info: MediaInfo, *, max_duration: float | None) -> None:
    duration = info.duration
    if duration is None or duration <= 0:
        raise reject(Code.DURATION_INVALID)
    stream = info.video.duration
    if stream is not None and duration > stream * DURATION_CLAIM_SLACK + DURATION_CLAIM_MARGIN:
        raise reject(Code.DURATION_INVALID)
    if max_duration is not None and duration > max_duration:
        raise reject(
            Code.TOO_LONG,
            duration=format_duration(duration, round_up=True),
            limit=format_duration(max_duration),
        )


def check_frame_rate(rate: Fraction | None) -> None:
    if rate is None or not MIN_FRAME_RATE <= rate <= MAX_FRAME_RATE:
        shown = "?" if rate is None else _number(float(f"{float(rate):.4g}"))
        raise reject(Code.FRAME_RATE_INVALID, rate=shown)


def _number(value: float) -> str:
    """1000 or 0,5: a number as the teacher's language writes it."""
    return str(int(value)) if value.is_integer() else number_format(value)
