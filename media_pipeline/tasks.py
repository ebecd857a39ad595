"""Background tasks: thin wrappers that take ids and call the domain.

Processing state lives in `VideoVersion`, never only in the queue: a lost task is found
and queued again by `domain.recover_stalled()`.
"""

import logging

from django.tasks import task

from media_pipeline import domain, ladder

logger = logging.getLogger(__name__)


@task(queue_name="media")
def process_version_task(version_id: int) -> None:
    if domain.process_version(version_id=version_id) is None:
        logger.info("Video version %s: nothing to do (gone, cancelled or taken)", version_id)


@task(queue_name="media")
def complete_ladder_task(version_id: int) -> None:
    if ladder.complete_ladder(version_id=version_id) is None:
        logger.info("Video version %s: no lower renditions to make", version_id)
