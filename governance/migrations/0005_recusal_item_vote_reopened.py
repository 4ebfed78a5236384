"""Jäv belongs to the agenda item (the beredning has jäv too, and a member may declare it before a vote is
opened); the vote it was declared in, if any, stays on the row. A void vote can be opened again."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def item_from_vote(apps, schema_editor):
    Recusal = apps.get_model("governance", "Recusal")
    for recusal in Recusal.objects.select_related("vote").iterator():
        recusal.item_id = recusal.vote.item_id
        recusal.save(update_fields=["item"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_agenda_integrity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="recusal", name="one_recusal_per_member"),
        migrations.AddField(
            model_name="recusal",
            name="item",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="recusals",
                to="governance.agendaitem",
            ),
        ),
        migrations.RunPython(item_from_vote, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="recusal",
            name="item",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="recusals", to="governance.agendaitem"
            ),
        ),
        migrations.AlterField(
            model_name="recusal",
            name="vote",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="recusals",
                to="governance.vote",
            ),
        ),
        migrations.AddConstraint(
            model_name="recusal",
            constraint=models.UniqueConstraint(fields=("item", "member"), name="one_recusal_per_member"),
        ),
        migrations.AddField(
            model_name="vote", name="reopened_count", field=models.PositiveIntegerField(default=0)
        ),
    ]
