"""The demo's national final: its organizer, a Franche-Comté winner accepted, an offer waiting."""

from festival.enums import FilmStatus, Role
from festival.models import Festival, Film, FilmTransfer, TransferState, User
from public import demo
from public.demo_transfer import FINAL_ORGANIZER_EMAIL


def test_the_demo_has_a_national_final_with_one_winner_accepted_and_one_waiting(db):
    created = demo.load(with_videos=False)

    final = Festival.objects.get(name="FILM'IT — Finale nationale")
    organizer = User.objects.get(email=FINAL_ORGANIZER_EMAIL)
    assert list(User.objects.members_of(final.pk, Role.ORGANIZER)) == [organizer]
    assert final.editions.filter(is_current=True).count() == 1
    transfers = FilmTransfer.objects.order_by("state")
    assert [(t.state, t.film.edition.festival) for t in transfers] == [
        (TransferState.ACCEPTED, created["festival"]),
        (TransferState.OFFERED, created["festival"]),
    ]
    forwarded = Film.objects.get(forwarded_from__isnull=False)
    assert (forwarded.edition.festival, forwarded.status, forwarded.forwarded_from) == (
        final,
        FilmStatus.ACCEPTED,
        transfers[0].film,
    )
