import django.utils.timezone
from django.db import migrations, models


def drop_opinion_labels(apps, schema_editor):
    """The opinion's label is shown from its stored key (``SheetEvent.opinion_label``)."""
    SheetEvent = apps.get_model("reviews", "SheetEvent")
    events = list(SheetEvent.objects.filter(transition="prevalidate"))
    for event in events:
        event.details.pop("opinion_label", None)
    SheetEvent.objects.bulk_update(events, ["details"], batch_size=500)


def restore_opinion_labels(apps, schema_editor):
    labels = {"favorable": "Favorable", "reserve": "Réservé", "defavorable": "Défavorable"}
    SheetEvent = apps.get_model("reviews", "SheetEvent")
    events = list(SheetEvent.objects.filter(transition="prevalidate"))
    for event in events:
        opinion = event.details.get("opinion")
        if opinion in labels:
            event.details["opinion_label"] = labels[opinion]
    SheetEvent.objects.bulk_update(events, ["details"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_section_keys"),
    ]

    operations = [
        # The workflow gives an event the moment it writes on the sheet (one ``now``).
        migrations.AlterField(
            model_name="sheetevent",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="le"),
        ),
        # The network's opinion is a transition (prevalidate): no event of its own kind.
        migrations.AlterField(
            model_name="sheetevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("transition", "Changement d'état"),
                    ("advice", "Conseil MLDS"),
                    ("bilan", "Bilan déposé"),
                ],
                max_length=20,
                verbose_name="nature",
            ),
        ),
        migrations.RunPython(drop_opinion_labels, restore_opinion_labels),
    ]
