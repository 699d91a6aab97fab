"""Tables behind `bihuan gencases`: the charge mix, people, places and courts of the demo area.

Charge shares follow the published first-instance mix of Chinese procuratorates (危险驾驶,
盗窃, 帮信, 诈骗 … lead); the other figures are plausible defaults, not statistics.
"""

from typing import NamedTuple


class ChargeProfile(NamedTuple):
    """How matters of one charge are generated.

    `weight` is the share of matters; `city` the least chance that the city procuratorate handles
    one (CITY_SHARE tops it up); `group` the weights of 1, 2, 3, 4, 5 suspects; `custody` the
    chance that the matter starts with an arrest review; terms are months; `fine` and `amount`
    are yuan ranges; `lag` the days between the offence and the first coercive measure; `fact` a
    template for the 经依法审查查明 paragraph and `conduct` the 本院认为 clause.
    """

    name: str
    weight: float
    city: float
    custody: float
    group: tuple[float, ...]
    male: float
    minor: float
    plea: float
    juyi: float  # chance of 拘役 instead of 有期徒刑
    term: tuple[int, int]
    fine: tuple[int, int] | None
    probation: float
    amount: tuple[int, int] | None
    lag: tuple[int, int]
    fact: str
    conduct: str
    tags: tuple[tuple[str, float], ...] = ()
    life: float = 0.0  # chance of 无期徒刑
    extra: tuple[str, ...] = ()  # a second charge some suspects also face


SOLO = (1.0,)
PAIR = (0.8, 0.2)
GANG = (0.25, 0.3, 0.25, 0.12, 0.08)
CREW = (0.35, 0.3, 0.2, 0.1, 0.05)

TELECOM = "电信网络诈骗"
MASS = "涉众型经济犯罪"
GROUP_EVENT = "群体性"
MAFIA = "涉黑涉恶"
SENSITIVE = "重大敏感"
MINOR_TAG = "未成年人"
HIGH_RISK_TAGS = frozenset({MAFIA, SENSITIVE, GROUP_EVENT})

