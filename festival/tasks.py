"""Background tasks of the festival app: thin wrappers that take ids and call the domain."""

import logging

from django.tasks import task

from festival.domain import calls
from festival.models import CallForEntries

logger = logging.getLogger(__name__)


@task(queue_name="default")
def send_call_for_entries(call_id: int) -> None:
    """Send a call's waiting recipients, batch after batch (see `calls.send_call`)."""
    call = CallForEntries.objects.select_related("edition__festival").filter(pk=call_id).first()
    if call is None:
        logger.info("Call for entries %s is gone", call_id)
        return
    calls.send_call(call=call)
