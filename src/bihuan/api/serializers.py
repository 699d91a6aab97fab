"""Representations of the case card for /api/v1/.

Every enumeration is given twice: the code (`"stage": "reviewing"`) and its Chinese label
(`"stage_display": "审查"`). Serializer docstrings become the schema's descriptions on
/api/docs/, so they are written in Chinese; notes for developers are comments.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bihuan.cases.choices import Penalty, RecommendationKind
from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge
from bihuan.documents.models import Document
from bihuan.lib.masking import mask_id_number
from bihuan.orgs.models import Agency, Department, Organisation, Team, User


def display(field: str) -> serializers.CharField:
    """The Chinese label of a choice field."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


class ErrorSerializer(serializers.Serializer):
    """错误响应：error 为错误信息；请求参数有误时，fields 按字段列出全部错误。"""

    error = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


#
# References to other objects
#


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "short_name"]
        read_only_fields = fields


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name"]
        read_only_fields = fields


class TeamRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "is_fast_track"]
        read_only_fields = fields


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]
        read_only_fields = fields


class ChargeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Charge
        fields = ["code", "name", "article"]
        read_only_fields = fields


class CaseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "dept_case_no", "name"]
        read_only_fields = fields


#
# Suspects
#


class SuspectChargeSerializer(serializers.ModelSerializer):
    """对该犯罪嫌疑人认定（指控）的罪名；is_main 为主罪名。"""

    code = serializers.CharField(source="charge.code", read_only=True)
    name = serializers.CharField(source="charge.name", read_only=True)
    article = serializers.CharField(source="charge.article", read_only=True)

    class Meta:
        model = SuspectCharge
        fields = ["code", "name", "article", "is_main"]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    """强制措施的一个期间；end_date 为最后一日，空表示尚未解除。"""

    kind_display = display("kind")

    class Meta:
        model = CoerciveMeasure
        fields = ["id", "kind", "kind_display", "deciding_body", "start_date", "end_date", "place"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    """量刑建议：确定刑（term_min 与 term_max 相同）或幅度刑；刑期以月计，罚金以元计。"""

    kind = serializers.ChoiceField(source="rec_kind", choices=RecommendationKind.choices, read_only=True)
    kind_display = display("rec_kind")
    penalty = serializers.ChoiceField(source="rec_penalty", choices=Penalty.choices, read_only=True)
    penalty_display = display("rec_penalty")
    term_min = serializers.IntegerField(source="rec_term_min", read_only=True, allow_null=True)
    term_max = serializers.IntegerField(source="rec_term_max", read_only=True, allow_null=True)
    probation = serializers.BooleanField(source="rec_probation", read_only=True)
    fine = serializers.DecimalField(source="rec_fine", max_digits=12, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Suspect
        fields = ["kind", "kind_display", "penalty", "penalty_display", "term_min", "term_max", "probation", "fine"]
        read_only_fields = fields


class CourtResultSerializer(serializers.ModelSerializer):
    """法院对该被告人的判决结果；刑期以月计，罚金以元计；rec_adopted 表示是否采纳量刑建议。"""

    verdict_display = display("verdict")
    penalty = serializers.ChoiceField(source="court_penalty", choices=Penalty.choices, read_only=True)
    penalty_display = display("court_penalty")
    term = serializers.IntegerField(source="court_term", read_only=True, allow_null=True)
    probation = serializers.BooleanField(source="court_probation", read_only=True)
    fine = serializers.DecimalField(
        source="court_fine", max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Suspect
        fields = [
            "verdict",
            "verdict_display",
            "judgment_date",
            "penalty",
            "penalty_display",
            "term",
            "probation",
            "fine",
            "rec_adopted",
        ]
        read_only_fields = fields


class MaskedIdNumberMixin(serializers.Serializer):
    # 公民身份号码 in full only for the cases in context["editable_case_ids"]; masked otherwise.

    id_number = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(help_text="只读查看者看到脱敏号码（保留前 6 位与末位）"))
    def get_id_number(self, suspect: Suspect) -> str:
        if suspect.case_id in self.context.get("editable_case_ids", ()):
            return suspect.id_number
        return mask_id_number(suspect.id_number)


class SuspectQuerySerializer(serializers.Serializer):
    """犯罪嫌疑人列表的查询参数。"""

    case = serializers.IntegerField(required=False, min_value=1, help_text="案件 id")
    name = serializers.CharField(required=False, max_length=50, help_text="姓名（前缀匹配）")


class SuspectSummarySerializer(MaskedIdNumberMixin, serializers.ModelSerializer):
    """犯罪嫌疑人列表中的一项；公民身份号码一律脱敏。"""

    case = CaseRefSerializer(read_only=True)
    gender_display = display("gender")
    outcome_display = display("outcome")
    charges = SuspectChargeSerializer(source="suspect_charges", many=True, read_only=True)

    class Meta:
        model = Suspect
        fields = [
            "id",
            "case",
            "seq",
            "name",
            "gender",
            "gender_display",
            "birth_date",
            "id_number",
            "is_minor",
            "charges",
            "plea",
            "outcome",
            "outcome_display",
        ]
        read_only_fields = fields


class SuspectSerializer(MaskedIdNumberMixin, serializers.ModelSerializer):
    """犯罪嫌疑人：身份信息、罪名、强制措施、认罪认罚、量刑建议与判决结果。"""

    # Needs `measures` and `suspect_charges__charge` prefetched.

    gender_display = display("gender")
    education_display = display("education")
    outcome_display = display("outcome")
    in_custody = serializers.SerializerMethodField()
    charges = SuspectChargeSerializer(source="suspect_charges", many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    sentencing_recommendation = RecommendationSerializer(source="*", read_only=True)
    court_result = CourtResultSerializer(source="*", read_only=True)

    class Meta:
        model = Suspect
        fields = [
            "id",
            "seq",
            "name",
            "former_name",
            "alias",
            "gender",
            "gender_display",
            "birth_date",
            "id_number",
            "ethnicity",
            "education",
            "education_display",
            "occupation",
            "employer",
            "household_address",
            "address",
            "is_minor",
            "prior_record",
            "in_custody",
            "charges",
            "measures",
            "outcome",
            "outcome_display",
            "plea",
            "plea_signed_date",
            "sentencing_recommendation",
            "court_result",
        ]
        read_only_fields = fields

    def get_in_custody(self, suspect: Suspect) -> bool:
        """是否在押：当日处于刑事拘留、逮捕或留置期间。"""
        return suspect.in_custody(timezone.localdate())


class SuspectDetailSerializer(SuspectSerializer):
    """犯罪嫌疑人详情，附所属案件。"""

    case = CaseRefSerializer(read_only=True)

    class Meta(SuspectSerializer.Meta):
        fields = ["case", *SuspectSerializer.Meta.fields]
        read_only_fields = fields


#
# Cases
#


class LinkSerializer(serializers.ModelSerializer):
    """程序环节（退回补充侦查、延长审查起诉期限、上诉、抗诉等）；suspect 为所涉犯罪嫌疑人 id，空表示全案。"""

    kind_display = display("kind")

    class Meta:
        model = ProceduralLink
        fields = ["id", "kind", "kind_display", "seq", "suspect", "start_date", "end_date", "approver", "note"]
        read_only_fields = fields


class DocumentMetaSerializer(serializers.ModelSerializer):
    """法律文书目录项（不含正文）。"""

    kind_display = display("kind")

    class Meta:
        model = Document
        fields = ["id", "kind", "kind_display", "number", "title", "signed_date"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    """案卡基本信息（案件列表中的一项）。row_version 为修改案卡时须提交的版本号。"""

    org = OrganisationRefSerializer(read_only=True)
    department = DepartmentRefSerializer(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    prosecutor = PersonRefSerializer(read_only=True, allow_null=True)
    source_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    charge = ChargeSerializer(read_only=True, allow_null=True)
    case_type_display = display("case_type")
    procedure_display = display("procedure")
    track_display = display("track")
    risk_level_display = display("risk_level")
    stage_display = display("stage")
    outcome_display = display("outcome")

    class Meta:
        model = Case
        fields = [
            "id",
            "dept_case_no",
            "unified_case_no",
            "name",
            "case_type",
            "case_type_display",
            "org",
            "department",
            "team",
            "prosecutor",
            "source_agency",
            "charge",
            "received_date",
            "procedure",
            "procedure_display",
            "track",
            "track_display",
            "risk_level",
            "risk_level_display",
            "is_major_complex",
            "stage",
            "stage_display",
            "outcome",
            "outcome_display",
            "closed_date",
            "row_version",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """完整案卡：基本信息、标签、简要案情、犯罪嫌疑人、程序环节与法律文书目录。"""

    # Needs tags, suspects (with measures and charges), links and documents prefetched.

    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    suspects = SuspectSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    documents = DocumentMetaSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "tags",
            "summary",
            "suspects",
            "links",
            "documents",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CaseUpdateSerializer(serializers.ModelSerializer):
    """修改案卡：须提交读取时的 row_version，其余字段只提交要修改的。"""

    # Never partial: row_version is required on PATCH too (and the schema says so), while each
    # card field may be left out.

    row_version = serializers.IntegerField(min_value=1, help_text="客户端读取时的版本号；已过期时返回 409。")

    class Meta:
        model = Case
        fields = ["row_version", "name", "procedure", "risk_level", "is_major_complex", "summary"]
        extra_kwargs = {name: {"required": False} for name in fields[1:]}

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(f"以下字段不能通过接口修改：{'、'.join(unknown)}")
        return attrs

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        """DRF and the schema generator set `partial` for PATCH; this serializer ignores it."""
