"""The case code's records in the demo (`bihuan demo`; issue 4 §7): evaluated cases of every
colour with their 转码 histories, QR links and scans, review requests pending and decided, a 诉前会商
and, where the generated data has a matter at the intake gate, a 扫码受理.

Everything is written through the actions, as the prosecutors, investigators and the
case-management office would: each 审查逮捕 case is scored by its handling prosecutor; a review is
filed by an investigator of the case's source agency and decided with them. Evaluations are dated
in the past (the first the day after the case was received, the re-evaluations days or weeks
later); what the actions date themselves (links, reviews, consultations) is today's.

The cases are chosen deterministically: the 审查逮捕 cases with a prosecutor that are not archived
(those whose matter waits at the intake gate first, then the newest), each taking the first
scenario of fixed lists that fits between its first evaluation and yesterday; the review scenarios
go to cases of an agency with an investigator's account. Nothing is added when the database
already holds codes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bihuan.casecode.actions import (
    DeductionInput,
    InquiryInput,
    active_template,
    do_decide_review,
    do_evaluate,
    do_file_review,
    do_gate_check,
    do_issue_link,
    do_record_consultation,
    preview_score,
)
from bihuan.casecode.gate import GATE_STAGES
from bihuan.casecode.models import (
    CaseCode,
    Colour,
    Consultation,
    Evaluation,
    GateCheck,
    GateDecision,
    ReviewDecision,
    ReviewRequest,
    ReviewStatus,
    Scan,
    ScoreTemplate,
    ShareToken,
)
from bihuan.casecode.reviews import ClaimDecision, ClaimInput, agency_investigators
from bihuan.casecode.sharing import log_scan
from bihuan.cases.choices import CaseType, Stage
from bihuan.cases.models import Case
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User

#
# What the prosecutors write: per scoring item, the deduction's reason, what is left of it after a
# partial remedy, the 补充侦查提纲 item (问题, 目的, 事项, 要求) and the investigators' objection.
# {name} is the first suspect, {charge} the charge.
#


@dataclass(frozen=True)
class Issue:
    reason: str
    remaining: str
    problem: str
    purpose: str
    matters: str
    requirement: str
    claim: str


ISSUES: dict[str, tuple[Issue, ...]] = {
    "主体身份": (
        Issue(
            "犯罪嫌疑人{name}系外省籍人员，卷内仅有网上户籍比对截图，未调取户籍所在地派出所出具的常住人口登记表。",
            "常住人口登记表已调取，但未附照片比对说明。",
            "犯罪嫌疑人身份信息仅有网上比对截图，证明力不足。",
            "准确认定犯罪嫌疑人身份，排除冒用他人身份的可能。",
            "调取犯罪嫌疑人户籍所在地派出所出具的常住人口登记表，并附照片比对说明。",
            "加盖出具单位公章，十日内随案补充移送。",
            "常住人口登记表已于补充侦查期间调取，附于补充卷第1册，请核实。",
        ),
        Issue(
            "犯罪嫌疑人{name}自报姓名与指纹比对结果不一致，真实身份存疑。",
            "指纹比对结果已补充，但曾用名情况仍未查明。",
            "犯罪嫌疑人自报身份与指纹比对结果不一致。",
            "查明犯罪嫌疑人真实身份及曾用名，确保追诉对象准确。",
            "重新进行指纹比对，调取曾用名登记及前科档案照片。",
            "出具身份核查情况说明，由两名以上侦查人员签名。",
            "已重新比对指纹并出具身份核查情况说明，身份已经查清。",
        ),
    ),
    "刑事责任能力与年龄": (
        Issue(
            "犯罪嫌疑人{name}案发时年龄接近十八周岁，出生证明与户籍登记的出生日期不一致。",
            "学籍档案已调取，但接生记录仍未调取。",
            "犯罪嫌疑人出生日期存在两种记载，是否已满十八周岁不能确定。",
            "准确认定犯罪嫌疑人案发时的年龄，确定是否适用未成年人刑事案件诉讼程序。",
            "调取出生医学证明、医院接生记录、学籍档案，询问其父母及接生人员。",
            "证据之间存在矛盾的，应当作出书面说明。",
            "出生医学证明和学籍档案均显示已满十八周岁，现有证据足以认定年龄。",
        ),
        Issue(
            "犯罪嫌疑人{name}的近亲属反映其有精神病就诊史，未委托司法精神病鉴定。",
            "病历已调取，鉴定意见尚未出具。",
            "犯罪嫌疑人作案时的刑事责任能力未查清。",
            "查明犯罪嫌疑人作案时是否具有完全刑事责任能力。",
            "调取犯罪嫌疑人既往就诊病历，委托有资质的鉴定机构进行精神病鉴定。",
            "鉴定意见出具后五日内随案移送，并告知犯罪嫌疑人及被害人。",
            "已委托鉴定，鉴定机构口头告知为完全刑事责任能力，书面意见即将出具。",
        ),
    ),
    "主观方面": (
        Issue(
            "犯罪嫌疑人{name}辩称不知财物系他人所有，非法占有目的仅有同案人供述证实，缺少客观证据印证。",
            "聊天记录已提取，但与供述的时间对应关系未作说明。",
            "犯罪嫌疑人主观明知的证据单一。",
            "印证犯罪嫌疑人作案时的主观故意，防止翻供后证据不足。",
            "提取犯罪嫌疑人手机内与同案人的聊天记录、通话记录，询问知情证人。",
            "电子数据应当制作提取笔录，计算校验值，并由见证人签名。",
            "已提取犯罪嫌疑人手机聊天记录，可以印证其明知，请核实补充卷电子数据部分。",
        ),
        Issue(
            "{charge}案件中犯罪嫌疑人{name}前后供述不一，对作案动机的供述存在反复，未作针对性讯问。",
            "已补充讯问，但对动机的供述仍有矛盾。",
            "犯罪嫌疑人对作案动机的供述反复。",
            "查明作案动机和主观故意，固定稳定的供述。",
            "就作案起因、事前准备、事后表现进行针对性讯问，并询问被害人及目击证人。",
            "讯问全程同步录音录像，笔录与录像内容一致。",
            "已补充讯问两次，犯罪嫌疑人供述稳定，对动机的供述前后一致。",
        ),
    ),
    "客观行为与危害结果": (
        Issue(
            "案发现场及周边监控录像未调取，作案过程仅有被害人陈述证实；涉案金额缺少价格认定意见。",
            "监控录像已调取，但价格认定意见书仍未出具。",
            "作案过程缺少客观证据，涉案金额认定依据不足。",
            "还原作案经过，准确认定涉案数额。",
            "调取案发现场及逃跑路线沿途监控录像，委托价格认定机构对涉案财物作出价格认定。",
            "监控录像刻录光盘并附调取说明，价格认定意见书随案移送。",
            "监控录像已刻录光盘随案移送，价格认定已委托，请核实补充卷第2册。",
        ),
        Issue(
            "被害人伤情鉴定意见未出具，危害结果无法确定，现场勘验笔录未附现场图。",
            "伤情鉴定意见已出具，现场图仍未补充。",
            "危害结果缺少鉴定意见，现场勘验不完整。",
            "确定被害人损伤程度，固定现场情况。",
            "委托法医对被害人伤情进行鉴定，补充制作现场方位图、平面示意图。",
            "鉴定意见告知犯罪嫌疑人和被害人，现场图由勘验人员签名。",
            "伤情鉴定意见已出具并告知双方，现场图已补绘，请核实。",
        ),
        Issue(
            "涉案转账记录仅有被害人手机截图，未调取银行账户交易明细，电子数据未依法提取、固定。",
            "银行交易明细已调取，但资金流向未作分析说明。",
            "资金往来证据仅有截图，电子数据提取不规范。",
            "固定犯罪事实和犯罪数额的客观证据。",
            "调取被害人及犯罪嫌疑人银行账户交易明细，依法提取手机电子数据并制作资金流向分析。",
            "电子数据制作提取笔录并计算完整性校验值，交易明细加盖银行印章。",
            "银行账户交易明细已调取并附资金流向说明，请核实。",
        ),
    ),
    "因果关系": (
        Issue(
            "被害人原有疾病对损伤后果的参与度未作鉴定，行为与结果之间的因果关系缺少证据说明。",
            "参与度鉴定已委托，意见尚未出具。",
            "损伤后果与犯罪嫌疑人行为之间的因果关系不明。",
            "查明被害人原有疾病在损伤后果中的作用，准确认定因果关系。",
            "委托法医对伤病关系及参与度作出鉴定，调取被害人既往病历。",
            "鉴定意见应当明确参与度比例。",
            "参与度鉴定意见已出具，明确损伤系主要原因，请核实。",
        ),
    ),
    "证据合法性": (
        Issue(
            "讯问犯罪嫌疑人{name}的第二次笔录无同步录音录像，讯问时间与看守所提讯登记不一致。",
            "已补充提讯登记，但录音录像仍缺失一次。",
            "讯问笔录的合法性存疑。",
            "排除非法取证的可能，确保供述的证据能力。",
            "调取看守所提讯登记表及全部讯问同步录音录像，对时间不一致作出书面说明。",
            "情况说明由讯问人员签名并加盖单位印章。",
            "讯问同步录音录像已全部调取，时间不一致系笔录笔误，已出具情况说明。",
        ),
        Issue(
            "辨认笔录未附辨认照片，陪衬人数不足五人，扣押清单无见证人签名。",
            "辨认已重新组织，扣押清单见证人签名仍未补正。",
            "辨认和扣押程序存在瑕疵。",
            "补正取证程序瑕疵，保证证据可以采信。",
            "依法重新组织辨认并附辨认照片，对扣押清单缺少见证人签名作出补正或合理解释。",
            "不能补正的应当书面说明原因。",
            "已重新组织辨认并附照片，扣押清单已补正见证人签名，请核实。",
        ),
    ),
    "自首立功坦白": (
        Issue(
            "到案经过说明过于简单，未写明犯罪嫌疑人{name}系主动投案还是被抓获，无法认定是否自首。",
            "到案经过已补充，但抓获民警未出具说明。",
            "到案经过不清，自首情节无法认定。",
            "准确认定量刑情节。",
            "补充详细的到案经过说明，附接处警记录、抓获经过及相关民警的证言。",
            "到案经过说明由两名办案民警签名并加盖印章。",
            "详细的到案经过及接处警记录已补充移送，可认定系被抓获。",
        ),
        Issue(
            "犯罪嫌疑人{name}检举揭发他人犯罪线索，未查证是否属实，是否构成立功不明。",
            "线索已部分查证，查证结论尚未出具。",
            "立功线索未查证。",
            "查明立功情节是否成立。",
            "对犯罪嫌疑人提供的线索进行查证，出具查证情况说明及相关案件的处理结果。",
            "查证结论应当写明线索来源及查证经过。",
            "线索已查证，系其他单位已掌握的线索，不构成立功，已出具说明。",
        ),
    ),
    "前科累犯": (
        Issue(
            "犯罪嫌疑人{name}有前科，未调取前科刑事判决书及刑满释放证明，无法认定是否构成累犯。",
            "判决书已调取，释放证明仍未调取。",
            "前科材料不全，累犯情节无法认定。",
            "准确认定累犯等法定从重情节。",
            "调取前科刑事判决书、裁定书及刑满释放证明。",
            "复印件加盖原审法院或监狱印章。",
            "前科判决书及刑满释放证明已调取，请核实补充卷第1册。",
        ),
        Issue(
            "犯罪嫌疑人{name}曾受行政处罚，行政处罚决定书未随案移送。",
            "处罚决定书已调取，但执行情况不明。",
            "违法前科材料缺失。",
            "全面反映犯罪嫌疑人的一贯表现，为量刑提供依据。",
            "调取行政处罚决定书及执行情况记录。",
            "随案移送并加盖出具单位印章。",
            "行政处罚决定书及执行记录已调取，请核实。",
        ),
    ),
    "认罪认罚与退赔谅解": (
        Issue(
            "被害人谅解书未附被害人身份证明，也无签署过程记录，真实性无法核实。",
            "身份证明已补充，签署过程仍未说明。",
            "谅解书真实性存疑。",
            "核实谅解的真实性和自愿性。",
            "补充被害人身份证明，询问被害人谅解的过程和真实意愿。",
            "询问笔录由被害人签名捺印。",
            "已询问被害人，确认谅解系其真实意愿，身份证明已补充。",
        ),
        Issue(
            "退赔情况仅有情况说明，缺少收条和转账凭证，退赔数额无法核实。",
            "转账凭证已补充，收条仍未提供。",
            "退赔证据不足。",
            "准确认定退赔数额，作为从宽处罚的依据。",
            "调取退赔转账凭证、被害人收条，询问被害人收到退赔的情况。",
            "凭证复印件与原件核对一致并注明。",
            "退赔转账凭证和被害人收条均已调取，请核实。",
        ),
    ),
    "涉案财物": (
        Issue(
            "赃款去向不明，未调取犯罪嫌疑人{name}的银行账户及第三方支付账户交易流水。",
            "银行流水已调取，第三方支付账户流水仍未调取。",
            "赃款去向未查清。",
            "查明赃款去向，依法追缴、责令退赔。",
            "调取犯罪嫌疑人银行账户及微信、支付宝账户交易明细，查明赃款流向并依法冻结。",
            "制作赃款去向分析说明，冻结手续随案移送。",
            "已调取全部账户交易明细，赃款已用于个人消费，去向已查清。",
        ),
        Issue(
            "扣押的作案手机及赃物未随案移送，也未说明保管情况，追回财物未经被害人辨认。",
            "保管情况已说明，被害人辨认仍未组织。",
            "涉案财物移送和辨认手续不全。",
            "规范涉案财物处置，确认追回财物的归属。",
            "随案移送扣押物品或出具保管说明，组织被害人对追回财物进行辨认并制作笔录。",
            "涉案财物清单与实物一致，辨认笔录附照片。",
            "扣押物品保管说明已出具，被害人已辨认追回财物，请核实。",
        ),
    ),
}

# The veto conditions of the default table (一票否决), as a prosecutor writes them.
VETO_ISSUES: dict[str, Issue] = {
    "证据合法性": Issue(
        "犯罪嫌疑人{name}的有罪供述系在超期羁押期间取得，且无同步录音录像，属于应当排除的非法证据。",
        "非法供述已依法排除，重新讯问的笔录仍缺少一次同步录音录像。",
        "关键供述系非法取得，应当排除。",
        "依法排除非法证据，重新依法收集证据，确保定罪证据合法。",
        "依法重新讯问并全程同步录音录像，补充收集能够独立证明犯罪事实的客观证据。",
        "重新取证情况书面说明，原非法证据不得作为定案依据。",
        "已依法重新讯问并全程同步录音录像，原供述不再作为证据使用。",
    ),
    "涉案财物": Issue(
        "被害人被骗款项经多次转账后去向不明，涉案财物去向未能查清。",
        "主要款项去向已查清，仍有少量款项未查明。",
        "涉案款项去向不明。",
        "查清资金流向，依法追赃挽损。",
        "调取全部转账链条的银行账户交易明细，对资金流向作出分析，依法冻结相关账户。",
        "资金流向分析附交易明细，冻结手续随案移送。",
        "资金流向已全部查清并出具分析说明，请核实。",
    ),
    "主体身份": Issue(
        "犯罪嫌疑人{name}拒不供述真实姓名、住址，指纹比对无结果，身份不明。",
        "身份已基本查明，户籍材料仍未调取。",
        "犯罪嫌疑人身份不明。",
        "查明犯罪嫌疑人真实身份。",
        "通过DNA比对、人像比对等方式查明身份，调取户籍材料。",
        "出具身份查明情况说明。",
        "已通过人像比对查明身份，户籍材料已调取。",
    ),
}

#
# Scenarios: the deductions of each evaluation, days after the first one.
#


@dataclass(frozen=True)
class Step:
    day: int
    points: dict[str, int]
    veto: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    steps: tuple[Step, ...]
    idle: int = 0  # days at least from the last evaluation to today (a re-evaluation overdue)
    # A review request on the last evaluation: left pending (ReviewStatus.PENDING) or decided so
    # (a ReviewDecision).
    review: str = ""
    claims: int = 1  # deductions disputed: the last ones of the table
    consult: bool = False  # a 诉前会商 is recorded
    gate: str = ""  # the GateDecision taken for the matter's 审查起诉 case

    @property
    def span(self) -> int:
        return self.steps[-1].day + self.idle


OBJ, LEGAL, MIND, PROPERTY = "客观行为与危害结果", "证据合法性", "主观方面", "涉案财物"
ID, AGE, CAUSE = "主体身份", "刑事责任能力与年龄", "因果关系"
SURRENDER, RECORD, PLEA = "自首立功坦白", "前科累犯", "认罪认罚与退赔谅解"

# 红 → 黄 → 绿 over some weeks.
RYG = (
    (
        Step(0, {OBJ: 12, LEGAL: 8, MIND: 6, PROPERTY: 6}),
        Step(7, {OBJ: 6, LEGAL: 4, PROPERTY: 6}),
        Step(21, {PROPERTY: 3}),
    ),
    (Step(0, {ID: 8, OBJ: 10, CAUSE: 5, RECORD: 6, PLEA: 5}), Step(8, {OBJ: 6, RECORD: 6}), Step(20, {})),
    (
        Step(0, {AGE: 8, OBJ: 13, SURRENDER: 6, PROPERTY: 8}),
        Step(7, {OBJ: 8, PROPERTY: 8}),
        Step(14, {OBJ: 8, PROPERTY: 4}),
        Step(27, {PROPERTY: 2}),
    ),
    (
        Step(0, {OBJ: 14, LEGAL: 10, MIND: 8, PROPERTY: 8}),
        Step(7, {OBJ: 12, LEGAL: 8, MIND: 5, PROPERTY: 8}),
        Step(14, {OBJ: 6, PROPERTY: 8}),
        Step(28, {}),
    ),
)
YG = (
    (Step(0, {MIND: 6, SURRENDER: 5, PLEA: 5}), Step(15, {PLEA: 3})),
    (Step(0, {RECORD: 8, PROPERTY: 6, CAUSE: 3}), Step(13, {})),
)
GREEN = ({}, {SURRENDER: 4, PLEA: 3}, {PROPERTY: 5}, {RECORD: 6}, {ID: 2, MIND: 5})
RED = ({OBJ: 15, MIND: 8, LEGAL: 6, RECORD: 4}, {MIND: 10, OBJ: 15, CAUSE: 5, RECORD: 4})
YELLOW = ({OBJ: 8, PROPERTY: 6}, {ID: 5, MIND: 8, PROPERTY: 7})
# Still red, or yellow, with the re-evaluation overdue.
RED_STILL = (Step(0, {OBJ: 15, LEGAL: 6, ID: 6, PROPERTY: 6}), Step(7, {OBJ: 12, LEGAL: 6, ID: 6, PROPERTY: 8}))
YELLOW_STILL = (Step(0, {OBJ: 10, LEGAL: 8, PLEA: 8, PROPERTY: 8}), Step(7, {OBJ: 6, PLEA: 8, PROPERTY: 8}))
VETOED = (
    Step(0, {LEGAL: 10, OBJ: 8}, veto=(LEGAL,)),
    Step(0, {PROPERTY: 10, OBJ: 6}, veto=(PROPERTY,)),
    Step(0, {ID: 10, MIND: 4}, veto=(ID,)),
)
VETO_FIXED = (Step(0, {LEGAL: 10, MIND: 6}, veto=(LEGAL,)), Step(10, {LEGAL: 4, MIND: 6}), Step(24, {}))


def _one(points: dict[str, int], **kwargs) -> Scenario:
    return Scenario((Step(0, points),), **kwargs)


# The review scenarios, for cases of an agency with an investigator's account: red → yellow, then
# the investigators dispute the last deductions.
REVIEWS = (
    Scenario(RYG[0][:2], review=ReviewStatus.PENDING, claims=2),
    Scenario(RYG[0][:2], review=ReviewDecision.ACCEPT, claims=2),  # → green
    Scenario(RYG[1][:2], review=ReviewDecision.PARTIAL),
    Scenario(RYG[1][:2], review=ReviewDecision.REJECT),
    Scenario(YELLOW_STILL, review=ReviewStatus.PENDING),
    Scenario(RYG[1][:2], review=ReviewDecision.ACCEPT),  # → green
    Scenario(RYG[0][:2], review=ReviewDecision.REJECT, claims=2),
    Scenario(YELLOW_STILL, review=ReviewDecision.PARTIAL, claims=2),
    Scenario(RED_STILL, review=ReviewStatus.PENDING),
)
# The rest, most wanted first (a small demo gets the first ones).
GENERAL = (
    Scenario(RYG[0]),
    _one(RED[0]),
    _one(YELLOW[0]),
    _one(GREEN[0]),
    Scenario(RED_STILL, idle=8, consult=True),
    Scenario((VETOED[0],)),
    Scenario(YELLOW_STILL, idle=16),
    Scenario(RYG[1]),
    _one(GREEN[1]),
    Scenario(VETO_FIXED),
    Scenario(YG[0]),
    _one(GREEN[2]),
    Scenario(RYG[2]),
    _one(RED[1], idle=9),
    Scenario((VETOED[1],), consult=True),
    _one(YELLOW[1], idle=18),
    Scenario(RYG[3]),
    _one(GREEN[3]),
    Scenario(YG[1]),
    Scenario(RED_STILL, idle=10),
    _one(GREEN[4]),
    Scenario((VETOED[2],)),
    Scenario(RYG[0]),
    _one(GREEN[0]),
    Scenario(YELLOW_STILL, idle=20),
    Scenario(RYG[1]),
    _one(YELLOW[0]),
    _one(GREEN[1]),
    Scenario(YG[0]),
    _one(RED[0], idle=12),
    Scenario(RYG[2]),
    _one(GREEN[2]),
)
# A matter whose 审查起诉 case waits at the gate: green accepted; yellow deferred.
GATE_GREEN = (Scenario(RYG[0], gate=GateDecision.ACCEPT), _one(GREEN[2], gate=GateDecision.ACCEPT))
GATE_YELLOW = (Scenario(YELLOW_STILL, gate=GateDecision.DEFER), _one(YELLOW[1], gate=GateDecision.DEFER))

POOL = 300  # the newest cases looked at: enough to place every scenario
LINK_SKIP_EVERY = 5  # every fifth case has no QR link issued
SCANNED_LINKS = 8
MOBILE = (
    "Mozilla/5.0 (Linux; Android 13; V2219A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0 "
    "Mobile Safari/537.36 MicroMessenger/8.0.40"
)


@dataclass
class Writer:
    """Writes the scenarios, one case after another, through the actions."""

    today: date
    template: ScoreTemplate
    counter: int = 0
    tokens: list[ShareToken] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items = {item.name: item for item in self.template.items.all()}

    def first_day(self, case: Case) -> date:
        return case.received_date + timedelta(days=1)

    def fits(self, case: Case, scenario: Scenario) -> bool:
        """The scenario's evaluations all fall on yesterday or before (and `idle` days before)."""
        return self.first_day(case) + timedelta(days=scenario.span) < self.today

    def run(self, case: Case, scenario: Scenario) -> None:
        self.counter += 1
        names = list(case.suspects.order_by("pk").values_list("name", flat=True)[:1])
        fill = {"name": names[0] if names else "", "charge": case.charge.name if case.charge_id else "本案"}
        chosen: dict[str, Issue] = {}
        previous: dict[str, tuple[int, bool]] = {}
        opened: set[str] = set()
        for n, step in enumerate(scenario.steps):
            deductions, inquiries = [], []
            for name, points in step.points.items():
                veto = name in step.veto
                if name not in chosen:
                    variants = ISSUES[name]
                    chosen[name] = VETO_ISSUES[name] if veto else variants[(self.counter + n) % len(variants)]
                issue = chosen[name]
                before = previous.get(name)
                eased = before is not None and (points < before[0] or (before[1] and not veto))
                reason = (issue.remaining if eased else issue.reason).format(**fill)
                deductions.append(DeductionInput(self.items[name].pk, Decimal(points), reason, veto=veto))
            # A non-green code needs an open 补充侦查提纲 item on every deducted item.
            if preview_score(self.template, deductions)[0].colour != Colour.GREEN:
                inquiries = [self.inquiry(name, chosen[name], fill) for name in step.points if name not in opened]
                opened |= set(step.points)
            opened &= set(step.points)  # the items whose points are restored are closed (销号)
            day = self.first_day(case) + timedelta(days=step.day)
            do_evaluate(
                case,
                actor=case.prosecutor,
                deductions=deductions,
                inquiries=inquiries,
                note=_note(case, step, previous, len(inquiries)),
                evaluated_at=timezone.make_aware(datetime.combine(day, time(9 + (case.pk + n) % 8, case.pk % 60))),
            )
            previous = {name: (points, name in step.veto) for name, points in step.points.items()}
        if self.counter % LINK_SKIP_EVERY:
            self.tokens.append(do_issue_link(case, actor=case.prosecutor))
        if scenario.review:
            self.review(case, scenario, chosen)
        if scenario.consult:
            self.consult(case)

    def inquiry(self, name: str, issue: Issue, fill: dict[str, str]) -> InquiryInput:
        parts = (issue.problem, issue.purpose, issue.matters, issue.requirement)
        return InquiryInput(self.items[name].pk, *(text.format(**fill) for text in parts))

    def review(self, case: Case, scenario: Scenario, chosen: dict[str, Issue]) -> None:
        investigator = agency_investigators(case.source_agency_id).order_by("pk").first()
        current = case.code_evaluations.order_by("-seq").first()
        disputed = list(current.deductions.select_related("item").order_by("item__order"))[-scenario.claims :]
        review = do_file_review(
            case,
            actor=investigator,
            claims=[ClaimInput(d.pk, chosen[d.item.name].claim) for d in disputed],
        )
        if scenario.review == ReviewStatus.PENDING:
            return
        decisions = []
        for claim in review.claims.select_related("deduction__item"):
            item, points = claim.deduction.item.name, claim.deduction.points
            restored = Decimal(0)
            if scenario.review == ReviewDecision.ACCEPT:
                why = f"经检警双方共同核实，“{item}”相关证据已随案移送，原扣分理由不再成立，予以采纳。"
            elif scenario.review == ReviewDecision.PARTIAL:
                restored = (points / 2).quantize(Decimal("0.1"))
                why = f"经共同核实，“{item}”的证据已部分补充到位，恢复{restored}分；其余问题仍未解决，继续扣分。"
            else:
                why = f"经共同核实，侦查机关所称材料未能随案移送，“{item}”扣分理由仍然成立，不予采纳。"
            decisions.append(ClaimDecision(claim.pk, scenario.review, why, restored))
        overall = {
            ReviewDecision.ACCEPT: "补充材料已核实在卷，同意恢复相应扣分，重新评分。",
            ReviewDecision.PARTIAL: "补充材料部分到位，部分恢复扣分，其余事项继续按补充侦查提纲落实。",
            ReviewDecision.REJECT: "扣分依据充分，维持原评分，请侦查机关按补充侦查提纲继续补证。",
        }[scenario.review]
        do_decide_review(review, actor=case.prosecutor, decisions=decisions, agreed_by=investigator, reason=overall)

    def consult(self, case: Case) -> None:
        agency = case.source_agency.name if case.source_agency_id else "侦查机关"
        do_record_consultation(
            case,
            actor=case.prosecutor,
            held_on=self.today - timedelta(days=1),  # the evaluations are yesterday's or older
            participants=f"承办检察官{case.prosecutor}；{agency}办案民警二名、法制大队民警一名",
            opinions=(
                "检察机关通报案件码评分及补充侦查提纲落实情况，指出客观证据仍有缺口；"
                "侦查机关说明已开展的补证工作及存在的困难。"
            ),
            conclusion="侦查机关在侦查羁押期限届满前完成剩余补证事项，检察机关及时重新评估；届时仍为红码的，依法提请延长侦查羁押期限。",
        )

    def gate(self, incoming: Case, coded: Case, decision: str) -> None:
        clerk = (
            User.objects.filter(org_id=incoming.org_id, is_active=True, roles__code=RoleCode.CASE_MANAGER)
            .order_by("pk")
            .first()
        )
        if clerk is None:
            return
        defer = decision == GateDecision.DEFER
        do_gate_check(
            incoming,
            actor=clerk,
            coded_case=coded,
            decision=decision,
            due_date=self.today + timedelta(days=7) if defer else None,
            reason="黄码案件，补充侦查提纲所列事项尚未全部落实，待补充材料后受理。" if defer else "",
        )


