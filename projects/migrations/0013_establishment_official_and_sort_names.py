"""Establishments' names and cities in a readable case (``projects.names``), the official text
kept as imported in a column of its own, and a folded sort key: the directory and the lists in
alphabetical order whatever the case and accents."""

from django.db import migrations, models

from aps.text import searchable, words
from projects.names import readable_city, readable_name

FIELDS = ["name", "city", "official_name", "official_city", "sort_name", "search_text"]


def fill(apps, schema_editor):
    Establishment = apps.get_model("projects", "Establishment")
    establishments = list(Establishment.objects.only("name", "city", "uai"))
    reworded = {}
    for establishment in establishments:
        establishment.official_name = establishment.name
        establishment.official_city = establishment.city
        establishment.name = readable_name(establishment.name)
        establishment.city = readable_city(establishment.city)
        establishment.sort_name = " ".join(words(establishment.name))[:200]
        establishment.search_text = searchable(
            establishment.name, establishment.city, establishment.uai
        )
        if words(establishment.name) != words(establishment.official_name):
            reworded[establishment.pk] = establishment  # "LYC MET" → "lycée des métiers"
    Establishment.objects.bulk_update(establishments, FIELDS, batch_size=500)
    # The sheets of a carrier whose words changed are searched by its new words too.
    ProjectSheet = apps.get_model("projects", "ProjectSheet")
    sheets = list(ProjectSheet.objects.filter(establishment__in=list(reworded)).only("title", "establishment"))
    for sheet in sheets:
        carrier = reworded[sheet.establishment_id]
        sheet.search_text = searchable(sheet.title, carrier.name, carrier.city, carrier.uai)
    ProjectSheet.objects.bulk_update(sheets, ["search_text"], batch_size=500)


def restore(apps, schema_editor):
    """Back to the official text where one was kept."""
    Establishment = apps.get_model("projects", "Establishment")
    establishments = list(Establishment.objects.exclude(official_name=""))
    for establishment in establishments:
        establishment.name = establishment.official_name
        establishment.city = establishment.official_city or establishment.city
        establishment.search_text = searchable(
            establishment.name, establishment.city, establishment.uai
        )
    Establishment.objects.bulk_update(establishments, ["name", "city", "search_text"], 500)


class Migration(migrations.Migration):
    dependencies = [("projects", "0012_single_line_fields")]

    operations = [
        migrations.AddField(
            model_name="establishment",
            name="official_name",
            field=models.CharField(
                blank=True,
                help_text="Tel qu'importé de l'annuaire.",
                max_length=200,
                verbose_name="nom officiel",
            ),
        ),
        migrations.AddField(
            model_name="establishment",
            name="official_city",
            field=models.CharField(
                blank=True,
                help_text="Telle qu'importée de l'annuaire.",
                max_length=100,
                verbose_name="commune (libellé officiel)",
            ),
        ),
        migrations.AddField(
            model_name="establishment",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill, restore, elidable=False),
        migrations.AlterModelOptions(
            name="establishment",
            options={
                "ordering": ["sort_name", "uai"],
                "verbose_name": "établissement",
                "verbose_name_plural": "établissements",
            },
        ),
        migrations.AddIndex(
            model_name="establishment",
            index=models.Index(fields=["sort_name", "uai"], name="establishment_sort"),
        ),
    ]
