"""/api/v1/intake/: register a case and accept it, as the intake desk does.

The case-management office of a procuratorate registers and accepts its own cases; the other
roles with case data get 403, the three administrators and investigators 403 on every endpoint,
a case out of scope 404. Writes go through the same actions as the pages.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from bihuan.api.exceptions import Conflict
from bihuan.api.permissions import ReadsCaseData
from bihuan.api.schema import errors
from bihuan.api.serializers import ErrorSerializer
from bihuan.cases.actions import StaleCase
from bihuan.cases.choices import CaseType, Gender, LikelySentence, MeasureKind, Procedure
from bihuan.cases.models import Case, Charge, Tag
from bihuan.intake.access import access_intake_case, default_department, handling_departments, require_intake
from bihuan.intake.actions import IncompleteCase, IntakeError, do_accept, do_register_case
from bihuan.intake.checks import identity_problems, materials_received, minor_problem, missing_elements
from bihuan.lib import idnumber
from bihuan.orgs.models import Agency, Department


class IntakeMeasureSerializer(serializers.Serializer):
    """受理时在案的强制措施。"""

    kind = serializers.ChoiceField(choices=MeasureKind.choices, help_text="强制措施种类")
    start_date = serializers.DateField(help_text="起始日期")
    place = serializers.CharField(max_length=100, required=False, default="", help_text="羁押（执行）处所")


class IntakeSuspectSerializer(serializers.Serializer):
    """犯罪嫌疑人：填写公民身份号码时按 GB 11643 校验，出生日期、性别须与号码一致；未填出生日期的取自号码。"""

    name = serializers.CharField(max_length=50, help_text="姓名")
    gender = serializers.ChoiceField(choices=Gender.choices, help_text="性别：M 男，F 女")
    id_number = serializers.CharField(max_length=18, required=False, default="", help_text="公民身份号码")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="出生日期")
    is_minor = serializers.BooleanField(required=False, default=False, help_text="未成年人")
    plea = serializers.BooleanField(required=False, default=False, help_text="认罪认罚")
    measures = IntakeMeasureSerializer(many=True, required=False, default=list, help_text="强制措施")

    def validate(self, attrs: dict) -> dict:
        number = attrs["id_number"].strip().upper()
        attrs["id_number"] = number
        if number:
            problems = identity_problems(number, attrs["birth_date"], attrs["gender"])
            if problems:
                raise serializers.ValidationError({"id_number": problems})
            attrs["birth_date"] = attrs["birth_date"] or idnumber.birth_date_of(number)
        return attrs


class IntakeCaseSerializer(serializers.Serializer):
    """登记案件：登记后处于“待受理”阶段，自动生成部门受案号和统一受案号。"""

    case_type = serializers.ChoiceField(choices=CaseType.choices, help_text="案件类别")
    name = serializers.CharField(max_length=200, help_text="案件名称")
    source_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), help_text="移送单位 id")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="承办部门 id（本院只有一个刑事检察部门时可省略）",
    )
    charge = serializers.SlugRelatedField(
        slug_field="name", queryset=Charge.objects.all(), help_text="移送案由：罪名（如“危险驾驶罪”）"
    )
    received_date = serializers.DateField(help_text="收案日期")
    procedure = serializers.ChoiceField(choices=Procedure.choices, default=Procedure.ORDINARY, help_text="适用程序")
    is_major_complex = serializers.BooleanField(required=False, default=False, help_text="重大复杂")
    likely_sentence = serializers.ChoiceField(
        choices=LikelySentence.choices, required=False, default=LikelySentence.UNKNOWN, help_text="可能判处刑罚"
    )
    summary = serializers.CharField(required=False, default="", allow_blank=True, help_text="简要案情")
    tags = serializers.SlugRelatedField(
        slug_field="name", queryset=Tag.objects.all(), many=True, required=False, default=list, help_text="案件标签"
    )
    suspects = IntakeSuspectSerializer(many=True, allow_empty=False, help_text="犯罪嫌疑人，至少一名")
    received_materials = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="已接收的随案移送材料名称"
    )

    def validate_received_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("收案日期不能晚于今天。")
        return value

    def validate_source_agency(self, value: Agency) -> Agency:
        if value.org_id != self.context["user"].org_id:
            raise serializers.ValidationError("移送单位不是本院对应的侦查（调查）机关。")
        return value

    def validate_department(self, value: Department | None) -> Department:
        user = self.context["user"]
        if value is None:
            value = default_department(user)
            if value is None:
                raise serializers.ValidationError("本院有多个刑事检察部门，请指定承办部门。")
        if not handling_departments(user).filter(pk=value.pk).exists():
            raise serializers.ValidationError("承办部门不是本院的刑事检察部门。")
        return value

    def validate(self, attrs: dict) -> dict:
        found, error = materials_received(attrs["case_type"], attrs.pop("received_materials"))
        if error:
            raise serializers.ValidationError({"received_materials": error})
        attrs["received"] = found
        for n, suspect in enumerate(attrs["suspects"], 1):
            problem = minor_problem(suspect["birth_date"], attrs["received_date"], suspect["is_minor"])
            if problem:
                raise serializers.ValidationError({"suspects": [f"第{n}项的未成年人：{problem}"]})
        return attrs


# The Chinese names of the nested fields, for error messages ("第1项的公民身份号码：…").
NESTED_LABELS = {
    name: str(field.help_text)
    for serializer in (IntakeSuspectSerializer(), IntakeMeasureSerializer())
    for name, field in serializer.fields.items()
    if field.help_text
}


def _messages(detail, where: str = "") -> list[str]:
    """Nested validation errors as flat messages, each saying where it applies."""
    if isinstance(detail, dict):
        return [m for key, value in detail.items() for m in _messages(value, _place(where, key))]
    return [f"{where}：{m}" if where else str(m) for m in (detail if isinstance(detail, list) else [detail])]


def _place(where: str, key: str | int) -> str:
    if key == "non_field_errors":
        return where
    if isinstance(key, int):
        return f"{where}第{key + 1}项"  # DRF keys a list's errors by position
    label = NESTED_LABELS.get(key, key)
    return f"{where}的{label}" if where else label


def flat_errors(errors: dict) -> dict[str, list[str]]:
    """`{field: [message, …]}` as the error schema documents it, for a nested serializer's errors."""
    return {field: _messages(detail) for field, detail in errors.items()}


