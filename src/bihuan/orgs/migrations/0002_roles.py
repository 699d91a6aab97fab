from django.db import migrations

ROLES = [
    ("case_manager", "案件管理人员"),
    ("prosecutor", "承办检察官"),
    ("assistant", "检察官助理"),
    ("clerk", "书记员"),
    ("dept_head", "部门主任"),
    ("deputy_chief", "分管副检察长"),
    ("chief", "检察长"),
    ("committee", "检察委员会委员"),
    ("investigator", "侦查人员"),
    ("sysadmin", "系统管理员"),
    ("secadmin", "安全管理员"),
    ("auditadmin", "审计管理员"),
]


def add_roles(apps, schema_editor):
    Role = apps.get_model("orgs", "Role")
    for code, name in ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_orgs_people")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
