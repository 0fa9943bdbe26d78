"""Two indexes of the DSDEN's read side.

- The sheets waiting for the DSDEN's answer, the longest waiting first (its home page):
  partial, on PostgreSQL and SQLite alike.
- On PostgreSQL, the filed sheets of a campaign and département with every column the
  statistics count, sum and group on (state, typology, carrier, first submission, first
  answer, means requested): the page's grouped counts and its median delay are read from the
  index alone (an index-only scan), not from the table; and the number of distinct
  (département, typology, state, network) the planner would otherwise take for the product of
  each one's (thousands of groups instead of a few hundred: it then sorts the sheets rather
  than hashing them). Other databases go without."""

from django.db import migrations, models

STATISTICS = "sheet_statistics_covering"
GROUPS = "sheet_statistics_groups"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {STATISTICS} ON projects_projectsheet "
            "(campaign_id, department_id) INCLUDE (status, typology, establishment_id, "
            "network_id, submitted_at, first_answered_at, requested_euros, requested_hse, "
            "requested_imp, id) WHERE submitted_at IS NOT NULL"
        )
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {GROUPS} (ndistinct) ON department_id, typology, "
            "status, network_id FROM projects_projectsheet"
        )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {GROUPS}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0024_sheet_arrival_answer_activity"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="projectsheet",
            index=models.Index(
                condition=models.Q(("status__in", ["in_review", "submitted"])),
                fields=["department", "arrived_at", "id"],
                name="sheet_awaiting_answer",
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
