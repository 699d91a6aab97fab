"""The running period moves from the case row to a narrow table of its own, with copies of the
case's scope columns; the values the case rows hold are carried over (the next recompute
refreshes them anyway)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_suspension_link'),
        ('deadlines', '0001_holiday_override'),
        ('orgs', '0002_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseDue',
            fields=[
                ('case', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='due', serialize=False, to='cases.case')),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='期限届满日')),
                ('due_kind', models.CharField(blank=True, choices=[('', '无'), ('arrest_review', '审查逮捕期限'), ('prosecution_review', '审查起诉期限'), ('fast', '速裁审查期限'), ('supplementary', '补充侦查期限')], default='', max_length=20, verbose_name='期限种类')),
                ('case_version', models.PositiveIntegerField(default=0)),
                ('department', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.department')),
                ('org', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organisation')),
                ('prosecutor', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.team')),
            ],
            options={
                'verbose_name': '办案期限',
                'verbose_name_plural': '办案期限',
                'indexes': [models.Index(condition=models.Q(('due_date__isnull', False)), fields=['due_date', 'case'], name='casedue_order'), models.Index(condition=models.Q(('due_date__isnull', False)), fields=['org', 'due_date', 'case'], name='casedue_org'), models.Index(condition=models.Q(('due_date__isnull', False)), fields=['department', 'due_date', 'case'], name='casedue_department'), models.Index(condition=models.Q(('due_date__isnull', False)), fields=['team', 'due_date', 'case'], name='casedue_team'), models.Index(condition=models.Q(('due_date__isnull', False)), fields=['prosecutor', 'due_date', 'case'], name='casedue_prosecutor')],
            },
        ),
            migrations.RunSQL(
            "INSERT INTO deadlines_casedue "
            "(case_id, due_date, due_kind, case_version, org_id, department_id, team_id, prosecutor_id) "
            "SELECT id, due_date, due_kind, row_version, org_id, department_id, team_id, prosecutor_id "
            "FROM cases_case WHERE due_date IS NOT NULL",
            migrations.RunSQL.noop,
        ),
    ]
