from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Traitement des vidéos")

    def ready(self):
        # The tasks call this app's jobs, so the jobs get them here rather than import them.
        # The festival app asks what a submission needs of the film's video through a callback
        # registered here, never by importing this app.
        from festival.domain.films import register_submission_check
        from festival.stored_files import register_reference_counter
        from media_pipeline import jobs, tasks, versions

        jobs.register_tasks(
            processing=tasks.process_version_task, second_pass=tasks.complete_ladder_task
        )
        register_submission_check(versions.missing_for_submission, prefetch=("video_versions",))
        # A video version's original is a stored name the festival's count does not see.
        register_reference_counter(versions.original_references)