# fmt: off
CHARGES: tuple[ChargeProfile, ...] = (
    ChargeProfile(
        "危险驾驶罪", 24.5, 0.0, 0.0, SOLO, 0.96, 0.0, 0.94, 1.0, (1, 6), (2000, 10000), 0.55, None, (0, 2),
        "{when}，被告人{who}饮酒后驾驶{plate}小型轿车行驶至{place}时，被执勤民警查获。经鉴定，"
        "被告人{who}血液中乙醇含量为{bac}mg/100ml。",
        "在道路上醉酒驾驶机动车"),
    ChargeProfile(
        "盗窃罪", 13.5, 0.05, 0.35, PAIR, 0.88, 0.03, 0.87, 0.25, (6, 36), (1000, 20000), 0.4,
        (2000, 60000), (1, 20),
        "{when}，被告人{who}在{place}一住户内，趁无人之机窃取现金及手机等财物，价值共计人民币{amount}元。"
        "案发后，被盗财物已部分追回并发还被害人。",
        "以非法占有为目的，秘密窃取他人财物，数额较大", extra=("诈骗罪",)),
    ChargeProfile(
        "帮助信息网络犯罪活动罪", 9.5, 0.05, 0.2, CREW, 0.78, 0.03, 0.9, 0.15, (6, 24), (2000, 20000), 0.5,
        (50000, 2000000), (20, 120),
        "{since}至案发，被告人{who}明知他人利用信息网络实施犯罪，仍将本人名下银行卡出租、出售给他人使用。"
        "经查，上述银行卡共接收诈骗资金人民币{amount}元，被告人{who}从中获利人民币{gain}元。",
        "明知他人利用信息网络实施犯罪，为其犯罪提供支付结算帮助，情节严重",
        ((TELECOM, 0.85),)),
    ChargeProfile(
        "诈骗罪", 7.5, 0.15, 0.45, CREW, 0.78, 0.0, 0.8, 0.05, (6, 84), (3000, 100000), 0.3,
        (5000, 800000), (30, 180),
        "{when}，被告人{who}以帮助办理贷款需缴纳保证金为由，骗取被害人{victim}人民币{amount}元，"
        "所得钱款已被挥霍。",
        "以非法占有为目的，虚构事实、隐瞒真相，骗取他人财物，数额较大", ((TELECOM, 0.5),)),
    ChargeProfile(
        "故意伤害罪", 6.0, 0.08, 0.4, PAIR, 0.9, 0.04, 0.85, 0.05, (6, 36), None, 0.45, None, (0, 10),
        "{when}，被告人{who}在{place}因琐事与被害人{victim}发生争执，后持木棍击打被害人头面部，致其受伤。"
        "经鉴定，被害人{victim}的损伤程度为轻伤二级。",
        "故意伤害他人身体，致一人轻伤"),
    ChargeProfile(
        "交通肇事罪", 4.0, 0.0, 0.05, SOLO, 0.93, 0.0, 0.92, 0.05, (6, 36), None, 0.75, None, (0, 3),
        "{when}，被告人{who}驾驶{plate}小型轿车行驶至{place}时，未注意观察路面情况，与行人{victim}相撞，"
        "致{victim}经抢救无效死亡。经认定，被告人{who}负事故的主要责任。",
        "违反交通运输管理法规，因而发生重大事故，致一人死亡"),
    ChargeProfile(
        "开设赌场罪", 4.0, 0.1, 0.45, GANG, 0.8, 0.0, 0.86, 0.05, (6, 48), (5000, 100000), 0.35,
        (50000, 1500000), (0, 5),
        "{since}至案发，被告人{who}在{place}一出租房内设置赌场，组织他人以“推牌九”方式赌博，从中抽头渔利。"
        "经查，赌资累计人民币{amount}元，获利人民币{gain}元。",
        "以营利为目的，开设赌场", ((MAFIA, 0.04),)),
    ChargeProfile(
        "掩饰、隐瞒犯罪所得、犯罪所得收益罪", 3.0, 0.05, 0.25, PAIR, 0.82, 0.0, 0.9, 0.15, (6, 36),
        (2000, 30000), 0.45, (30000, 800000), (20, 90),
        "{since}，被告人{who}明知是他人犯罪所得的资金，仍提供本人银行卡帮助他人转账、取现，"
        "涉及金额共计人民币{amount}元。",
        "明知是犯罪所得而予以转移", ((TELECOM, 0.4),)),
    ChargeProfile(
        "寻衅滋事罪", 3.0, 0.1, 0.5, CREW, 0.93, 0.06, 0.85, 0.1, (6, 36), None, 0.35, (500, 8000), (0, 15),
        "{when}，被告人{who}酒后在{place}一烧烤店内无故殴打被害人{victim}，并毁坏店内桌椅等物品。"
        "经鉴定，被害人{victim}的损伤程度为轻微伤，被毁物品价值人民币{amount}元。",
        "随意殴打他人，任意毁损他人财物，情节恶劣", ((MAFIA, 0.05),)),
    ChargeProfile(
        "非法吸收公众存款罪", 1.3, 0.5, 0.5, CREW, 0.65, 0.0, 0.7, 0.0, (12, 84), (50000, 500000), 0.2,
        (2000000, 80000000), (60, 360),
        "{since}至案发，被告人{who}以威海某某投资管理有限公司名义，以高额返息为诱饵，向社会不特定公众吸收资金"
        "人民币{amount}元，至案发尚有人民币{gain}元未能归还。",
        "违反国家金融管理法规，非法吸收公众存款，数额巨大", ((MASS, 1.0), (GROUP_EVENT, 0.3))),
    ChargeProfile(
        "走私、贩卖、运输、制造毒品罪", 2.5, 0.35, 0.85, PAIR, 0.85, 0.0, 0.8, 0.05, (6, 120), (1000, 50000),
        0.02, (300, 20000), (0, 3),
        "{when}，被告人{who}在{place}以人民币{amount}元的价格向吸毒人员{victim}贩卖甲基苯丙胺（冰毒）{grams}克。",
        "贩卖毒品甲基苯丙胺", extra=("容留他人吸毒罪",)),
    ChargeProfile(
        "容留他人吸毒罪", 1.5, 0.0, 0.4, SOLO, 0.7, 0.0, 0.92, 0.2, (6, 24), (1000, 10000), 0.3, None, (0, 10),
        "{when}，被告人{who}在其位于{place}的住处内，先后两次容留{victim}等人吸食甲基苯丙胺（冰毒）。",
        "容留他人吸食毒品"),
    ChargeProfile(
        "聚众斗殴罪", 1.2, 0.15, 0.6, GANG, 0.95, 0.08, 0.85, 0.0, (12, 60), None, 0.3, None, (0, 20),
        "{when}，被告人{who}因琐事纠集多人持械在{place}与对方人员互相殴斗，致多人受伤，严重扰乱社会秩序。",
        "聚众斗殴，持械", ((MAFIA, 0.08),)),
    ChargeProfile(
        "妨害公务罪", 1.2, 0.0, 0.35, SOLO, 0.9, 0.0, 0.93, 0.3, (6, 24), None, 0.45, None, (0, 2),
        "{when}，被告人{who}在{place}酒后滋事，民警依法出警处置时，被告人{who}以推搡、撕扯等方式阻碍民警"
        "依法执行职务，致一名民警受轻微伤。",
        "以暴力方法阻碍国家机关工作人员依法执行职务"),
    ChargeProfile(
        "袭警罪", 0.5, 0.0, 0.5, SOLO, 0.95, 0.0, 0.9, 0.2, (6, 30), None, 0.3, None, (0, 2),
        "{when}，被告人{who}在{place}拒不配合民警依法盘查，并用拳头击打执勤民警面部，致该民警受轻微伤。",
        "暴力袭击正在依法执行职务的人民警察"),
    ChargeProfile(
        "强奸罪", 0.9, 0.2, 0.9, SOLO, 1.0, 0.03, 0.6, 0.0, (36, 120), None, 0.0, None, (0, 10),
        "{when}，被告人{who}在{place}一宾馆房间内，违背妇女意志，采用暴力手段强行与被害人{victim}发生性关系。",
        "违背妇女意志，以暴力手段强行与妇女发生性关系"),
    ChargeProfile(
        "抢劫罪", 0.8, 0.25, 0.9, PAIR, 0.93, 0.15, 0.75, 0.0, (36, 120), (2000, 20000), 0.0, (500, 20000), (0, 15),
        "{when}，被告人{who}在{place}持刀威胁被害人{victim}，劫取其现金及手机一部，价值共计人民币{amount}元。",
        "以非法占有为目的，使用暴力胁迫方法劫取他人财物"),
    ChargeProfile(
        "合同诈骗罪", 1.0, 0.3, 0.45, PAIR, 0.8, 0.0, 0.7, 0.0, (12, 84), (10000, 200000), 0.2,
        (100000, 5000000), (60, 360),
        "{since}，被告人{who}以威海某某贸易有限公司名义，在签订、履行海产品购销合同过程中，以虚构货源的方法，"
        "骗取被害单位货款人民币{amount}元。",
        "以非法占有为目的，在签订、履行合同过程中骗取对方当事人财物，数额巨大"),
    ChargeProfile(
        "非法经营罪", 1.0, 0.15, 0.2, PAIR, 0.8, 0.0, 0.88, 0.05, (6, 60), (10000, 200000), 0.4,
        (100000, 3000000), (30, 180),
        "{since}至案发，被告人{who}在未取得烟草专卖许可证的情况下，在{place}非法经营卷烟，"
        "经营数额共计人民币{amount}元。",
        "违反国家规定，未经许可经营专营、专卖物品，扰乱市场秩序，情节严重"),
    ChargeProfile(
        "组织、领导传销活动罪", 0.6, 0.5, 0.6, GANG, 0.6, 0.0, 0.7, 0.0, (12, 84), (10000, 300000), 0.2,
        (500000, 20000000), (60, 360),
        "{since}至案发，被告人{who}以销售保健品为名，要求参加者缴纳费用获得加入资格，并按照发展人员的数量计酬，"
        "组织、领导传销活动，涉案金额人民币{amount}元。",
        "组织、领导以推销商品为名，骗取财物的传销活动", ((MASS, 1.0), (GROUP_EVENT, 0.2))),
    ChargeProfile(
        "侵犯公民个人信息罪", 1.2, 0.1, 0.3, PAIR, 0.75, 0.0, 0.9, 0.1, (6, 48), (5000, 100000), 0.45,
        (5000, 200000), (30, 180),
        "{since}至案发，被告人{who}通过网络向他人非法出售公民个人信息共计{count}条，获利人民币{amount}元。",
        "违反国家有关规定，向他人出售公民个人信息，情节严重", ((TELECOM, 0.3),)),
    ChargeProfile(
        "故意杀人罪", 0.25, 0.9, 1.0, SOLO, 0.85, 0.0, 0.5, 0.0, (120, 180), None, 0.0, None, (0, 3),
        "{when}，被告人{who}在{place}因感情纠纷与被害人{victim}发生争吵，后持刀捅刺被害人胸腹部数刀，"
        "致被害人{victim}失血性休克死亡。",
        "故意非法剥夺他人生命", ((SENSITIVE, 0.3),), life=0.25),
    ChargeProfile(
        "赌博罪", 0.8, 0.0, 0.2, GANG, 0.8, 0.0, 0.93, 0.3, (6, 24), (2000, 30000), 0.5, (5000, 100000), (0, 10),
        "{since}，被告人{who}以营利为目的，多次聚集他人在{place}以“扎金花”方式赌博，从中抽头渔利人民币{amount}元。",
        "以营利为目的，聚众赌博"),
    ChargeProfile(
        "信用卡诈骗罪", 1.5, 0.0, 0.1, SOLO, 0.7, 0.0, 0.93, 0.05, (6, 48), (20000, 100000), 0.5,
        (50000, 500000), (60, 360),
        "{since}至案发，被告人{who}使用其名下信用卡透支消费、取现，经发卡银行两次催收后超过三个月仍不归还，"
        "透支本金共计人民币{amount}元。",
        "以非法占有为目的，恶意透支信用卡，数额较大"),
    ChargeProfile(
        "敲诈勒索罪", 0.8, 0.1, 0.5, PAIR, 0.85, 0.0, 0.85, 0.05, (6, 48), (2000, 30000), 0.35,
        (5000, 200000), (5, 60),
        "{when}，被告人{who}以散布被害人{victim}隐私相威胁，先后勒索其人民币{amount}元。",
        "以非法占有为目的，采用威胁方法强行索取他人财物，数额较大", ((MAFIA, 0.08),)),
    ChargeProfile(
        "故意毁坏财物罪", 0.7, 0.0, 0.15, SOLO, 0.9, 0.0, 0.92, 0.2, (6, 24), None, 0.55, (5000, 60000), (0, 10),
        "{when}，被告人{who}在{place}因琐事对被害人{victim}心生不满，用砖块砸坏其停放的小型轿车。"
        "经鉴定，车辆损失价值人民币{amount}元。",
        "故意毁坏他人财物，数额较大"),
    ChargeProfile(
        "拒不支付劳动报酬罪", 0.8, 0.0, 0.1, SOLO, 0.85, 0.0, 0.95, 0.05, (6, 24), (5000, 50000), 0.7,
        (50000, 800000), (30, 120),
        "被告人{who}系威海某某建筑劳务有限公司实际负责人，{since}至案发，拖欠{count}名劳动者劳动报酬共计"
        "人民币{amount}元，经人力资源和社会保障部门责令支付后仍不支付。",
        "以逃匿方法逃避支付劳动者的劳动报酬，数额较大，经政府有关部门责令支付仍不支付", ((GROUP_EVENT, 0.15),)),
    ChargeProfile(
        "职务侵占罪", 0.9, 0.1, 0.3, SOLO, 0.6, 0.0, 0.9, 0.0, (6, 60), (10000, 200000), 0.45,
        (60000, 1500000), (30, 200),
        "{since}至案发，被告人{who}利用担任威海某某物流有限公司出纳的职务便利，将公司资金人民币{amount}元"
        "转入本人账户，用于个人消费。",
        "利用职务上的便利，将本单位财物非法占为己有，数额较大"),
    ChargeProfile(
        "非法拘禁罪", 0.5, 0.1, 0.6, CREW, 0.9, 0.0, 0.85, 0.1, (6, 36), None, 0.3, None, (0, 5),
        "{when}，被告人{who}为索要债务，将被害人{victim}强行带至{place}一出租房内非法关押二十余小时。",
        "非法拘禁他人，剥夺他人人身自由", ((MAFIA, 0.08),)),
    ChargeProfile(
        "抢夺罪", 0.3, 0.0, 0.5, SOLO, 0.85, 0.05, 0.9, 0.2, (6, 36), (1000, 10000), 0.35, (2000, 20000), (0, 10),
        "{when}，被告人{who}在{place}趁被害人{victim}不备，抢夺其手中的手机一部，经鉴定价值人民币{amount}元。",
        "以非法占有为目的，抢夺他人财物，数额较大"),
    ChargeProfile(
        "生产、销售伪劣产品罪", 0.5, 0.1, 0.15, PAIR, 0.75, 0.0, 0.9, 0.05, (6, 48), (20000, 300000), 0.5,
        (50000, 1000000), (30, 180),
        "{since}至案发，被告人{who}在{place}一加工点内，以普通海参加糖浸泡后冒充干海参对外销售，"
        "销售金额共计人民币{amount}元。",
        "在产品中掺杂、掺假，以次充好，销售金额五万元以上"),
    ChargeProfile(
        "重大责任事故罪", 0.4, 0.2, 0.05, SOLO, 0.95, 0.0, 0.95, 0.05, (6, 36), None, 0.8, None, (5, 60),
        "{when}，被告人{who}作为施工现场负责人，违反安全管理规定，未督促作业人员佩戴安全带，"
        "致作业人员{victim}从脚手架坠落死亡。",
        "在生产、作业中违反有关安全管理的规定，因而发生重大伤亡事故", ((SENSITIVE, 0.2),)),
    ChargeProfile(
        "非法捕捞水产品罪", 1.0, 0.0, 0.05, PAIR, 0.98, 0.0, 0.97, 0.4, (6, 18), (2000, 20000), 0.8,
        (3000, 60000), (0, 10),
        "{when}，被告人{who}驾驶渔船在伏季休渔期内于威海市近岸海域使用禁用网具捕捞，"
        "捕获各类水产品共计{count}公斤，价值人民币{amount}元。",
        "违反保护水产资源法规，在禁渔期使用禁用的工具捕捞水产品，情节严重"),
    ChargeProfile(
        "受贿罪", 0.3, 1.0, 0.0, SOLO, 0.8, 0.0, 0.85, 0.0, (12, 120), (200000, 1000000), 0.2,
        (300000, 5000000), (60, 720),
        "{since}至案发，被告人{who}利用担任威海市某局科长的职务便利，为他人在工程承揽等方面谋取利益，"
        "非法收受他人财物共计人民币{amount}元。",
        "身为国家工作人员，利用职务上的便利，非法收受他人财物，为他人谋取利益，数额巨大",
        ((SENSITIVE, 0.3),)),
    ChargeProfile(
        "猥亵儿童罪", 0.3, 0.1, 0.8, SOLO, 1.0, 0.0, 0.7, 0.0, (12, 60), None, 0.0, None, (0, 30),
        "{when}，被告人{who}在{place}对不满十四周岁的被害人{victim}实施猥亵。",
        "猥亵不满十四周岁的儿童", ((SENSITIVE, 0.2),)),
    ChargeProfile(
        "拒不执行判决、裁定罪", 0.6, 0.0, 0.1, SOLO, 0.85, 0.0, 0.92, 0.4, (6, 24), None, 0.65, (50000, 800000),
        (30, 180),
        "被告人{who}对人民法院作出的民事判决负有履行义务，{since}后，在有能力执行的情况下，以转移财产的方式"
        "拒不履行，致判决无法执行，涉及金额人民币{amount}元。",
        "对人民法院的判决有能力执行而拒不执行，情节严重"),
    ChargeProfile(
        "伪造、变造、买卖国家机关公文、证件、印章罪", 0.4, 0.0, 0.2, SOLO, 0.8, 0.0, 0.92, 0.2, (6, 36), None,
        0.5, None, (10, 90),
        "{when}，被告人{who}在{place}伪造某机关印章一枚，用于伪造证明文件并对外使用。",
        "伪造国家机关印章"),
    ChargeProfile(
        "销售假冒注册商标的商品罪", 0.5, 0.1, 0.1, PAIR, 0.75, 0.0, 0.92, 0.05, (6, 36), (10000, 200000), 0.5,
        (50000, 800000), (10, 120),
        "{since}至案发，被告人{who}在{place}经营的烟酒店内，销售明知是假冒注册商标的白酒，"
        "销售金额共计人民币{amount}元。",
        "销售明知是假冒注册商标的商品，销售金额数额较大"),
)
# fmt: on

