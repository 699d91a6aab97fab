"""The stage machine of a case, as data: which action moves a case from which stage to which,
per case type. Intake (待受理 → 受理) and assignment (受理 → 分案) belong to their own apps; this
table starts where the 承办检察官 takes over.

Transitions of the 审查起诉 case type only: 退回补充侦查 and 重新移送 (CPL 175, Rule 346) and the
extension of the review period (CPL 172, Rule 351). A 审查逮捕 case has neither (CPL 91).
"""

from dataclasses import dataclass

from bihuan.cases.choices import CaseType, Stage

BOTH = (CaseType.ARREST_REVIEW, CaseType.PROSECUTION_REVIEW)
PROSECUTION = (CaseType.PROSECUTION_REVIEW,)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: Stage
    target: Stage
    case_types: tuple[str, ...] = BOTH


TRANSITIONS = (
    Transition("start_review", "开始审查", Stage.ASSIGNED, Stage.REVIEWING),
    Transition("propose", "提出拟处理意见", Stage.REVIEWING, Stage.PROPOSED),
    Transition("submit", "提交部门主任审核", Stage.PROPOSED, Stage.DEPT_REVIEW),
    # A chain that starts above the department head goes straight to the leaders.
    Transition("submit", "提交院领导审批", Stage.PROPOSED, Stage.APPROVAL),
    Transition("approve", "审核同意", Stage.DEPT_REVIEW, Stage.APPROVAL),
    Transition("approve", "审批同意", Stage.APPROVAL, Stage.APPROVAL),
    Transition("return", "退回承办检察官", Stage.DEPT_REVIEW, Stage.REVIEWING),
    Transition("return", "退回承办检察官", Stage.APPROVAL, Stage.REVIEWING),
    Transition("record_decision", "记录决定（审结）", Stage.APPROVAL, Stage.CONCLUDED),
    Transition("record_return", "退回补充侦查", Stage.APPROVAL, Stage.RETURNED, PROSECUTION),
    Transition("record_extension", "延长审查起诉期限", Stage.APPROVAL, Stage.REVIEWING, PROSECUTION),
    Transition("re_transfer", "重新移送（补充侦查完毕）", Stage.RETURNED, Stage.REVIEWING, PROSECUTION),
    Transition("archive", "归档", Stage.CONCLUDED, Stage.ARCHIVED),
)


class WorkflowRefused(Exception):
    """A workflow action that the rules do not allow (a transition from the wrong stage, an
    incomplete approval chain, a missing hearing …); the message says why, in Chinese."""


def find(case_type: str, stage: str, action: str, target: str | None = None) -> Transition | None:
    for t in TRANSITIONS:
        if t.action == action and t.source == stage and case_type in t.case_types and target in (None, t.target):
            return t
    return None


def allowed(case, action: str) -> bool:
    return find(case.case_type, case.stage, action) is not None


def check(case, action: str, target: str | None = None) -> Transition:
    """The transition for `action` from the case's stage, or WorkflowRefused naming the stage."""
    transition = find(case.case_type, case.stage, action, target)
    if transition is not None:
        return transition
    label = next((t.label for t in TRANSITIONS if t.action == action), action)
    if not any(t.action == action and case.case_type in t.case_types for t in TRANSITIONS):
        raise WorkflowRefused(f"{CaseType(case.case_type).label}案件没有“{label}”环节。")
    sources = "、".join(
        dict.fromkeys(
            Stage(t.source).label for t in TRANSITIONS if t.action == action and case.case_type in t.case_types
        )
    )
    raise WorkflowRefused(f"案件处于“{Stage(case.stage).label}”阶段，不能{label}（须处于“{sources}”阶段）。")


def track(case_type: str) -> list[Stage]:
    """The stages a case of this type passes through, in order, for the progress line."""
    stages = [
        Stage.RECEIVED,
        Stage.ASSIGNED,
        Stage.REVIEWING,
        Stage.RETURNED,
        Stage.PROPOSED,
        Stage.DEPT_REVIEW,
        Stage.APPROVAL,
        Stage.CONCLUDED,
        Stage.ARCHIVED,
    ]
    if case_type != CaseType.PROSECUTION_REVIEW:
        stages.remove(Stage.RETURNED)
    return stages
