

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0003_copy_first_submission_to_sheets'),
    ]

    operations = [
        migrations.AlterField(
            model_name='sheetevent',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='le'),
        ),
    ]
