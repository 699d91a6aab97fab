"""扫码受理: the intake gate of the case code (domain-rules §7.4; seed 001 case 6: 案管部门受理移送审查
起诉案件时，通过扫描"案件码"一键审核，按照"绿码放行、黄码待定、红码退回"原则分类受理).

The case-management office scans the QR code of a case coming for 审查起诉 (a USB scanner types
the link into a text box) or types the 部门受案号 / 统一受案号. The code is the one of the scored
case of the same matter (统一受案号), or of the case the link's token names. Green → 受理 through
the intake app; yellow → 延期受理 (the case stays 待受理) or 先收后补 (accepted, with the date by
which the open items are due); red → 退回补送 with the open 补充侦查 items printed.

This module holds the lookup (`find_for_gate`), the rule of which decisions each colour allows
(`ALLOWED`) and the last return for the printed notice; recording a decision is a write, in
`actions` (`do_gate_check`).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.urls import Resolver404, resolve

from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import CaseCode, Colour, GateCheck, GateDecision, InquiryItem
from bihuan.casecode.sharing import LinkGone, resolve_link
from bihuan.cases.access import visible_cases
from bihuan.cases.choices import CaseType, Stage
from bihuan.cases.models import Case
from bihuan.cases.numbering import normalise_dept_case_no
from bihuan.intake.access import own_cases
from bihuan.orgs.models import User

# 绿码放行、黄码待定、红码退回: the decisions each colour allows.
ALLOWED = {
    Colour.GREEN: (GateDecision.ACCEPT,),
    Colour.YELLOW: (GateDecision.DEFER, GateDecision.ACCEPT_PENDING),
    Colour.RED: (GateDecision.RETURN,),
}
# A case at the gate: registered for 审查起诉 and waiting (待受理), or just accepted.
GATE_STAGES = (Stage.REGISTERED, Stage.RECEIVED)


@dataclass
class GateMatch:
    """What the gate found for a scanned link or a typed number."""

    coded_case: Case | None  # the scored case of the matter
    code: CaseCode | None
    incoming: Case | None  # the 审查起诉 case at the gate
    open_items: list[InquiryItem]

    @property
    def allowed(self) -> tuple[str, ...]:
        return ALLOWED[Colour(self.code.colour)] if self.code else ()


def _case_of_link(text: str, cases: QuerySet[Case]) -> Case | None:
    """The case a pasted case-code link names (any host: a scanner types the whole address)."""
    try:
        match = resolve(urlsplit(text).path)
    except Resolver404:
        return None
    if match.view_name != "casecode:scan" or not match.kwargs:
        return None
    try:
        token = resolve_link(str(next(iter(match.kwargs.values()))))
    except LinkGone:
        raise CodeRefused("该案件码链接已撤销或过期，请输入部门受案号或统一受案号。") from None
    return cases.filter(pk=token.case_id).first() if token else None


def find_for_gate(user: User, text: str) -> GateMatch:
    """Find the matter of a scanned link or a typed 部门受案号 / 统一受案号, among the cases the
    person may see; the 审查起诉 case at the gate among their own procuratorate's."""
    text = text.strip()
    if not text:
        raise CodeRefused("请扫描案件码，或输入部门受案号、统一受案号。")
    cases = visible_cases(user)
    if "://" in text or text.startswith("/"):
        found = _case_of_link(text, cases)
    elif text.isdigit():
        found = cases.filter(unified_case_no=text).first()
    else:
        found = cases.filter(dept_case_no=normalise_dept_case_no(text)).first()
    if found is None:
        raise CodeRefused("未找到该案件，请核对案件码或受案号。")
    matter = found.unified_case_no
    coded = (
        found
        if CaseCode.objects.filter(case=found).exists()
        else cases.filter(unified_case_no=matter, code__isnull=False).order_by("-code__current__evaluated_at").first()
    )
    incoming = (
        own_cases(user)
        .filter(unified_case_no=matter, case_type=CaseType.PROSECUTION_REVIEW, stage__in=GATE_STAGES)
        .order_by("-received_date", "-id")
        .first()
    )
    code = CaseCode.objects.select_related("current").filter(case=coded).first() if coded else None
    items = list(InquiryItem.objects.filter(case=coded, closed_in=None).select_related("item")) if coded else []
    return GateMatch(coded, code, incoming, items)


def latest_return(case: Case) -> GateCheck | None:
    """The case's last 退回补送 at the gate, for the printed notice."""
    return (
        GateCheck.objects.filter(case=case, decision=GateDecision.RETURN)
        .select_related("coded_case", "decided_by", "evaluation")
        .first()
    )
