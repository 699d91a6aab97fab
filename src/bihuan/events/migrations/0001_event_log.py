from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('last_seq', models.BigIntegerField(default=0)),
                ('last_hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('seq', models.BigIntegerField(primary_key=True, serialize=False)),
                ('at', models.DateTimeField()),
                ('actor_id', models.BigIntegerField(null=True)),
                ('actor_label', models.CharField(max_length=100)),
                ('action', models.CharField(max_length=60)),
                ('summary', models.CharField(blank=True, max_length=300)),
                ('object_type', models.CharField(max_length=60)),
                ('object_id', models.CharField(max_length=64)),
                ('case_id', models.BigIntegerField(null=True)),
                ('org_code', models.CharField(blank=True, max_length=6)),
                ('changes', models.JSONField(default=dict)),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': '留痕记录',
                'verbose_name_plural': '留痕记录',
                'ordering': ['seq'],
                'indexes': [models.Index(fields=['case_id', 'seq'], name='event_case_timeline'), models.Index(fields=['actor_id', 'seq'], name='event_actor'), models.Index(fields=['at'], name='event_at')],
            },
        ),
    ]
