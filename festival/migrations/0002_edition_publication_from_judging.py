"""`Edition.results_published_at` mirrored `judging.Publication` and could be edited apart from it
in the admin. `Publication` is now the only record: the mirror goes. Its values are not copied
anywhere because every real publication already holds its own date; an edition marked published
in the admin without a publication (no palmarès to show) is reported, then reads as unpublished.
"""

from django.db import migrations


def report_orphan_dates(apps, schema_editor):
    Edition = apps.get_model("festival", "Edition")
    Publication = apps.get_model("judging", "Publication")
    live = set(
        Publication.objects.filter(unpublished_at__isnull=True).values_list("edition_id", flat=True)
    )
    orphans = Edition.objects.filter(results_published_at__isnull=False).exclude(pk__in=live)
    for edition in orphans:
        print(
            f"\n  Edition {edition.pk} ({edition.title}) was marked published without a palmarès; "
            "it now reads as unpublished."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("festival", "0001_initial"),
        ("judging", "0002_results"),
    ]

    operations = [
        migrations.RunPython(report_orphan_dates, migrations.RunPython.noop),
        migrations.RemoveField(model_name="edition", name="results_published_at"),
    ]
