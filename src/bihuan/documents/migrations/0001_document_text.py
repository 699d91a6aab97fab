import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0001_case_card'),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('recommendation', '起诉意见书'), ('arrest_request', '提请批准逮捕书'), ('indictment', '起诉书'), ('non_prosecution', '不起诉决定书'), ('plea_agreement', '认罪认罚具结书'), ('sentencing', '量刑建议书'), ('supplementary', '退回补充侦查决定书'), ('extension', '延长审查起诉期限决定书'), ('arrest_approval', '批准逮捕决定书'), ('arrest_refusal', '不批准逮捕决定书'), ('measure', '强制措施文书'), ('judgment', '刑事判决书'), ('other', '其他文书')], max_length=20, verbose_name='文书种类')),
                ('number', models.CharField(blank=True, max_length=64, verbose_name='文号')),
                ('title', models.CharField(blank=True, max_length=100, verbose_name='标题')),
                ('signed_date', models.DateField(blank=True, null=True, verbose_name='签发日期')),
                ('text', models.TextField(blank=True, verbose_name='正文')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='cases.case')),
            ],
            options={
                'verbose_name': '法律文书',
                'verbose_name_plural': '法律文书',
                'ordering': ['case_id', 'signed_date', 'id'],
            },
        ),
    ]
