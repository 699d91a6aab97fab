import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0001_orgs_people'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Charge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=16, unique=True, verbose_name='编码')),
                ('name', models.CharField(max_length=60, unique=True, verbose_name='罪名')),
                ('article', models.CharField(max_length=40, verbose_name='刑法条文')),
                ('article_no', models.CharField(max_length=16, verbose_name='条文号')),
                ('chapter', models.CharField(max_length=60, verbose_name='章')),
            ],
            options={
                'verbose_name': '罪名',
                'verbose_name_plural': '罪名',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Tag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=30, unique=True, verbose_name='标签')),
            ],
            options={
                'verbose_name': '案件标签',
                'verbose_name_plural': '案件标签',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Case',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dept_case_no', models.CharField(max_length=64, unique=True, verbose_name='部门受案号')),
                ('unified_case_no', models.CharField(db_index=True, max_length=17, verbose_name='统一受案号')),
                ('name', models.CharField(max_length=200, verbose_name='案件名称')),
                ('case_type', models.CharField(choices=[('arrest_review', '审查逮捕'), ('prosecution_review', '审查起诉')], max_length=20, verbose_name='案件类别')),
                ('received_date', models.DateField(verbose_name='受理日期')),
                ('procedure', models.CharField(choices=[('ordinary', '普通程序'), ('simplified', '简易程序'), ('fast', '速裁程序')], default='ordinary', max_length=12, verbose_name='适用程序')),
                ('track', models.CharField(blank=True, choices=[('', '未分流'), ('simple', '简案'), ('complex', '繁案')], default='', max_length=10, verbose_name='繁简')),
                ('risk_level', models.CharField(choices=[('low', '低'), ('medium', '中'), ('high', '高')], default='low', max_length=10, verbose_name='风险等级')),
                ('is_major_complex', models.BooleanField(default=False, verbose_name='重大复杂')),
                ('stage', models.CharField(choices=[('received', '受理'), ('assigned', '分案'), ('reviewing', '审查'), ('returned', '退回补充侦查'), ('proposed', '拟处理意见'), ('dept_review', '审核'), ('approval', '审批/签发'), ('concluded', '审结'), ('archived', '归档')], default='received', max_length=20, verbose_name='办理阶段')),
                ('outcome', models.CharField(blank=True, choices=[('', '未审结'), ('prosecute', '起诉'), ('np_statutory', '法定不起诉'), ('np_discretionary', '相对不起诉'), ('np_evidence', '存疑不起诉'), ('np_conditional', '附条件不起诉'), ('arrest_approved', '批准逮捕'), ('arrest_refused', '不批准逮捕'), ('transferred', '移送其他检察院'), ('withdrawn', '撤回起诉'), ('other', '其他')], default='', max_length=20, verbose_name='审结方式')),
                ('closed_date', models.DateField(blank=True, null=True, verbose_name='审结日期')),
                ('summary', models.TextField(blank=True, verbose_name='简要案情')),
                ('row_version', models.PositiveIntegerField(default=1)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='orgs.department', verbose_name='承办部门')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='orgs.organisation', verbose_name='承办单位')),
                ('prosecutor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to=settings.AUTH_USER_MODEL, verbose_name='承办检察官')),
                ('source_agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='orgs.agency', verbose_name='移送单位')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cases', to='orgs.team', verbose_name='办案团队')),
                ('charge', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='cases.charge', verbose_name='移送案由')),
                ('tags', models.ManyToManyField(blank=True, related_name='cases', to='cases.tag', verbose_name='标签')),
            ],
            options={
                'verbose_name': '案件',
                'verbose_name_plural': '案件',
                'ordering': ['-received_date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Suspect',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveSmallIntegerField(default=1, verbose_name='序号')),
                ('name', models.CharField(db_index=True, max_length=50, verbose_name='姓名')),
                ('former_name', models.CharField(blank=True, max_length=50, verbose_name='曾用名')),
                ('alias', models.CharField(blank=True, max_length=50, verbose_name='绰号')),
                ('gender', models.CharField(choices=[('M', '男'), ('F', '女')], max_length=1, verbose_name='性别')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='出生日期')),
                ('id_number', models.CharField(blank=True, max_length=18, verbose_name='公民身份号码')),
                ('ethnicity', models.CharField(blank=True, max_length=20, verbose_name='民族')),
                ('education', models.CharField(blank=True, choices=[('', '不详'), ('illiterate', '文盲'), ('primary', '小学'), ('junior', '初中'), ('senior', '高中'), ('vocational', '中专'), ('college', '大专'), ('bachelor', '大学本科'), ('postgraduate', '研究生')], max_length=20, verbose_name='文化程度')),
                ('occupation', models.CharField(blank=True, max_length=50, verbose_name='职业')),
                ('employer', models.CharField(blank=True, max_length=100, verbose_name='工作单位及职务')),
                ('household_address', models.CharField(blank=True, max_length=200, verbose_name='户籍所在地')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='住址')),
                ('is_minor', models.BooleanField(default=False, verbose_name='未成年人')),
                ('prior_record', models.CharField(blank=True, max_length=200, verbose_name='前科情况')),
                ('outcome', models.CharField(blank=True, choices=[('', '未审结'), ('prosecute', '起诉'), ('np_statutory', '法定不起诉'), ('np_discretionary', '相对不起诉'), ('np_evidence', '存疑不起诉'), ('np_conditional', '附条件不起诉'), ('arrest_approved', '批准逮捕'), ('arrest_refused', '不批准逮捕'), ('transferred', '移送其他检察院'), ('withdrawn', '撤回起诉'), ('other', '其他')], default='', max_length=20, verbose_name='处理结果')),
                ('plea', models.BooleanField(default=False, verbose_name='认罪认罚')),
                ('plea_signed_date', models.DateField(blank=True, null=True, verbose_name='具结书签署日期')),
                ('rec_kind', models.CharField(blank=True, choices=[('', '未提出'), ('fixed', '确定刑'), ('range', '幅度刑')], default='', max_length=10, verbose_name='量刑建议类型')),
                ('rec_penalty', models.CharField(blank=True, choices=[('', '无'), ('death', '死刑'), ('life', '无期徒刑'), ('fixed_term', '有期徒刑'), ('criminal_detention', '拘役'), ('public_surveillance', '管制'), ('fine_only', '单处罚金'), ('exempt', '免予刑事处罚')], default='', max_length=20, verbose_name='建议主刑')),
                ('rec_term_min', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='建议刑期（月）下限')),
                ('rec_term_max', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='建议刑期（月）上限')),
                ('rec_probation', models.BooleanField(default=False, verbose_name='建议缓刑')),
                ('rec_fine', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='建议罚金（元）')),
                ('verdict', models.CharField(blank=True, choices=[('', '未判决'), ('guilty', '有罪'), ('not_guilty', '无罪')], default='', max_length=12, verbose_name='判决结果')),
                ('judgment_date', models.DateField(blank=True, null=True, verbose_name='判决日期')),
                ('court_penalty', models.CharField(blank=True, choices=[('', '无'), ('death', '死刑'), ('life', '无期徒刑'), ('fixed_term', '有期徒刑'), ('criminal_detention', '拘役'), ('public_surveillance', '管制'), ('fine_only', '单处罚金'), ('exempt', '免予刑事处罚')], default='', max_length=20, verbose_name='宣告主刑')),
                ('court_term', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='宣告刑期（月）')),
                ('court_probation', models.BooleanField(default=False, verbose_name='宣告缓刑')),
                ('court_fine', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='判处罚金（元）')),
                ('rec_adopted', models.BooleanField(blank=True, null=True, verbose_name='采纳量刑建议')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suspects', to='cases.case')),
            ],
            options={
                'verbose_name': '犯罪嫌疑人',
                'verbose_name_plural': '犯罪嫌疑人',
                'ordering': ['case_id', 'seq'],
            },
        ),
        migrations.CreateModel(
            name='CoerciveMeasure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('detention', '刑事拘留'), ('arrest', '逮捕'), ('bail', '取保候审'), ('residence', '监视居住'), ('designated_residence', '指定居所监视居住'), ('liuzhi', '留置')], max_length=24, verbose_name='种类')),
                ('deciding_body', models.CharField(blank=True, max_length=100, verbose_name='决定机关')),
                ('start_date', models.DateField(verbose_name='起始日期')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='截止日期')),
                ('place', models.CharField(blank=True, max_length=100, verbose_name='羁押（执行）处所')),
                ('suspect', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='cases.suspect')),
            ],
            options={
                'verbose_name': '强制措施',
                'verbose_name_plural': '强制措施',
                'ordering': ['suspect_id', 'start_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SuspectCharge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_main', models.BooleanField(default=False, verbose_name='主罪名')),
                ('charge', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.charge')),
                ('suspect', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suspect_charges', to='cases.suspect')),
            ],
            options={
                'verbose_name': '罪名认定',
                'verbose_name_plural': '罪名认定',
                'ordering': ['suspect_id', '-is_main', 'id'],
            },
        ),
        migrations.AddField(
            model_name='suspect',
            name='charges',
            field=models.ManyToManyField(blank=True, through='cases.SuspectCharge', to='cases.charge', verbose_name='罪名'),
        ),
        migrations.CreateModel(
            name='NumberSequence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('series', models.CharField(max_length=20)),
                ('year', models.PositiveSmallIntegerField()),
                ('last', models.PositiveIntegerField(default=0)),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='orgs.organisation')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('org', 'series', 'year'), name='number_sequence_unique')],
            },
        ),
        migrations.CreateModel(
            name='ProceduralLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('supplementary', '退回补充侦查'), ('extension', '延长审查起诉期限'), ('jurisdiction', '改变管辖'), ('withdrawal', '撤回起诉'), ('appeal', '上诉'), ('protest', '抗诉'), ('retrial', '发回重审'), ('no_arrest_reconsideration', '不批捕复议'), ('no_arrest_review', '不批捕复核'), ('np_reconsideration', '不起诉复议'), ('np_review', '不起诉复核'), ('np_complaint', '不起诉申诉')], max_length=30, verbose_name='环节')),
                ('seq', models.PositiveSmallIntegerField(default=1, verbose_name='次序')),
                ('start_date', models.DateField(verbose_name='起始（决定）日期')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='结束（重新移送）日期')),
                ('approver', models.CharField(blank=True, max_length=50, verbose_name='批准人')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='cases.case')),
                ('suspect', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='cases.suspect')),
            ],
            options={
                'verbose_name': '程序环节',
                'verbose_name_plural': '程序环节',
                'ordering': ['case_id', 'start_date', 'id'],
                'indexes': [models.Index(fields=['kind', 'start_date'], name='link_kind_date')],
            },
        ),
        migrations.AddConstraint(
            model_name='suspectcharge',
            constraint=models.UniqueConstraint(fields=('suspect', 'charge'), name='suspect_charge_unique'),
        ),
        migrations.AddConstraint(
            model_name='suspect',
            constraint=models.UniqueConstraint(fields=('case', 'seq'), name='suspect_unique_seq'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['received_date', 'id'], name='case_list_order'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['org', 'received_date', 'id'], name='case_org_list'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['department', 'received_date', 'id'], name='case_department_list'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['prosecutor', 'received_date', 'id'], name='case_prosecutor_list'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['team', 'received_date', 'id'], name='case_team_list'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['stage', 'received_date', 'id'], name='case_stage_list'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['charge', 'received_date', 'id'], name='case_charge_list'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['closed_date'], name='case_closed'),
        ),
    ]
