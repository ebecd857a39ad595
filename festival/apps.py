from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalConfig(AppConfig):
    name = "festival"
    verbose_name = _("Festival")

    def ready(self):
        # The task sends calls through the domain, so the domain gets it here, not by import.
        from festival import tasks
        from festival.domain import calls

        calls.register_sending_task(tasks.send_call_for_entries)
