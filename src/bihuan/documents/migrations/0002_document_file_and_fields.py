import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0001_document_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ExtractedField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='字段')),
                ('group', models.PositiveSmallIntegerField(default=0, verbose_name='分组')),
                ('value', models.TextField(verbose_name='提取值')),
                ('start', models.PositiveIntegerField(verbose_name='起始位置')),
                ('end', models.PositiveIntegerField(verbose_name='结束位置')),
                ('corrected_value', models.TextField(blank=True, null=True, verbose_name='更正值')),
                ('corrected_at', models.DateTimeField(blank=True, null=True, verbose_name='更正时间')),
                ('correction_note', models.CharField(blank=True, max_length=200, verbose_name='更正说明')),
                ('row_version', models.PositiveIntegerField(default=1)),
                ('corrected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更正人')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extracted_fields', to='documents.document')),
            ],
            options={
                'verbose_name': '提取字段',
                'verbose_name_plural': '提取字段',
                'ordering': ['document_id', 'start', 'end', 'id'],
            },
        ),
        migrations.CreateModel(
            name='DocumentFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file_name', models.CharField(max_length=255, verbose_name='原文件名')),
                ('file_type', models.CharField(choices=[('docx', 'DOCX'), ('pdf', 'PDF'), ('txt', 'TXT')], max_length=8, verbose_name='文件类型')),
                ('size', models.PositiveBigIntegerField(verbose_name='文件大小（字节）')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('storage_key', models.CharField(max_length=80, verbose_name='存储位置')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('extracted_at', models.DateTimeField(blank=True, null=True, verbose_name='提取时间')),
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='file', to='documents.document')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
            ],
            options={
                'verbose_name': '文书文件',
                'verbose_name_plural': '文书文件',
                'indexes': [models.Index(fields=['sha256'], name='documentfile_sha256')],
            },
        ),
    ]
