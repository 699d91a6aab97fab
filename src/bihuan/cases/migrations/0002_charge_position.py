from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0001_case_card'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='charge',
            options={'ordering': ['position'], 'verbose_name': '罪名', 'verbose_name_plural': '罪名'},
        ),
        migrations.AddField(
            model_name='charge',
            name='position',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='顺序'),
        ),
        migrations.AddField(
            model_name='charge',
            name='source',
            field=models.CharField(blank=True, max_length=40, verbose_name='罪名依据'),
        ),
    ]
