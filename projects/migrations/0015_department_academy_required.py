import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0014_academy")]

    operations = [
        migrations.AlterField(
            model_name="department",
            name="academy",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="projects.academy",
                verbose_name="académie",
            ),
        ),
    ]
