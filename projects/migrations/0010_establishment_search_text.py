"""The establishment's search text: its name, city and UAI as words without case, accents
nor punctuation (``aps.text.searchable``), what the directory's search reads."""

from django.db import migrations, models

from aps.text import searchable


def fill(apps, schema_editor):
    Establishment = apps.get_model("projects", "Establishment")
    establishments = list(Establishment.objects.only("name", "city", "uai"))
    for establishment in establishments:
        establishment.search_text = searchable(
            establishment.name, establishment.city, establishment.uai
        )
    Establishment.objects.bulk_update(establishments, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_newest_submitted_index")]

    operations = [
        migrations.AddField(
            model_name="establishment",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
