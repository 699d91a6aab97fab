from rest_framework.permissions import BasePermission

from bihuan.orgs.scope import reads_cases


class ReadsCaseData(BasePermission):
    """Only roles that work with case data pass: the three administrators (三员) and
    investigators are refused every case and suspect endpoint."""

    message = "当前角色无权查看案件数据。"

    def has_permission(self, request, view) -> bool:
        return reads_cases(request.user)
