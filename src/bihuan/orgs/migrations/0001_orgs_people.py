import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Role',
            fields=[
                ('code', models.CharField(choices=[('case_manager', '案件管理人员'), ('prosecutor', '承办检察官'), ('assistant', '检察官助理'), ('clerk', '书记员'), ('dept_head', '部门主任'), ('deputy_chief', '分管副检察长'), ('chief', '检察长'), ('committee', '检察委员会委员'), ('investigator', '侦查人员'), ('sysadmin', '系统管理员'), ('secadmin', '安全管理员'), ('auditadmin', '审计管理员')], max_length=20, primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=30)),
            ],
            options={
                'verbose_name': '角色',
                'verbose_name_plural': '角色',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=6, unique=True, verbose_name='单位编码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('short_name', models.CharField(max_length=10, verbose_name='院简称')),
                ('level', models.CharField(choices=[('province', '省级院'), ('city', '市级院'), ('county', '基层院')], max_length=10, verbose_name='层级')),
                ('path', models.CharField(db_index=True, editable=False, max_length=80)),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='orgs.organisation', verbose_name='上级院')),
            ],
            options={
                'verbose_name': '检察院',
                'verbose_name_plural': '检察院',
                'ordering': ['path'],
            },
        ),
        migrations.CreateModel(
            name='Department',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='名称')),
                ('short_name', models.CharField(blank=True, max_length=10, verbose_name='简称')),
                ('kind', models.CharField(choices=[('criminal', '刑事检察部门'), ('case_mgmt', '案件管理部门'), ('other', '其他部门')], default='criminal', max_length=20, verbose_name='类别')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='departments', to='orgs.organisation', verbose_name='检察院')),
            ],
            options={
                'verbose_name': '部门',
                'verbose_name_plural': '部门',
                'ordering': ['org__path', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Agency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                ('kind', models.CharField(choices=[('police', '公安机关'), ('supervision', '监察机关'), ('state_security', '国家安全机关'), ('customs', '海关缉私部门'), ('other', '其他侦查机关')], default='police', max_length=20, verbose_name='类别')),
                ('org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='agencies', to='orgs.organisation', verbose_name='对应检察院')),
            ],
            options={
                'verbose_name': '侦查（调查）机关',
                'verbose_name_plural': '侦查（调查）机关',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Team',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='名称')),
                ('is_fast_track', models.BooleanField(default=False, verbose_name='快审团队')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teams', to='orgs.department', verbose_name='部门')),
            ],
            options={
                'verbose_name': '办案团队',
                'verbose_name_plural': '办案团队',
                'ordering': ['department_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('full_name', models.CharField(blank=True, max_length=50, verbose_name='姓名')),
                ('password_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='密码修改时间')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='orgs.agency', verbose_name='所属侦查机关')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='orgs.department', verbose_name='部门')),
                ('org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='orgs.organisation', verbose_name='检察院')),
                ('roles', models.ManyToManyField(blank=True, related_name='users', to='orgs.role', verbose_name='角色')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='orgs.team', verbose_name='办案团队')),
            ],
            options={
                'verbose_name': '人员',
                'verbose_name_plural': '人员',
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.UniqueConstraint(fields=('org', 'name'), name='department_unique_name'),
        ),
    ]
