from django.db import migrations, models

# The states of a filed sheet, as they stand at this migration.
FILED = ["in_review", "needs_info", "rejected", "submitted", "validated"]


def date_undated(apps, schema_editor):
    """A filed sheet always got its first submission from the history (reviews 0003) or the
    workflow; one written around them keeps its last change as the closest known date."""
    ProjectSheet = apps.get_model("projects", "ProjectSheet")
    ProjectSheet.objects.filter(status__in=FILED, submitted_at__isnull=True).update(
        submitted_at=models.F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0010_establishment_search_text"),
    ]

    operations = [
        migrations.RunPython(date_undated, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="projectsheet",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", FILED), _negated=True),
                    ("submitted_at__isnull", False),
                    _connector="OR",
                ),
                name="sheet_filed_is_dated",
                violation_error_message="Une fiche déposée garde la date de son premier dépôt.",
            ),
        ),
    ]
