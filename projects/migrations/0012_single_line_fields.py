

import aps.single_line
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0011_filed_sheets_dated'),
    ]

    operations = [
        migrations.AlterField(
            model_name='establishment',
            name='city',
            field=models.CharField(max_length=100, validators=[aps.single_line.validate_single_line], verbose_name='commune'),
        ),
        migrations.AlterField(
            model_name='establishment',
            name='name',
            field=models.CharField(max_length=200, validators=[aps.single_line.validate_single_line], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='foqualenetwork',
            name='name',
            field=models.CharField(max_length=150, validators=[aps.single_line.validate_single_line], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='title',
            field=models.CharField(blank=True, help_text='Par exemple : référent décrochage, CPE, principal adjoint.', max_length=100, validators=[aps.single_line.validate_single_line], verbose_name='fonction'),
        ),
        migrations.AlterField(
            model_name='projectsheet',
            name='pupil_levels',
            field=models.CharField(blank=True, help_text='Par exemple : 4e et 3e, 2de pro.', max_length=200, validators=[aps.single_line.validate_single_line], verbose_name='niveaux'),
        ),
        migrations.AlterField(
            model_name='projectsheet',
            name='title',
            field=models.CharField(max_length=200, validators=[aps.single_line.validate_single_line], verbose_name="titre de l'action"),
        ),
    ]
