"""On PostgreSQL, the list sorted by the newest submission, drafts last, read from an index
in its order (with the plain one of 0007 read backwards, PostgreSQL walked every draft's empty
date first). SQLite cannot order an index's NULLs: it keeps the plain one."""

from django.db import migrations

INDEX = "sheet_dept_newest_submitted"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_projectsheet "
            "(department_id, campaign_id, submitted_at DESC NULLS LAST)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_sheet_search_text")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
