"""A film's history as its teacher reads it: each status change told as a sentence."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from festival.enums import FilmStatus
from festival.models import FilmEvent, FilmTransfer, TransferState

# (from, to) → (said to the teacher who did it, said of the organization). A status change not
# listed here falls back on the last two, by its target status only.
BY_MOVE = {
    ("", FilmStatus.DRAFT): (_("Vous avez créé le film"), _("L'organisation a créé le film")),
    (FilmStatus.NEEDS_CHANGES, FilmStatus.SUBMITTED): (
        _("Vous avez déposé à nouveau le film, avec les compléments demandés"),
        _("L'organisation a déposé à nouveau le film"),
    ),
    (FilmStatus.REJECTED, FilmStatus.SUBMITTED): (
        _("Vous avez déposé à nouveau le film"),
        _("L'organisation a réexaminé le film : il est de nouveau à vérifier"),
    ),
    (FilmStatus.WITHDRAWN, FilmStatus.DRAFT): (
        _("Vous avez repris le film en brouillon"),
        _("L'organisation a remis le film en brouillon"),
    ),
}
BY_STATUS = {
    FilmStatus.DRAFT: (
        _("Vous avez remis le film en brouillon"),
        _("L'organisation a remis le film en brouillon"),
    ),
    FilmStatus.SUBMITTED: (_("Vous avez déposé le film"), _("L'organisation a déposé le film")),
    FilmStatus.NEEDS_CHANGES: (
        _("Vous avez demandé des compléments"),
        _("L'organisation a demandé des compléments"),
    ),
    FilmStatus.ACCEPTED: (
        _("Vous avez accepté le film"),
        _("L'organisation a accepté le film : il participe au festival"),
    ),
    FilmStatus.REJECTED: (
        _("Vous n'avez pas retenu le film"),
        _("L'organisation n'a pas retenu le film"),
    ),
    FilmStatus.WITHDRAWN: (
        _("Vous avez retiré le film du festival"),
        _("L'organisation a retiré le film du festival"),
    ),
}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    text: str
    reason: str
    by_you: bool


def teacher_history(events: list[FilmEvent], user) -> list[HistoryLine]:
    """The teacher's side of the story: "you" for what they did, "the organization" otherwise."""
    lines = []
    for event in events:
        by_you = event.actor_id is not None and event.actor_id == user.pk
        texts = BY_MOVE.get((event.from_status, event.to_status)) or BY_STATUS[event.to_status]
        lines.append(
            HistoryLine(
                at=event.created_at,
                text=str(texts[0] if by_you else texts[1]),
                reason=event.reason,
                by_you=by_you,
            )
        )
    return lines


def _edition_name(edition) -> str:
    return f"{edition.festival.name} — {edition.title}"


def transfer_history(film, *, for_teacher: bool = False) -> list[HistoryLine]:
    """A film's journey between festivals: sent to another festival's edition (a national
    final) on the source film, come from a festival on the forwarded one. The teacher reads
    only what was decided; the organizers also read the offers still waiting or declined."""
    transfers = FilmTransfer.objects.filter(film=film).select_related(
        "target_edition__festival", "target_category"
    )
    if for_teacher:
        transfers = transfers.filter(state=TransferState.ACCEPTED)
    lines = []
    for transfer in transfers:
        target = _edition_name(transfer.target_edition)
        lines.append(
            HistoryLine(
                at=transfer.offered_at,
                text=str(_("Proposé à l'édition « %(edition)s »") % {"edition": target}),
                reason=transfer.message if not for_teacher else "",
                by_you=False,
            )
        )
        if transfer.state == TransferState.ACCEPTED:
            text = _("Envoyé à la finale « %(edition)s », dans la catégorie « %(category)s »")
            lines.append(
                HistoryLine(
                    at=transfer.decided_at,
                    text=str(text % {"edition": target, "category": transfer.target_category}),
                    reason="",
                    by_you=False,
                )
            )
        elif transfer.state == TransferState.DECLINED:
            lines.append(
                HistoryLine(
                    at=transfer.decided_at,
                    text=str(_("Non retenu par l'édition « %(edition)s »") % {"edition": target}),
                    reason=transfer.reason,
                    by_you=False,
                )
            )
        elif transfer.state == TransferState.WITHDRAWN:
            lines.append(
                HistoryLine(
                    at=transfer.withdrawn_at,
                    text=str(_("Offre à l'édition « %(edition)s » retirée") % {"edition": target}),
                    reason="",
                    by_you=False,
                )
            )
    source = film.forwarded_from
    if source is not None:
        incoming = FilmTransfer.objects.filter(resulting_film=film).first()
        lines.append(
            HistoryLine(
                at=incoming.decided_at if incoming else film.created_at,
                text=str(
                    _("Venu du festival « %(edition)s », où il a été primé")
                    % {"edition": _edition_name(source.edition)}
                ),
                reason="",
                by_you=False,
            )
        )
    return sorted(lines, key=lambda line: line.at)