# Charges the 监察委员会 investigates (留置, then 先行拘留 by the procuratorate, CPL 170); the
# others come from the police.
SUPERVISION_CHARGES = frozenset({"受贿罪"})
SUPERVISION_AGENCY = "威海市监察委员会"

SURNAMES = (
    "王李张刘于孙陈杨赵徐周马高林郭胡宋郑谢韩唐冯董程曹袁许邓沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟"
    "汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙段雷钱汤尹易常武乔贺赖龚文丛毕鞠曲谷宫"
)
# Shandong's most common surnames lead; the weights fall off after them.
SURNAME_WEIGHTS = tuple(8.0 if i < 6 else 3.0 if i < 20 else 1.0 for i in range(len(SURNAMES)))

ETHNICITIES = (("汉族", 985), ("满族", 5), ("回族", 4), ("朝鲜族", 3), ("蒙古族", 3))
EDUCATIONS = (
    ("初中", 44),
    ("高中", 14),
    ("小学", 12),
    ("中专", 7),
    ("大专", 10),
    ("大学本科", 9),
    ("文盲", 1),
    ("研究生", 1),
    ("", 2),  # 不详: the exchange format writes "" for it
)
MINOR_EDUCATIONS = (("初中", 6), ("高中", 2), ("中专", 2))
OCCUPATIONS = (
    ("无固定职业", 28),
    ("农民", 12),
    ("渔民", 5),
    ("务工人员", 14),
    ("个体经营者", 10),
    ("公司职员", 12),
    ("司机", 6),
    ("自由职业", 5),
    ("无业", 8),
)
MINOR_OCCUPATIONS = (("学生", 6), ("无业", 4))

