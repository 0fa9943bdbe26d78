"""The three départements of the académie de Créteil and their DSDEN mailboxes: reference
data every installation needs (the import of establishments refers to them)."""

from django.db import migrations

DEPARTMENTS = [
    ("77", "Seine-et-Marne", "ce.77mlds@ac-creteil.fr"),
    ("93", "Seine-Saint-Denis", "ce.93mlds@ac-creteil.fr"),
    ("94", "Val-de-Marne", "ce.94mlds@ac-creteil.fr"),
]


def create_departments(apps, schema_editor):
    Department = apps.get_model("projects", "Department")
    for code, name, email in DEPARTMENTS:
        Department.objects.update_or_create(
            code=code, defaults={"name": name, "dsden_email": email}
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create_departments, migrations.RunPython.noop)]
