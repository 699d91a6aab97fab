"""`bihuan apitoken USERNAME [--rotate]`: print a person's API token, creating it if needed."""

from django.core.management.base import BaseCommand, CommandError

from bihuan.api.actions import do_issue_api_token
from bihuan.orgs.models import User
from bihuan.orgs.scope import reads_cases


class Command(BaseCommand):
    help = "输出某人员的接口令牌（没有则签发）；--rotate 作废旧令牌并签发新令牌。每次操作记入全程留痕。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="登录名")
        parser.add_argument("--rotate", action="store_true", help="作废旧令牌，签发新令牌")

    def handle(self, *args, username: str, rotate: bool, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"人员不存在：{username}")
        if not user.is_active:
            raise CommandError(f"人员已停用：{username}")
        token = do_issue_api_token(user, rotate=rotate)
        if not reads_cases(user):
            self.stderr.write("注意：该人员的角色不能查看案件数据，案件与犯罪嫌疑人接口将以 403 拒绝其请求。")
        self.stdout.write(token.key)