# 6-digit region codes (GB/T 2260) with the address prefix printed for them; the demo area first.
REGIONS = (
    ("371002", "山东省威海市环翠区", ("文化西路", "新威路", "统一路", "青岛北路", "世昌大道"), 30),
    ("371003", "山东省威海市文登区", ("龙山路", "峰山路", "米山路", "天福路"), 16),
    ("371082", "山东省荣成市", ("成山大道", "黄海中路", "府新路", "石岛镇港湾街"), 18),
    ("371083", "山东省乳山市", ("胜利街", "府前路", "商业街"), 7),
    ("371000", "山东省威海市", ("海滨北路", "昆明路"), 3),
    ("370602", "山东省烟台市芝罘区", ("南大街", "环山路"), 5),
    ("370202", "山东省青岛市市南区", ("香港中路", "闽江路"), 4),
    ("371302", "山东省临沂市兰山区", ("通达路", "解放路"), 5),
    ("410102", "河南省郑州市中原区", ("中原路", "建设路"), 4),
    ("230103", "黑龙江省哈尔滨市南岗区", ("西大直街", "学府路"), 5),
    ("220102", "吉林省长春市南关区", ("人民大街", "亚泰大街"), 3),
)

DEMO_REGIONS = frozenset({"371000", "371002", "371003", "371082", "371083"})
# Where suspects of each procuratorate's cases live when they are not at their household address.
HOME_REGIONS = {
    "371000": ("山东省威海市经济技术开发区", ("青岛中路", "海南路", "香港路")),
    "371002": ("山东省威海市环翠区", ("文化西路", "新威路", "统一路")),
    "371082": ("山东省荣成市", ("成山大道", "黄海中路", "府新路")),
    "371003": ("山东省威海市文登区", ("龙山路", "峰山路", "天福路")),
}
ADULT_AGES = tuple(
    (age, 2.5 if age <= 25 else 3.2 if age <= 45 else 1.5 if age <= 55 else 0.6 if age <= 65 else 0.2)
    for age in range(18, 76)
)

