from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_load_charges'),
        ('orgs', '0002_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['risk_level', 'received_date', 'id'], name='case_risk_list'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['track', 'received_date', 'id'], name='case_track_list'),
        ),
    ]
