from django.core.management.base import BaseCommand

from public import demo, demo_transfer


class Command(BaseCommand):
    help = "Crée une édition de démonstration complète (sans effet si elle existe déjà)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-videos", action="store_true", help="Ne pas générer les vidéos des films."
        )

    def handle(self, *args, no_videos=False, **options):
        created = demo.load(with_videos=not no_videos)
        if created is None:
            self.stdout.write("Les données de démonstration sont déjà chargées.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Édition de démonstration créée : {created['edition']} "
                    f"({len(created['films'])} films)."
                )
            )
        self.stdout.write(
            f"\nComptes de démonstration (mot de passe : {demo.DEMO_PASSWORD})\n"
            f"  enseignante   : {demo.TEACHER_EMAIL}\n"
            f"  juré          : {demo.JUROR_EMAIL}\n"
            f"  organisatrice : {demo.ORGANIZER_EMAIL}  (des deux festivals)\n"
            f"  organisatrice : {demo.SECOND_ORGANIZER_EMAIL}  (FILM'IT Grand Est)\n"
            f"  organisatrice : {demo_transfer.FINAL_ORGANIZER_EMAIL}  (Finale nationale)\n"
            f"  exploitation  : {demo.OPERATOR_EMAIL}  (administration Django)\n"
        )
