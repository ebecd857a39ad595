"""Background tasks: thin wrappers that take ids and call the job functions.

Processing state lives in `VideoVersion`, never only in the queue: a lost task is found
and queued again by `watchdog.recover_stalled()`. The jobs enqueue these tasks through
media_pipeline.jobs, which media_pipeline.apps hands them to at start-up.
"""

import logging

from django.tasks import task

from media_pipeline import ladder_job, processing

logger = logging.getLogger(__name__)


@task(queue_name="media")
def process_version_task(version_id: int) -> None:
    if processing.process_version(version_id=version_id) is None:
        logger.info("Video version %s: nothing to do (gone, cancelled or taken)", version_id)


@task(queue_name="media")
def complete_ladder_task(version_id: int) -> None:
    if ladder_job.complete_ladder(version_id=version_id) is None:
        logger.info("Video version %s: no lower renditions to make", version_id)


@task(queue_name="default")
def deployment_ping_task() -> str:
    """Nothing to do: `check_deployment` waits for a worker to run it."""
    return "pong"
