from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Jury et notation")

    def ready(self):
        # The layers below react to judging through callbacks registered here, never by
        # importing it: the palmarès dates the edition's calendar, assigned jurors and public
        # films may watch a film's media; an accepted film goes to its jurors at once, and
        # the organizers' pages list the accepted films still short of jurors; an edition's
        # set-up checklist and its copy to next year include judging's part.
        from festival.domain.transfers import register_awarded_reader
        from festival.models import register_publication_reader
        from festival.notices import register_unassigned_reader
        from festival.school_data import register_public_reader
        from festival.selection_outcome import register_outcome_reader
        from festival.setup import register_setup_steps
        from festival.signals import edition_prepared, film_status_changed, school_data_erased
        from judging import tasks
        from judging.domain import ceremony_invitations, scheduled_publication
        from judging.domain.editions import on_edition_prepared
        from judging.domain.selection import register_announcement_task
        from judging.receivers import film_status_changed as send_to_jurors
        from judging.rules import is_assigned_juror
        from judging.selectors_results import (
            load_palmares_dates,
            palmares_published_at,
            winning_film_ids,
        )
        from judging.selectors_selection import selection_outcome
        from judging.setup import setup_steps
        from judging.tasks import announce_finalists
        from judging.unassigned import films_without_jurors
        from judging.visibility import is_public, public_film_ids
        from media_pipeline.delivery import register_public_rule, register_viewer_rule

        register_publication_reader(palmares_published_at, load_many=load_palmares_dates)
        register_viewer_rule(is_assigned_juror)
        register_public_rule(is_public)
        register_setup_steps(setup_steps)
        edition_prepared.connect(on_edition_prepared, dispatch_uid="judging_copy_setup")
        film_status_changed.connect(send_to_jurors, dispatch_uid="judging.send_to_jurors")
        register_unassigned_reader(films_without_jurors)
        # A festival sends the films awarded in its published palmarès to another's final.
        register_awarded_reader(winning_film_ids)
        # The ceremony's tasks call their domain modules, which cannot import them.
        ceremony_invitations.register_sending_task(tasks.send_ceremony_invitations)
        # A school's data erased: its teachers' ceremony invitations go too.
        school_data_erased.connect(
            ceremony_invitations.on_school_data_erased,
            dispatch_uid="judging.ceremony_forget_school",
        )
        scheduled_publication.register_publishing_task(tasks.publish_scheduled_palmares)
        register_public_reader(public_film_ids)
        register_announcement_task(announce_finalists)
        register_outcome_reader(selection_outcome)