# Where each procuratorate sends its cases, and where its suspects are held. The city
# procuratorate prosecutes the development zone's cases before its basic court, and cases
# that may bring life imprisonment or ten years and more before the intermediate court.
MIDDLE_COURT = "威海市中级人民法院"
COURTS = {
    "371000": "威海经济技术开发区人民法院",
    "371002": "威海市环翠区人民法院",
    "371082": "荣成市人民法院",
    "371003": "威海市文登区人民法院",
}
DETENTION_CENTRES = {
    "371000": "威海市看守所",
    "371002": "威海市看守所",
    "371082": "荣成市看守所",
    "371003": "威海市文登区看守所",
}
# Streets where offences happen, per procuratorate.
SCENES = {
    "371000": ("威海市经济技术开发区青岛中路", "威海市经济技术开发区皇冠街道", "威海市经济技术开发区崮山镇"),
    "371002": ("威海市环翠区新威路", "威海市环翠区统一路", "威海市环翠区孙家疃街道", "威海市环翠区张村镇"),
    "371082": ("荣成市成山大道", "荣成市石岛管理区黄海中路", "荣成市崖头街道府新路", "荣成市俚岛镇"),
    "371003": ("威海市文登区龙山路", "威海市文登区峰山路", "威海市文登区米山镇", "威海市文登区天福街道"),
}
# The shares of the county procuratorates; the city's share is CITY_SHARE, made of the matters
# a charge sends there (ChargeProfile.city) topped up evenly across charges.
COUNTY_WEIGHTS = (("371002", 0.42), ("371082", 0.33), ("371003", 0.25))
CITY_SHARE = 0.2

PRIOR_RECORDS = (
    "{year}年因犯盗窃罪被判处有期徒刑六个月，同年刑满释放",
    "{year}年因犯危险驾驶罪被判处拘役二个月，缓刑四个月",
    "{year}年因吸毒被行政拘留十日",
    "{year}年因殴打他人被行政拘留五日",
    "{year}年因犯诈骗罪被判处有期徒刑一年",
)

# Case names use the act charged where the charge name lists several (张某某贩卖毒品案).
CASE_LABELS = {
    "走私、贩卖、运输、制造毒品罪": "贩卖毒品",
    "掩饰、隐瞒犯罪所得、犯罪所得收益罪": "掩饰、隐瞒犯罪所得",
    "伪造、变造、买卖国家机关公文、证件、印章罪": "伪造国家机关印章",
    "生产、销售伪劣产品罪": "销售伪劣产品",
}

# Shares that shape the prosecution reviews: 速裁 among the cases that qualify for it, and the
# chance of 退回补充侦查 outside 速裁 and of an extension in the cases that may have one (tuned
# so that of all concluded reviews about 8 % are returned, 1.5 % twice, and 5 % extended).
FAST_SHARE = 0.44
RETURN_SHARE = 0.135
EXTENSION_SHARE = 0.13
