"""On PostgreSQL, a second index on (campaign, département, state) that also holds the columns
the list filters, sorts and searches on: the means requested, the first submission, the last
change, the title, the carrier.
The list then counts and picks a page of sheets filtered by means from the index alone (an
index-only scan), without reading the table. The narrow index of 0003 stays, for the plain
counts (fewer pages to read). Other databases have only the narrow one."""

from django.db import migrations

INDEX = "sheet_list_covering"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_projectsheet "
            "(campaign_id, department_id, status) INCLUDE (requested_euros, requested_hse, "
            "requested_imp, submitted_at, updated_at, id, title, establishment_id, network_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_sheet_list_columns")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
