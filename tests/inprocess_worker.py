"""The embedded default's worker, run in the test's process on what is ready, as `db_worker`
does (the command itself closes the database connection, which a test transaction cannot
survive). Tests that need a worker process of its own use tests/media_pipeline/workers.py."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_worker() -> list[tuple[str, str]]:
    """Run every ready task of the default queue; returns (task path, status) for each."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = []
    for result in DBTaskResult.objects.ready().filter(queue_name="default"):
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        ran.append((result.task_path, result.status))
    return ran
