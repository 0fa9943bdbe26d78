"""Copy each estimate's totals to its sheet (ProjectSheet.requested_*), which keeps them from
now on through Estimate.save."""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def copy(apps, schema_editor):
    ProjectSheet = apps.get_model("projects", "ProjectSheet")
    Estimate = apps.get_model("funding", "Estimate")

    def total(name):
        estimates = Estimate.objects.filter(sheet=OuterRef("pk")).values(name)[:1]
        return Coalesce(Subquery(estimates), Value(0))

    ProjectSheet.objects.update(
        requested_euros=total("total_euros"),
        requested_hse=total("total_hse"),
        requested_imp=total("total_imp"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("projects", "0005_sheet_list_columns"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
