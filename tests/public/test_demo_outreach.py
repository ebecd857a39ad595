"""The demo's call for entries: this year's, sent, with its recipients."""

from festival.models import CallForEntries, CallRecipient, CallUnsubscription
from festival.models_outreach import CallStatus, RecipientStatus
from public import demo


def test_the_demo_has_a_sent_call_for_entries(db):
    created = demo.load(with_videos=False)

    call = CallForEntries.objects.get()
    assert call.edition == created["edition"]
    assert call.status == CallStatus.SENT
    recipients = CallRecipient.objects.filter(call=call)
    assert call.recipient_count == call.sent_count == recipients.count() > 5
    assert set(recipients.values_list("status", flat=True)) == {RecipientStatus.SENT}
    assert set(recipients.values_list("audience", flat=True)) == {
        "past_teachers",
        "schools",
        "companies",
    }
    unsubscribed = CallUnsubscription.objects.get()
    assert not recipients.filter(email=unsubscribed.email).exists()