def _note(case: Case, step: Step, previous: dict[str, tuple[int, bool]], raised: int) -> str:
    agency = case.source_agency.name if case.source_agency_id else "侦查机关"
    if not previous:
        if not step.points:
            return "首次评分：证据确实、充分，未发现扣分情形。"
        sent = f"，已制作补充侦查提纲{raised}项送{agency}" if raised else ""
        return f"首次评分：扣分{len(step.points)}项{sent}。"
    done = [name for name in previous if name not in step.points]
    eased = [name for name, points in step.points.items() if name in previous and points < previous[name][0]]
    kept = [name for name, points in step.points.items() if name in previous and points >= previous[name][0]]
    parts = []
    if done:
        parts.append(f"{'、'.join(done)}已补充到位，相应提纲事项销号")
    if eased:
        parts.append(f"{'、'.join(eased)}已部分补充")
    if kept:
        parts.append(f"{'、'.join(kept)}仍未补充到位")
    return "重新评估：" + "；".join(parts) + "。" if parts else "重新评估：证据情况无变化。"


def _pool() -> tuple[list[Case], dict[int, Case]]:
    """The cases to score, in the order they take scenarios, and {case id: its matter's 审查起诉 case
    waiting at the gate}. The 审查逮捕 cases with a prosecutor, not archived: those whose matter is
    at the gate first (they are few, and older than the newest cases), then the newest."""
    cases = (
        Case.objects.filter(case_type=CaseType.ARREST_REVIEW, prosecutor__isnull=False)
        .exclude(stage=Stage.ARCHIVED)
        .select_related("org", "prosecutor", "source_agency", "charge")
    )
    incoming = {
        case.unified_case_no: case
        for case in Case.objects.filter(
            case_type=CaseType.PROSECUTION_REVIEW,
            stage__in=GATE_STAGES,
            unified_case_no__in=cases.values("unified_case_no"),
        ).order_by("received_date", "pk")
    }
    gated = list(cases.filter(unified_case_no__in=list(incoming)).order_by("-received_date", "-pk"))
    gates = {case.pk: incoming[case.unified_case_no] for case in gated}
    newest = cases.exclude(pk__in=list(gates)).order_by("-received_date", "-pk")[:POOL]
    return gated + list(newest), gates


