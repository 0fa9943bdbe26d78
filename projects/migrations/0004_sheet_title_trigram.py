"""On PostgreSQL, a trigram index on the sheet's title, so that the list's search (``title
icontains``, which Django writes ``UPPER(title) LIKE UPPER(…)``) reads an index instead of
every title of the scope. pg_trgm is a trusted extension: the database's owner may create
it. Other databases keep the plain scan."""

from django.db import migrations

INDEX = "sheet_title_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_projectsheet "
        'USING gin (UPPER("title"::text) gin_trgm_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_sheet_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
