"""Académies as data: each département belongs to one. The départements already there are
attached to their académie, created from a frozen copy of the reference table
(projects/reference.py, which names its sources)."""

import django.db.models.deletion
from django.db import migrations, models

# code of the académie -> (name, of_name, codes of its départements), frozen on 2026-12-03.
ACADEMIES = {
    "aix-marseille": ("Aix-Marseille", "d'Aix-Marseille", "04 05 13 84"),
    "amiens": ("Amiens", "d'Amiens", "02 60 80"),
    "besancon": ("Besançon", "de Besançon", "25 39 70 90"),
    "bordeaux": ("Bordeaux", "de Bordeaux", "24 33 40 47 64"),
    "clermont": ("Clermont-Ferrand", "de Clermont-Ferrand", "03 15 43 63"),
    "corse": ("Corse", "de Corse", "2A 2B"),
    "creteil": ("Créteil", "de Créteil", "77 93 94"),
    "dijon": ("Dijon", "de Dijon", "21 58 71 89"),
    "grenoble": ("Grenoble", "de Grenoble", "07 26 38 73 74"),
    "guadeloupe": ("Guadeloupe", "de la Guadeloupe", "971"),
    "guyane": ("Guyane", "de la Guyane", "973"),
    "lille": ("Lille", "de Lille", "59 62"),
    "limoges": ("Limoges", "de Limoges", "19 23 87"),
    "lyon": ("Lyon", "de Lyon", "01 42 69"),
    "martinique": ("Martinique", "de la Martinique", "972"),
    "mayotte": ("Mayotte", "de Mayotte", "976"),
    "montpellier": ("Montpellier", "de Montpellier", "11 30 34 48 66"),
    "nancy-metz": ("Nancy-Metz", "de Nancy-Metz", "54 55 57 88"),
    "nantes": ("Nantes", "de Nantes", "44 49 53 72 85"),
    "nice": ("Nice", "de Nice", "06 83"),
    "normandie": ("Normandie", "de Normandie", "14 27 50 61 76"),
    "orleans-tours": ("Orléans-Tours", "d'Orléans-Tours", "18 28 36 37 41 45"),
    "paris": ("Paris", "de Paris", "75"),
    "poitiers": ("Poitiers", "de Poitiers", "16 17 79 86"),
    "reims": ("Reims", "de Reims", "08 10 51 52"),
    "rennes": ("Rennes", "de Rennes", "22 29 35 56"),
    "reunion": ("La Réunion", "de La Réunion", "974"),
    "strasbourg": ("Strasbourg", "de Strasbourg", "67 68"),
    "toulouse": ("Toulouse", "de Toulouse", "09 12 31 32 46 65 81 82"),
    "versailles": ("Versailles", "de Versailles", "78 91 92 95"),
}


def attach_departments(apps, schema_editor):
    Academy = apps.get_model("projects", "Academy")
    Department = apps.get_model("projects", "Department")
    for department in Department.objects.all():
        code = next(
            (code for code, (*_, codes) in ACADEMIES.items() if department.code in codes.split()),
            None,
        )
        if code is None:
            raise RuntimeError(f"Département {department.code} absent du référentiel.")
        name, of_name, _ = ACADEMIES[code]
        academy, _ = Academy.objects.get_or_create(
            code=code,
            defaults={"name": name, "of_name": of_name, "website": f"https://www.ac-{code}.fr"},
        )
        department.academy = academy
        department.save(update_fields=["academy"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0013_establishment_official_and_sort_names")]

    operations = [
        migrations.CreateModel(
            name="Academy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="Son nom de domaine : ac-<code>.fr.",
                        max_length=30,
                        unique=True,
                        verbose_name="code",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Par exemple Créteil.", max_length=100, verbose_name="nom"
                    ),
                ),
                (
                    "of_name",
                    models.CharField(
                        help_text="Ce qui suit « académie » : de Créteil, d'Aix-Marseille, de la Guadeloupe.",
                        max_length=100,
                        verbose_name="complément du nom",
                    ),
                ),
                (
                    "saio_name",
                    models.CharField(blank=True, max_length=200, verbose_name="nom du SAIO"),
                ),
                (
                    "saio_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact du SAIO"),
                ),
                ("website", models.URLField(blank=True, verbose_name="page de l'académie")),
            ],
            options={
                "verbose_name": "académie",
                "verbose_name_plural": "académies",
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="department",
            name="academy",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="projects.academy",
                verbose_name="académie",
            ),
        ),
        migrations.RunPython(attach_departments, migrations.RunPython.noop),
    ]