class IntakeResultSerializer(serializers.ModelSerializer):
    """登记或受理后的案件：编号、阶段、版本号和仍缺少的要素。"""

    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    missing = serializers.SerializerMethodField(help_text="缺少的受理必备要素（含已先收后补的）")

    class Meta:
        model = Case
        fields = ["id", "dept_case_no", "unified_case_no", "name", "stage", "stage_display", "row_version", "missing"]
        read_only_fields = fields

    def get_missing(self, case: Case) -> list[str]:
        return missing_elements(case)


class DeferSerializer(serializers.Serializer):
    """先收后补：缺少的要素、补送期限和原因。"""

    element = serializers.CharField(help_text="缺少的要素名称")
    due_date = serializers.DateField(help_text="补送期限")
    reason = serializers.CharField(max_length=200, help_text="原因")


class AcceptErrorSerializer(ErrorSerializer):
    """受理被拒绝：error 为错误信息；要素不齐备时 missing 列出缺少且未先收后补的要素。"""

    missing = serializers.ListField(child=serializers.CharField(), required=False)


class AcceptSerializer(serializers.Serializer):
    """受理：须提交读取时的 row_version；缺少的要素须逐项先收后补。"""

    row_version = serializers.IntegerField(min_value=1, help_text="客户端读取时的版本号；已过期时返回 409。")
    defer = DeferSerializer(many=True, required=False, default=list)


@extend_schema_view(
    create=extend_schema(
        summary="登记待受理案件",
        tags=["受理"],
        description="案件管理人员登记本院收到的案件及犯罪嫌疑人、强制措施、已接收材料；返回生成的部门受案号、"
        "统一受案号和缺少的受理必备要素（《人民检察院刑事诉讼规则》第一百五十七条）。",
        request=IntakeCaseSerializer,
        responses={201: OpenApiResponse(IntakeResultSerializer, description="已登记的案件"), **errors(400, 401, 403)},
    ),
    accept=extend_schema(
        summary="受理案件",
        tags=["受理"],
        description="将待受理案件转为受理。要素不齐备且未先收后补的，返回 400 并列出缺少的要素（missing）；"
        "案件已被他人修改时返回 409，不写入任何内容。",
        request=AcceptSerializer,
        responses={
            200: OpenApiResponse(IntakeResultSerializer, description="已受理的案件"),
            400: OpenApiResponse(AcceptErrorSerializer, description="请求参数有误，或要素不齐备"),
            **errors(401, 403, 404, 409),
        },
    ),
)
class IntakeViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ReadsCaseData]
    parser_classes = [JSONParser]
    serializer_class = IntakeCaseSerializer
    lookup_value_converter = "int"

    def create(self, request: Request) -> Response:
        require_intake(request.user)
        spec = IntakeCaseSerializer(data=request.data, context={"user": request.user})
        if not spec.is_valid():
            raise serializers.ValidationError(flat_errors(spec.errors))
        data = dict(spec.validated_data)
        case = do_register_case(org=request.user.org, actor=request.user, **data)
        return Response(IntakeResultSerializer(case).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        case = access_intake_case(request.user, pk, for_write=True)
        spec = AcceptSerializer(data=request.data)
        spec.is_valid(raise_exception=True)
        expected = spec.validated_data["row_version"]
        if case.row_version != expected:
            raise Conflict
        defer = [(d["element"], d["due_date"], d["reason"]) for d in spec.validated_data["defer"]]
        try:
            do_accept(case, actor=request.user, expected_version=expected, defer=defer)
        except StaleCase as exc:
            raise Conflict from exc
        except IncompleteCase as exc:
            return Response({"error": str(exc), "missing": exc.missing}, status=status.HTTP_400_BAD_REQUEST)
        except IntakeError as exc:
            raise serializers.ValidationError({"defer": [str(exc)]}) from exc
        case.refresh_from_db()
        return Response(IntakeResultSerializer(case).data)
