"""The sheet's search text: its title and its carrier's name, city and UAI, as words without
case, accents nor punctuation (``aps.text.searchable``). On PostgreSQL the trigram index moves
from ``UPPER(title)`` to it, and the covering list index (migration 0006) holds it in place of
the title, which the search no longer reads."""

from django.db import migrations, models

from aps.text import searchable

COVERING = "sheet_list_covering"
OLD_TRIGRAMS = "sheet_title_trgm"
TRIGRAMS = "sheet_search_trgm"


def fill(apps, schema_editor):
    ProjectSheet = apps.get_model("projects", "ProjectSheet")
    sheets = ProjectSheet.objects.select_related("establishment", "network").only(
        "title", "establishment__name", "establishment__city", "establishment__uai", "network__name"
    )
    batch = []
    for sheet in sheets.iterator(chunk_size=2000):
        carrier = sheet.establishment
        parts = [carrier.name, carrier.city, carrier.uai] if carrier else [sheet.network.name]
        sheet.search_text = searchable(sheet.title, *parts)
        batch.append(sheet)
        if len(batch) == 2000:
            ProjectSheet.objects.bulk_update(batch, ["search_text"])
            batch = []
    ProjectSheet.objects.bulk_update(batch, ["search_text"])


def index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_TRIGRAMS}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAMS} ON projects_projectsheet "
        "USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING}")
    schema_editor.execute(
        f"CREATE INDEX {COVERING} ON projects_projectsheet (campaign_id, department_id, status) "
        "INCLUDE (requested_euros, requested_hse, requested_imp, submitted_at, updated_at, id, "
        "search_text, establishment_id, network_id)"
    )


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAMS}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_TRIGRAMS} ON projects_projectsheet "
        'USING gin (UPPER("title"::text) gin_trgm_ops)'
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING}")
    schema_editor.execute(
        f"CREATE INDEX {COVERING} ON projects_projectsheet (campaign_id, department_id, status) "
        "INCLUDE (requested_euros, requested_hse, requested_imp, submitted_at, updated_at, id, "
        "title, establishment_id, network_id)"
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_list_sort_indexes")]

    operations = [
        migrations.AddField(
            model_name="projectsheet",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index, unindex, elidable=False),
    ]
