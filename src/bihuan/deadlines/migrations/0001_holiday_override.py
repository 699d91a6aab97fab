from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='HolidayOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='日期')),
                ('is_workday', models.BooleanField(help_text='勾选为工作日（含调休上班日），不勾选为休息日（节假日）', verbose_name='工作日')),
                ('note', models.CharField(blank=True, help_text='例如：2027年春节放假、国庆节调休上班', max_length=100, verbose_name='说明')),
            ],
            options={
                'verbose_name': '节假日调整',
                'verbose_name_plural': '节假日调整',
                'ordering': ['date'],
            },
        ),
    ]