def _pick(writer: Writer, case: Case, queue: list[Scenario]) -> Scenario | None:
    scenario = next((s for s in queue if writer.fits(case, s)), None)
    if scenario is not None:
        queue.remove(scenario)
    return scenario


@transaction.atomic
def populate() -> str:
    if CaseCode.objects.exists():
        return "案件码演示数据：数据库中已有案件码，不再添加。"
    today = timezone.localdate()
    writer = Writer(today=today, template=active_template())
    investigated = set(
        User.objects.filter(roles__code=RoleCode.INVESTIGATOR, is_active=True, agency__isnull=False).values_list(
            "agency_id", flat=True
        )
    )
    pool, gates = _pool()
    reviews, general = list(REVIEWS), list(GENERAL)
    gate_green, gate_yellow = list(GATE_GREEN), list(GATE_YELLOW)
    for case in pool:
        if not (reviews or general):
            break
        incoming = gates.get(case.pk)
        queues = [general]
        if case.source_agency_id in investigated:
            queues.insert(0, reviews)
        if incoming is not None:
            queues.insert(0, gate_green if incoming.stage == Stage.RECEIVED else gate_yellow)
        scenario = next(filter(None, (_pick(writer, case, queue) for queue in queues)), None)
        if scenario is None:
            continue
        writer.run(case, scenario)
        if scenario.gate:
            writer.gate(incoming, case, scenario.gate)
    for n, token in enumerate(writer.tokens[:SCANNED_LINKS]):
        for k in range(1 + n % 3):
            log_scan(token, ip=f"10.37.{n + 1}.{20 + k}", user_agent=MOBILE)
    return _summary()


def _summary() -> str:
    colours = dict(CaseCode.objects.values_list("colour").annotate(n=Count("pk")).order_by())
    pending = ReviewRequest.objects.filter(status=ReviewStatus.PENDING).count()
    by_colour = "、".join(f"{label} {colours.get(value, 0)}" for value, label in Colour.choices)
    return (
        f"案件码演示数据：评分 {CaseCode.objects.count()} 件（{by_colour}），"
        f"评分记录 {Evaluation.objects.count()} 次，案件码链接 {ShareToken.objects.count()} 个，"
        f"扫码 {Scan.objects.count()} 次，复核申请 {ReviewRequest.objects.count()} 件（待评议 {pending}），"
        f"诉前会商 {Consultation.objects.count()} 次，扫码受理 {GateCheck.objects.count()} 次。"
    )
