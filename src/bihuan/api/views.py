"""/api/v1/: cases and suspects, scoped exactly like the pages.

Objects are fetched through `access_case` / `access_suspect` (out of scope answers 404 like a
missing object); the roles that read no case data get 403 on every endpoint; writes go through
the same actions as the pages.
"""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from bihuan.api.exceptions import Conflict
from bihuan.api.pagination import CasePagination, SuspectPagination
from bihuan.api.permissions import ReadsCaseData
from bihuan.api.schema import errors, form_parameters
from bihuan.api.serializers import (
    CaseDetailSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    SuspectDetailSerializer,
    SuspectQuerySerializer,
    SuspectSummarySerializer,
)
from bihuan.cases.access import access_case, access_suspect, can_edit_case, visible_cases, visible_suspects
from bihuan.cases.actions import StaleCase, do_record_case_read, do_update_case
from bihuan.cases.filters import CaseFilterForm, filter_cases
from bihuan.cases.models import Case, Suspect, SuspectCharge
from bihuan.documents.models import Document

CASE_RELATED = ("org", "department", "team", "prosecutor", "source_agency", "charge")
# A suspect's charges with their catalogue entries, in one query for any number of suspects.
SUSPECT_CHARGES = Prefetch("suspect_charges", queryset=SuspectCharge.objects.select_related("charge"))
CARD_PREFETCH = (
    "tags",
    Prefetch("suspects", queryset=Suspect.objects.prefetch_related("measures", SUSPECT_CHARGES)),
    "links",
    # The documents' metadata only: their full text is not part of the card.
    Prefetch("documents", queryset=Document.objects.defer("text")),
)


def editable_case_ids(request: Request, case: Case) -> set[int]:
    """The case ids whose suspects' ID numbers the viewer sees in full: those they may edit."""
    return {case.pk} if can_edit_case(request.user, case) else set()


@extend_schema_view(
    list=extend_schema(
        summary="案件列表",
        tags=["案件"],
        description="当前用户查看范围内的案件，按受理日期倒序，游标分页；筛选条件与案件列表页相同。",
        parameters=form_parameters(CaseFilterForm),
        responses={200: OpenApiResponse(CaseSerializer(many=True), description="一页案件"), **errors(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="案卡详情",
        tags=["案件"],
        description="完整案卡：犯罪嫌疑人（罪名、强制措施、认罪认罚、量刑建议、判决结果）、程序环节、文书目录。"
        "读取记入全程留痕；不能修改该案的查看者看到脱敏的公民身份号码。",
        responses={200: OpenApiResponse(CaseDetailSerializer, description="完整案卡"), **errors(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="修改案卡",
        tags=["案件"],
        description="修改案件名称、适用程序、风险等级、重大复杂、简要案情。须提交读取时的 row_version；"
        "案件已被他人修改时返回 409，不写入任何内容。",
        request=CaseUpdateSerializer,
        responses={
            200: OpenApiResponse(CaseSerializer, description="修改后的案卡基本信息"),
            **errors(400, 401, 403, 404, 409),
        },
    ),
)
class CaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ReadsCaseData]
    pagination_class = CasePagination
    serializer_class = CaseSerializer
    lookup_value_converter = "int"
    parser_classes = [JSONParser]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Case]:
        form = CaseFilterForm(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return filter_cases(visible_cases(self.request.user).select_related(*CASE_RELATED), form.cleaned_data).cases

    def retrieve(self, request: Request, pk: int) -> Response:
        case = access_case(request.user, pk)
        prefetch_related_objects([case], *CARD_PREFETCH)
        do_record_case_read(case, request.user)
        context = {**self.get_serializer_context(), "editable_case_ids": editable_case_ids(request, case)}
        return Response(CaseDetailSerializer(case, context=context).data)

    def partial_update(self, request: Request, pk: int) -> Response:
        case = access_case(request.user, pk, for_write=True)
        spec = CaseUpdateSerializer(data=request.data)
        spec.is_valid(raise_exception=True)
        values = dict(spec.validated_data)
        expected = values.pop("row_version")
        # A stale copy is refused even when it would change nothing: the client's view is out of date.
        if case.row_version != expected:
            raise Conflict
        try:
            case = do_update_case(case, values, actor=request.user, expected_version=expected)
        except StaleCase as exc:
            raise Conflict from exc
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="犯罪嫌疑人列表",
        tags=["犯罪嫌疑人"],
        description="当前用户查看范围内的犯罪嫌疑人，游标分页。列表中的公民身份号码一律脱敏；完整号码见详情。",
        parameters=[SuspectQuerySerializer],
        responses={
            200: OpenApiResponse(SuspectSummarySerializer(many=True), description="一页犯罪嫌疑人"),
            **errors(400, 401, 403),
        },
    ),
    retrieve=extend_schema(
        summary="犯罪嫌疑人详情",
        tags=["犯罪嫌疑人"],
        description="读取记入全程留痕；不能修改该案的查看者看到脱敏的公民身份号码。",
        responses={
            200: OpenApiResponse(SuspectDetailSerializer, description="犯罪嫌疑人详情"),
            **errors(401, 403, 404),
        },
    ),
)
class SuspectViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ReadsCaseData]
    pagination_class = SuspectPagination
    serializer_class = SuspectSummarySerializer
    lookup_value_converter = "int"
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[Suspect]:
        spec = SuspectQuerySerializer(data=self.request.query_params)
        spec.is_valid(raise_exception=True)
        suspects = visible_suspects(self.request.user).select_related("case").prefetch_related(SUSPECT_CHARGES)
        if "case" in spec.validated_data:
            suspects = suspects.filter(case_id=spec.validated_data["case"])
        if "name" in spec.validated_data:
            suspects = suspects.filter(name__startswith=spec.validated_data["name"])
        return suspects

    def retrieve(self, request: Request, pk: int) -> Response:
        suspect = access_suspect(request.user, pk)
        prefetch_related_objects([suspect], "measures", SUSPECT_CHARGES)
        do_record_case_read(suspect.case, request.user)
        context = {**self.get_serializer_context(), "editable_case_ids": editable_case_ids(request, suspect.case)}
        return Response(SuspectDetailSerializer(suspect, context=context).data)
