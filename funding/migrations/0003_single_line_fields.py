

import aps.single_line
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0002_copy_requested_totals_to_sheets'),
    ]

    operations = [
        migrations.AlterField(
            model_name='euroline',
            name='label',
            field=models.CharField(max_length=200, validators=[aps.single_line.validate_single_line], verbose_name='libellé'),
        ),
        migrations.AlterField(
            model_name='hseline',
            name='activity',
            field=models.CharField(max_length=200, validators=[aps.single_line.validate_single_line], verbose_name='activité'),
        ),
        migrations.AlterField(
            model_name='impline',
            name='beneficiary',
            field=models.CharField(max_length=150, validators=[aps.single_line.validate_single_line], verbose_name='bénéficiaire'),
        ),
    ]
