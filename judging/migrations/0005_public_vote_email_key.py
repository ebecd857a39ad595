"""One public vote per mailbox: fill the canonical key of existing votes, then make it unique.

The canonical form is copied here as it was when the migration was written (the domain
function may change later; a migration must not). When two existing votes of a category turn
out to come from one mailbox, the one that counts is kept: the first confirmed one, else the
latest request (its link is the one last emailed); the others are deleted.
"""

from django.db import migrations, models

DOTS_IGNORED_DOMAINS = {"gmail.com", "googlemail.com"}
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def canonical_email(email):
    address = (email or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{DOMAIN_ALIASES.get(domain, domain)}"


def _precedence(vote):
    # Confirmed first, the earliest confirmation first; then the latest request.
    if vote.confirmed_at is not None:
        return (0, vote.confirmed_at.timestamp(), 0)
    return (1, 0, -vote.created_at.timestamp())


def fill_email_keys(apps, schema_editor):
    PublicVote = apps.get_model("judging", "PublicVote")
    groups = {}
    for vote in PublicVote.objects.order_by("pk"):
        vote.email_key = canonical_email(vote.email)
        groups.setdefault((vote.edition_id, vote.category_id, vote.email_key), []).append(vote)
    for votes in groups.values():
        kept, *duplicates = sorted(votes, key=_precedence)
        PublicVote.objects.filter(pk__in=[vote.pk for vote in duplicates]).delete()
        kept.save(update_fields=["email_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0004_watch_reported_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicvote",
            name="email_key",
            field=models.CharField(
                default="", max_length=254, verbose_name="adresse e-mail canonique"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="publicvote",
            name="public_vote_one_per_category",
        ),
        migrations.AddConstraint(
            model_name="publicvote",
            constraint=models.UniqueConstraint(
                fields=("edition", "category", "email_key"), name="public_vote_one_per_mailbox"
            ),
        ),
    ]
