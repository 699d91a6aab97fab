"""OpenAPI pieces that drf-spectacular cannot infer."""

from django import forms
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from bihuan.api.serializers import ErrorSerializer


def form_parameters(form_class: type[forms.Form]) -> list[OpenApiParameter]:
    """Query parameters described by a filter form, so that the API and the page share one
    definition and the schema follows the form."""
    parameters = []
    for name, field in form_class.base_fields.items():
        enum = None
        if isinstance(field, forms.ModelChoiceField):
            kind = OpenApiTypes.INT
        elif isinstance(field, forms.ChoiceField):
            kind = OpenApiTypes.STR
            enum = [value for value, _ in field.choices if value != ""]
        elif isinstance(field, forms.DateField):
            kind = OpenApiTypes.DATE
        elif isinstance(field, forms.NullBooleanField | forms.BooleanField):
            kind = OpenApiTypes.BOOL
        elif isinstance(field, forms.IntegerField):
            kind = OpenApiTypes.INT
        else:
            kind = OpenApiTypes.STR
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                required=field.required,
                description=str(field.label or "") + (f"。{field.help_text}" if field.help_text else ""),
                enum=enum,
            )
        )
    return parameters


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error answers of an operation; every one is `{"error": "..."}`."""
    described = {
        400: "请求参数有误",
        401: "未提供或提供了无效的身份认证信息",
        403: "当前角色无权执行该操作",
        404: "对象不存在，或不在当前用户的查看范围内",
        409: "案件已被他人修改（row_version 已过期）",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=described[code]) for code in codes}


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes token authentication in Chinese, with how a token is issued."""

    target_class = "rest_framework.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "接口令牌：请求头写作 `Authorization: Token <令牌>`；"
            "令牌由管理员以 `bihuan apitoken 登录名` 签发。",
        }
