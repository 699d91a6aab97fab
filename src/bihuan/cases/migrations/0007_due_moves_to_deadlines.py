"""The running period now lives in deadlines.CaseDue (copied there by deadlines 0002)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_suspension_link'),
        ('deadlines', '0002_case_due'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_due',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_org_due',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_department_due',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_prosecutor_due',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_team_due',
        ),
        migrations.RemoveField(
            model_name='case',
            name='due_date',
        ),
        migrations.RemoveField(
            model_name='case',
            name='due_kind',
        ),
    ]
