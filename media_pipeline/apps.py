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
        from festival.domain.transfers import register_media_copier
        from festival.signals import film_originals_erased
        from festival.stored_files import register_reference_counter
        from media_pipeline import forwarding, jobs, originals, tasks, versions

        jobs.register_tasks(
            processing=tasks.process_version_task, second_pass=tasks.complete_ladder_task
        )
        register_submission_check(versions.missing_for_submission, prefetch=("video_versions",))
        # A film forwarded to another festival's edition shares its source's media files:
        # its rows are copied here, and a stored file (an original, a version's renditions) is
        # deleted only when no row of either app refers to it (retention, erasure, rebuilds).
        register_media_copier(forwarding.copy_media)
        register_reference_counter(forwarding.references)
        # A school's erasure deletes every original of a film, the versions' ones included.
        film_originals_erased.connect(
            originals.on_film_originals_erased, dispatch_uid="media_pipeline.erase_originals"
        )
