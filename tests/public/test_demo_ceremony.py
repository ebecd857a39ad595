"""The demo's ceremony: the current edition's page open, invitations sent with a mix of
answers, a few guests, the palmarès scheduled for the announcement."""

from django.urls import reverse

from judging.domain.ceremony_invitations import answer_counts
from judging.models_ceremony import (
    Answer,
    CeremonyInvitation,
    InvitationKind,
    ScheduledPublication,
    ScheduleState,
    SendingStatus,
)
from public import demo


def test_the_demo_has_a_ceremony_with_answers(db, client):
    created = demo.load(with_videos=False)
    edition = created["edition"]

    page = client.get(reverse("public:ceremony", args=[edition.festival.slug, edition.year]))
    assert page.status_code == 200
    invitations = CeremonyInvitation.objects.filter(edition=edition)
    assert set(invitations.values_list("status", flat=True)) == {SendingStatus.SENT}
    assert set(invitations.values_list("answer", flat=True)) == set(Answer.values)
    kinds = {role for roles in invitations.values_list("roles", flat=True) for role in roles}
    assert kinds == set(InvitationKind.values)
    counts = answer_counts(edition)
    assert counts.people > counts.coming > 0
    [scheduled] = ScheduledPublication.objects.filter(edition=edition)
    assert scheduled.state == ScheduleState.SCHEDULED
    assert scheduled.publish_at > edition.ceremony_at
