"""On PostgreSQL, the list's index (campaign, département, state) also holds the columns the
list filters and sorts on: the means requested, the first submission, the last change. The
list then counts and picks a page of sheets from the index alone (an index-only scan), without
reading the table. Other databases keep the plain index of 0003."""

from django.db import migrations

COVERING = (
    "CREATE INDEX sheet_campaign_dept ON projects_projectsheet (campaign_id, department_id, "
    "status) INCLUDE (requested_euros, requested_hse, requested_imp, submitted_at, updated_at, "
    "id)"
)
PLAIN = (
    "CREATE INDEX sheet_campaign_dept ON projects_projectsheet (campaign_id, department_id, "
    "status)"
)


def replace(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS sheet_campaign_dept")
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_sheet_list_columns")]

    operations = [migrations.RunPython(replace(COVERING), replace(PLAIN), elidable=False)]
