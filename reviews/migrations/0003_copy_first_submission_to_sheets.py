"""Copy each sheet's first submission (its first "submit" event) to ProjectSheet.submitted_at,
which the workflow keeps from now on."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy(apps, schema_editor):
    ProjectSheet = apps.get_model("projects", "ProjectSheet")
    SheetEvent = apps.get_model("reviews", "SheetEvent")
    first = SheetEvent.objects.filter(sheet=OuterRef("pk"), transition="submit").order_by(
        "created_at", "pk"
    )
    ProjectSheet.objects.update(submitted_at=Subquery(first.values("created_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_bilan_bulk_export"),
        ("projects", "0005_sheet_list_columns"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
