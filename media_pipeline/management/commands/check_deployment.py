from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from media_pipeline.deployment import run_checks


class Command(BaseCommand):
    help = _(
        "Vérifie une installation avant sa mise en service : base de données, stockage des "
        "fichiers, worker de la file des tâches, ffmpeg et ses filtres, place libre sur le disque."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-timeout",
            type=float,
            default=30.0,
            help=_("Secondes d'attente d'un worker (30 par défaut)."),
        )
        parser.add_argument(
            "--min-free-gb",
            type=float,
            default=5.0,
            help=_("Place libre minimale, en Go, de chaque dossier de travail (5 par défaut)."),
        )

    def handle(self, *args, queue_timeout, min_free_gb, **options):
        checks = run_checks(queue_timeout=queue_timeout, min_free_gb=min_free_gb)
        for check in checks:
            if check.ok:
                self.stdout.write(self.style.SUCCESS("OK      ") + check.text)
            else:
                self.stdout.write(self.style.ERROR(_("ERREUR  ")) + check.text)
        failed = sum(not check.ok for check in checks)
        if failed:
            raise CommandError(
                _("%(count)s vérification(s) en échec : l'installation n'est pas prête.")
                % {"count": failed}
            )
        self.stdout.write(_("Tout est prêt."))
