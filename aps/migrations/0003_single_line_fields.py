

import aps.single_line
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aps', '0002_password_reset_request'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='full_name',
            field=models.CharField(max_length=150, validators=[aps.single_line.validate_single_line], verbose_name='nom complet'),
        ),
    ]
