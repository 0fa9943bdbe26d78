"""The académie role covers one académie (its new scope field), the ministry's role every
académie. An académie membership written before covers the directory's académie when there
is one; with several, it becomes the ministry's (it covered them all)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def scope_academie_memberships(apps, schema_editor):
    Academy = apps.get_model("projects", "Academy")
    Membership = apps.get_model("projects", "Membership")
    academies = list(Academy.objects.filter(departments__establishments__isnull=False).distinct())
    memberships = Membership.objects.filter(role="academie")
    if len(academies) == 1:
        memberships.update(academy=academies[0])
    else:
        memberships.update(role="national")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0015_department_academy_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="membership",
            name="membership_scope_matches_role",
        ),
        migrations.RemoveConstraint(
            model_name="membership",
            name="membership_unique_academie",
        ),
        migrations.AddField(
            model_name="membership",
            name="academy",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="projects.academy",
                verbose_name="académie",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("etablissement", "Personnel d'établissement"),
                    ("chef_etablissement", "Chef·fe d'établissement"),
                    ("reseau_foquale", "Responsable de réseau FOQUALE"),
                    ("mlds", "Coordonnateur·rice-conseil MLDS"),
                    ("dsden", "DSDEN"),
                    ("academie", "Académie"),
                    ("national", "Ministère (toutes les académies)"),
                ],
                max_length=20,
                verbose_name="rôle",
            ),
        ),
        migrations.RunPython(scope_academie_memberships, migrations.RunPython.noop),
    ]
