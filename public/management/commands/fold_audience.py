from django.core.management.base import BaseCommand

from public.audience import fold_audience


class Command(BaseCommand):
    help = (
        "Fold the audience of the days before today: unique visitors per edition, then delete "
        "those days' visitor hashes and salts (hashes can then never be recomputed). Run it "
        "hourly with the other chores."
    )

    def handle(self, *args, **options):
        done = fold_audience()
        self.stdout.write(
            f"{done['edition_days']} edition day(s) folded, {done['hashes']} visitor hash(es) "
            f"and {done['salts']} salt(s) deleted."
        )
