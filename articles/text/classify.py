"""Kind and sector of a figure, from the words next to it and the unit it is counted in.

The cue tables below are data: plain substrings of Chinese aid reporting, gathered from the seed articles'
vocabulary and the 对口援疆 programme's standard terms (民生援疆, 产业援疆, 智力援疆, 文化润疆, 就业援疆 ...).
A figure is read in windows, nearest first:

    before  the words from the start of its clause up to it ('实施援疆项目|184个'); a list (、) stays one clause
    after   the noun phrase it counts ('3000多个|就业岗位'); its head is the last cue in it
    clause, sentence, heading: wider context, used only when the near windows say nothing

In `before` the cue nearest the figure wins (ties: the longer cue), so '全额投资' beats '投资' and
'标准化养殖小区' beats the '合作社' listed before it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

# --- kinds -------------------------------------------------------------------------------------------------

MONEY_KINDS = (
    ("output_value", ("产值", "销售额", "营业额", "交易额", "成交额", "营收", "销售收入")),
    ("income", ("工资", "收入", "增收", "月薪", "年薪", "分红", "挣", "能拿", "月入")),
    ("investment", ("总投资", "计划投资", "投资额", "投资金额", "固定资产投资", "招商引资", "签约金额", "签约资金",
                    "签约总额", "签约额", "协议投资", "协议资金", "协议金额", "意向投资", "投资", "签约",
                    "到位资金", "引资")),
    ("funding", ("援疆资金", "援助资金", "帮扶资金", "捐赠", "捐款", "捐助", "投入", "安排", "拨付", "援建",
                 "资金", "奖补", "启动资金", "全额投资", "全额出资")),
    # Money named in a programme that is not money put in: insured sums, per-head grant rates.
    ("other", ("保障金额", "保险金额", "保额", "每人每年", "每人每月", "人均补助", "每生")),
    # A firm's profits and taxes (实现利税3.8亿元) are neither its output nor aid paid.
    ("other", ("利税", "税收", "纳税", "利润")),
)
# Verbs say more about people than nouns do: '培训企业职工' are trainees, not jobs.
PEOPLE_VERBS = (
    ("trainees", ("培训", "培养", "培育", "轮训", "研修", "实训", "进修", "跟岗", "带教", "结对帮带", "提升技能",
                  "授课", "挂职学习", "跟班学习", "挂职锻炼", "送教", "传帮带", "帮带")),
    ("cadres", ("选派", "派出", "派驻", "引进", "选聘", "聘请", "柔性引进", "招揽", "支教")),
    ("jobs", ("就业", "务工", "用工", "招聘", "待业", "上岗")),
    ("beneficiaries", ("受益", "惠及", "服务", "就读", "容纳", "资助", "救治", "诊疗", "覆盖", "接待", "参与",
                       "研学", "交流", "接诊", "诊治", "就诊", "脱贫")),
    ("other", ("引客", "义诊巡诊", "巡诊")),
)
PEOPLE_NOUNS = (
    ("jobs", ("员工", "岗位", "工人", "产业工人")),
    ("cadres", ("援疆干部", "干部人才", "援疆教师", "援疆医生", "专家", "人才", "柔性", "教师", "医生", "医护",
                "医疗队", "工作队", "院士", "教练", "干部")),
    ("beneficiaries", ("学生", "儿童", "患者", "群众", "游客", "观众", "孩子", "农户", "村民", "学子", "病人")),
)
# Recipient-side people ('受援地干部', '当地教师') are not cadres sent by the donor: the verbs decide.
LOCAL_PEOPLE = re.compile(r"(?:受援地|当地|本地)[\u4e00-\u9fff]{0,2}(?:干部|教师|医生|人才)")
COUNT_KINDS = (
    ("jobs", ("就业岗位", "岗位", "就业")),  # 带动就业5800个; 可提供1万个就业岗(位)
    ("projects", ("项目", "工程", "开工", "竣工", "完工")),
    ("enterprises", ("企", "公司", "厂", "商户", "合作社", "龙头")),
    ("facilities", ("学校", "小学", "中学", "幼儿园", "医院", "卫生院", "卫生室", "诊室", "图书馆", "书屋", "书院",
                    "大棚", "温室", "场馆", "活动中心", "服务中心", "工作室", "工作站", "基地", "示范点", "园区",
                    "病房", "教室", "宿舍", "住房", "养老院", "实验室", "车间", "厂房", "小区", "病床", "床位",
                    "公寓", "学堂", "场所", "冷库", "阵地")),
    ("beneficiaries", ("学位", "手术", "家庭", "学生", "患者", "会诊", "病例")),
    ("production", ("生产线", "出栏", "存栏")),
    # Things that are counted but are no programme output: platforms, agreements, institutes visited,
    # designations, teams, varieties, classes, paired places.
    ("other", ("平台", "协议", "院所", "高校", "品种", "作品", "示范镇", "示范村", "组团", "新技术", "教学班",
               "班级", "开发区", "乡镇", "县区", "社区", "连队", "行政区", "村", "新技术新项目")),
)
# Places served by a facility ('周边11个行政区') are its beneficiaries; otherwise a count of places is 'other'.
PLACES = ("乡镇", "行政区", "村", "社区", "县区", "连队")
SERVED = re.compile(r"周边|辐射|惠及")
UNIT_FAMILY_KINDS = {
    "percent": "share",
    "percent_points": "share",
    "area_mu": "area",
    "area_m2": "area",
    "area_ha": "area",
    "area_km2": "area",
    "volume": "production",
    "energy": "production",
    "weight": "production",
    "power": "production",
    "households": "beneficiaries",
}
# Counters that name the thing counted even when no noun follows.
COUNTER_KINDS = {"所": "facilities", "座": "facilities", "张": "facilities", "套": "facilities", "间": "facilities",
                 "处": "facilities", "家": "enterprises", "项": "projects", "只": "production", "头": "production",
                 "例": "beneficiaries"}
# 台 counts machines and vehicles handed over (清运车辆8台, 278台缝纫机: other) as well as surgeries (手术550余台,
# read from the cue 手术): the counter alone says neither.
# Counters of events, batches, trips and items: what was done, not what it gave.
EVENT_COUNTERS = ("次", "场", "场次", "期", "班次", "批", "批次", "趟", "节", "种", "册", "件")
# Houses built for N households (安居富民房5.17万户): the count is of dwellings, not of people served.
HOUSING = re.compile(r"安居|富民房|兴牧|住房|住宅|房屋|抗震|棚户区")
# Goods sold in an anecdote ('一场直播就能卖出十多吨') are no production capacity.
SOLD = re.compile(r"卖出|卖了|售出|销售了")

# --- sectors -----------------------------------------------------------------------------------------------

SECTORS = (
    ("health", ("医院", "医疗", "卫生", "患者", "义诊", "诊疗", "医生", "中医", "病房", "病床", "床位", "健康",
                "巡诊", "妇幼", "药", "手术", "会诊", "看病", "门诊", "医师", "专家团")),
    ("education", ("学校", "教育", "教师", "学生", "小学", "中学", "幼儿园", "教学", "校", "课", "学位", "学子",
                   "高考", "上学", "儿童", "孩子", "教练", "资助")),
    ("trade", ("销售", "消费", "商城", "出疆", "疆品", "外销", "产销", "购销", "电商平台", "物流", "卖出")),
    ("culture", ("文化", "旅游", "游客", "文物", "博物馆", "图书", "艺术", "非遗", "书画", "戏曲", "剧", "文旅",
                 "演出", "国学", "书院", "书屋", "专列", "文献", "引客", "点击", "景区", "民宿", "导游", "推介会",
                 "书香")),
    ("exchange", ("交流", "交往", "交融", "研学", "结对", "结亲", "手拉手", "夏令营", "冬令营", "三交")),
    ("employment", ("就业援疆", "技能", "务工", "创业", "职教", "转移就业",
                    "就地就近", "岗前培训", "就业服务", "培训资金")),
    ("agriculture", ("农业", "种植", "养殖", "蔬菜", "畜牧", "林果", "农牧", "棉", "玉米", "葡萄", "羊", "牛",
                     "农技", "大棚", "温室", "农民", "果", "亩", "合作社", "棚", "枣", "鱼", "坐果", "出苗",
                     "药材", "中草药",  # a crop planted ('种植中药材6300多亩'), not medicine
                     "良种", "繁育", "育苗", "种薯", "马铃薯", "食用菌", "木耳", "耕地", "农田", "灌溉",
                     "品种", "农户")),
    ("talent", ("干部", "人才", "专家", "柔性", "智力", "院士", "技术服务", "组团")),
    # Public utilities serve households, whatever plant they need: 水厂 and 垃圾处理厂 are no factories.
    # Housing programmes (两居工程, 定居兴牧) and village works (巷道, 电力管线) too.
    ("livelihood", ("民生", "住房", "养老", "党群", "脱贫", "基础设施", "安居", "饮水", "供暖", "道路", "社区", "医养",
                    "乡村振兴", "公寓", "保障性", "水厂", "处理厂", "供水", "供热", "供气", "排水", "污水", "垃圾",
                    "管网", "棚户区", "两居", "三居", "定居", "灾后重建", "巷道", "管线")),
    ("industry", ("产业", "企业", "工业", "园区", "招商", "投产", "产值", "生产线", "工厂", "厂", "纺织", "能源",
                  "煤", "化工", "制造", "电力", "机组", "加工", "落户", "签约", "招引", "开发区", "企", "公司",
                  "建材")),
)
# A figure's own kind word is no sector cue: every job is 就业, every project a 项目, every sum 资金.
HEADING_SECTORS = (
    ("health", ("医疗",)), ("education", ("教育",)), ("culture", ("文化", "文旅")),
    ("employment", ("就业",)), ("industry", ("产业",)), ("livelihood", ("民生",)),
    ("talent", ("智力", "人才")), ("exchange", ("交流", "三交")), ("trade", ("消费",)),
)
# The people trained, and those sent, name the sector better than the words around them.
TRAINEE_SECTORS = (
    ("employment", ("职工", "群众", "人员", "技能", "劳动力", "岗前", "就业", "工人")),
    ("agriculture", ("农业", "农技", "农民", "种植", "养殖")),
    ("education", ("教师", "校长", "老师")),
    ("health", ("医生", "医护", "医师")),
    ("culture", ("文化", "艺术", "国学", "导游", "民宿", "旅游")),
    ("talent", ("人才", "干部")),
)
CADRE_SECTORS = (
    ("education", ("教师", "教练", "支教", "校长")),
    ("health", ("医生", "医疗队", "医护", "医疗", "医务", "卫生")),
    ("agriculture", ("土专家",)),
)
# Processing plants are industry whatever crop they process ('年加工红枣5万吨').
PRODUCTION_INDUSTRY = re.compile(r"加工|生产线|产能")
# The subject of a sentence ('第四批援疆干部人才进疆以来, 实施项目184个') is no sector of its figures, nor is
# the 兵团's full name ('新疆生产建设兵团': 生产 names no factory).
ACTORS = re.compile(r"生产建设兵团|援疆干部人才|援疆干部|干部人才|援疆工作队|工作队|指挥部|前指|工作组|爱心企业")
# Firms named with society as where another sum came from ('企业、社会捐赠', '企业等社会投资') are givers, not the
# trade of the sentence's other figures.
GIVERS = re.compile(r"企业[、和及与等]{1,2}社会")
OWN_SALES = re.compile("|".join(dict(MONEY_KINDS)["output_value"]) + "|销售")
FIRM_SALES = re.compile("|".join(dict(MONEY_KINDS)["output_value"]))
# A clause stating what the programme puts first ('在以保障和改善民生为出发点的基础上', '将重点放在改善农四师民生上',
# '把打赢脱贫攻坚战作为首要任务') is
# its principle, not the sector of the totals that follow it.
PRINCIPLE = re.compile(r"[^，,。；;]*(?:出发点|落脚点|着力点|重点放在|首要任务|中心任务|总目标|主攻方向)[^，,。；;]*")
# Rural households and residents served ('2.8万余户农牧民受益', '受益农户4万余户', '360余户易地搬迁群众') are who
# benefits, not farming: their sector is what reached them (housing, water), else livelihood. Planting says
# agriculture ('带动500户农民种植中草药').
RESIDENTS = re.compile(r"农牧民|农民|农户|牧民|村民|群众|民众|居民")
SERVED_KINDS = ("beneficiaries", "facilities")
KIND_DEFAULT_SECTORS = {
    "cadres": "talent",
    "trainees": "talent",
    "output_value": "industry",
    "enterprises": "industry",
    "income": "industry",
}
# Money attracted from firms is industry's; the total investment of a list of projects is no one sector's.
ATTRACTED = re.compile(r"招商|招引|引资|签约|企业|公司|集团|厂|生产|落地|落户|产业|工业|园区|协议")
# A total of the whole programme ('援疆资金X亿元', '各类援疆项目N个', '项目总投资'): the sentence's other words
# name what some of it went to, not its sector; only its own clause or a frame ('在教育方面，…') does.
PROGRAMME_TOTAL = re.compile(r"援疆资金|援助资金|援疆项目|援建项目|各类项目|总投资|资金总额|投资计划|新建项目|续建项目")
FRAME = re.compile(r"^[^，,。]{0,24}(?:方面|领域)")
# Firms brought in, of whatever trade: a list of their trades is no spread across sectors.
ATTRACTING = re.compile(r"招商|招引|引进|引资|签约|落地|落户")
# A list of three kinds or more ('技术帮扶、装备支持、人才培训等', '经济、贸易、技术、创新、人才、开放等方面'):
# the breadth of a programme, whatever sector one of its items names.
BROAD_LIST = re.compile(r"(?:[^、，,。；]{1,10}、){2,}[^、，,。；]{1,10}等")
# A count of the programme's projects before a sum in its sentence ('实施援疆项目290个，累计投入资金34.7亿元，帮助…
# 建成了一大批惠民生、促发展项目'; '先后立项实施项目397个，投入援疆资金28.5亿元，新建改造住房…').
PROGRAMME_COUNT = re.compile(r"(?:项目\d+[个项]|\d+[个项](?:援疆|援建)?项目)[，,]$")
# A list in a sentence ('产业发展基础、保障民生、基础设施建设、智力援助、人才培养等方面'), up to its clause's end.
LIST = re.compile(r"[^，,。；;：:]*、[^，,。；;：:]*")
TOTAL_KINDS = ("funding", "investment", "projects", "facilities", "share")
FIRMS_AFTER_LIST = re.compile(r"、[^、]*(?:企业|公司)")
# A sentence about the project, school or hospital the sentence before it named.
ANAPHORA = re.compile(r"^(?:[^，,。]{0,14}[，,])?(?:该|这个|这所|这家|此)"
                      r"(?:项目|工程|学校|小学|中学|医院|基地|园区|校)")


@dataclass(frozen=True)
class Classification:
    kind: str
    sector: str
    kind_sure: bool
    sector_sure: bool


def classify(unit_family: str, unit: str, after: str, before: str, clause: str,
             sentence: str, heading: str = "", phrase: str = "", purpose: str = "",
             previous: str = "") -> Classification:
    """Kind from the unit and the nearest cue words; sector from the near words, then wider context.

    `before` is the text of the clause up to the figure, `after` the words right after it, `clause` its clause
    (a list item), `phrase` its clause with lists whole, `sentence` the sentence up to the end of `after`, and
    `purpose` the clause that follows ('投入资金420余万元，|对塔孜洪乡卫生院进行改造') unless it splits the sum (其中),
    and `previous` the sentence before, which a sentence opening on '该项目' or '这所学校' is about.
    """
    phrase = phrase or clause
    kind, kind_sure = _kind(unit_family, unit, after, before, phrase, sentence)
    # A share or a sum belongs to its own list item ('80%用于县及县以下、80%用于民生'); people and things
    # counted take the verb of the whole clause ('山西17个县区与受援地24个乡村社区连队结对共建').
    context = clause if unit_family in ("money", "percent") else phrase
    if kind == "area":
        after, before, context = (t.replace("亩", "") for t in (after, before, context))  # land of any use
    if unit_family == "money":
        purpose = _described(phrase, before) or purpose
    sector, sector_sure = _sector(kind, after, before, context, sentence, heading, purpose, unit in EVENT_COUNTERS)
    if not sector_sure and ANAPHORA.match(sentence) and len(_sectors_in(previous)) == 1:
        # '该项目总投资8000万元，占地面积60亩' after the sentence naming the school: the school's sector.
        return Classification(kind, _sectors_in(previous).pop(), kind_sure, False)
    return Classification(kind, sector, kind_sure, sector_sure)


def _kind(unit_family, unit, after, before, clause, sentence) -> tuple[str, bool]:
    if unit_family == "length":
        # Only lengths of something built pass the screen (铺设管网170公里, 改造11公里巷道): a facility's size.
        return "facilities", True
    if unit_family in UNIT_FAMILY_KINDS:
        if unit_family == "weight" and SOLD.search(before):
            return "other", True
        if unit_family == "households" and HOUSING.search(before + after):
            return "facilities", True
        return UNIT_FAMILY_KINDS[unit_family], True
    if unit in EVENT_COUNTERS:
        return "other", True
    if unit_family == "money":
        return _money_kind(after, before, clause, sentence)
    if unit_family in ("people", "person_times"):
        return _people_kind(after, before, clause, sentence)
    return _count_kind(unit, after, before, clause, sentence)


# '投资X万元' as a verb of its own, with no firm in the sentence, is the donor spending aid money (在民生方面，
# 投资1.7亿元; 投资2800万元建好…沉砂池), not capital attracted; a project's 总投资 or 计划投资 stays investment.
# 完成投资 is a project's progress and stays investment, as does a sum that describes the thing named after it
# ('投资8000万元、今年5月投入使用的晋阜小学', '投资5600万元、年产1.2亿块页岩砖的…公司').
BARE_INVESTMENT = re.compile(r"(?<![总划额产议目程成])投资$")
FIRMS = re.compile("企业|公司|集团|招商|引进|引资|落户|签约|客商|社会资本|民营|民间")
ATTRIBUTE_OF_WHAT_FOLLOWS = re.compile(r"[^、，；;。]*?元、[^，；;。]*?的")


def _described(phrase: str, before: str) -> str:
    """The thing a sum describes when it stands in front of its name ('投资8000万元、今年5月投入使用的|晋阜小学';
    '投资5600万元、年产1.2亿块页岩砖的|钧窑建材有限公司'); not a list of figures ('…元、互访交流活动超220场、…的')."""
    rest = phrase[phrase.find(before) + len(before):] if before and before in phrase else ""
    described = ATTRIBUTE_OF_WHAT_FOLLOWS.match(rest)
    if not described or "、" in described[0].split("元、", 1)[1]:
        return ""
    return rest[described.end():]


def _money_kind(after, before, clause, sentence) -> tuple[str, bool]:
    found = _nearest(MONEY_KINDS, before) or _head(MONEY_KINDS, after)
    if found == "investment" and BARE_INVESTMENT.search(before) and not FIRMS.search(sentence + clause):
        rest = clause[clause.find(before) + len(before):] if before and before in clause else ""
        if not ATTRIBUTE_OF_WHAT_FOLLOWS.match(rest):
            return "funding", True
    if found:
        return found, True
    found = _nearest(MONEY_KINDS, clause) or _nearest(MONEY_KINDS, sentence)
    return found or "funding", False


def _people_kind(after, before, clause, sentence) -> tuple[str, bool]:
    after, before = _recipients(after), _recipients(before)
    for found, sure in ((_nearest(PEOPLE_VERBS, before), True), (_head(PEOPLE_VERBS + PEOPLE_NOUNS, after), True),
                        (_nearest(PEOPLE_NOUNS, before), True), (_nearest(PEOPLE_VERBS, clause), False),
                        (_nearest(PEOPLE_VERBS, sentence), False),
                        (_nearest(PEOPLE_NOUNS, _recipients(sentence)), False)):
        if found:
            return found, sure
    return "beneficiaries", False


def _count_kind(unit, after, before, clause, sentence) -> tuple[str, bool]:
    found = _head(COUNT_KINDS, after) or _nearest(COUNT_KINDS, before)
    if found:
        if found == "other" and any(p in after + before[-4:] for p in PLACES) and SERVED.search(clause):
            return "beneficiaries", True
        return found, True
    if unit in COUNTER_KINDS:
        return COUNTER_KINDS[unit], False
    found = _nearest(COUNT_KINDS, clause)
    return found or "other", False


def _recipients(text: str) -> str:
    return LOCAL_PEOPLE.sub("当地人员", text)


def _nearest(table, text: str) -> str | None:
    """The kind of the cue that ends nearest the end of `text` (ties: the longer cue)."""
    pattern, kind_of = _reversed_cues(table)
    match = pattern.search(text[::-1])
    return kind_of[match.group()] if match else None


@lru_cache(maxsize=64)
def _reversed_cues(table) -> tuple[re.Pattern, dict[str, str]]:
    """A pattern over reversed text: its first match is the cue ending last, the longest first at a tie."""
    kind_of: dict[str, str] = {}
    for kind, cues in table:
        for cue in cues:
            kind_of.setdefault(cue[::-1], kind)  # the earlier table row wins, as it did
    ordered = sorted(kind_of, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))), kind_of


def _head(table, text: str) -> str | None:
    """The kind of the last noun in a phrase: the head of '13家户外体育用品生产企业' is 企业."""
    return _nearest(table, text)


def _first(table, text: str) -> str | None:
    """The highest-priority entry with a cue in the text (tables are in priority order)."""
    for name, cues in table:
        if any(cue in text for cue in cues):
            return name
    return None


# --- sector ------------------------------------------------------------------------------------------------

def _sector(kind, after, before, clause, sentence, heading, purpose="", event=False) -> tuple[str, bool]:
    if kind == "trainees":
        return _nearest(TRAINEE_SECTORS, before + after) or _nearest(TRAINEE_SECTORS, sentence) or "talent", True
    if kind == "cadres":
        return _cadre_sector(after, before), True
    if kind == "production" and PRODUCTION_INDUSTRY.search(before + after):
        return "industry", True
    after, before, clause, sentence = (ACTORS.sub("", _recipients(t)) for t in (after, before, clause, sentence))
    sentence = GIVERS.sub("", sentence) if not GIVERS.search(clause) else sentence
    sentence = PRINCIPLE.sub("", sentence)
    residents = kind in SERVED_KINDS and RESIDENTS.search(before[-6:] + after)
    if residents:
        after, before, clause, sentence = (RESIDENTS.sub("", t) for t in (after, before, clause, sentence))
    # A firm's sales are its output (山钢…实现年销售收入94亿元: industry); trade is aid to sell Xinjiang's goods
    # (消费帮扶, 出疆), named by other words.
    sales = OWN_SALES if kind == "output_value" else FIRM_SALES
    after, before, clause, sentence = (sales.sub("", t) for t in (after, before, clause, sentence))
    if kind == "jobs":
        # Jobs serve employment, whoever created them (a factory brought in, a programme): docs/annotation.md.
        return "employment", True
    counted = _head(SECTORS, after)
    if counted:
        # The thing counted names its sector over a list before it ('安居富民房、…、科技企业孵化中心等52项…民生工程';
        # '46个大中型企业项目、14个大型民生项目').
        return counted, True
    if kind in ("funding", "investment", "projects", "facilities") and _across_sectors(before + after):
        return "general", True  # a total across sectors ('建设学校、医院9所', '教育、文化等领域的项目')
    if kind in ("funding", "investment", "projects") and _broad(before + after) and not ATTRACTING.search(before):
        return "general", True
    near = _head(SECTORS, after) or _nearest(SECTORS, before)
    if near:
        return near, True
    if PROGRAMME_COUNT.search(sentence[:-len(clause)] if clause and sentence.endswith(clause) else ""):
        purpose = ""  # the programme's sum after its count of projects: what follows is the list of its results
    found = _nearest(SECTORS, clause) or (kind in ("funding", "investment") and _nearest(SECTORS, purpose))
    if found:
        return found, True
    frame = FRAME.match(sentence)
    if frame and _nearest(SECTORS, frame[0]) and not _broad(frame[0]):
        return _nearest(SECTORS, frame[0]), True
    if kind in TOTAL_KINDS and _lists_sectors(sentence, broad=kind in ("funding", "investment", "projects")):
        return "general", False  # a sentence listing sectors ('涉及民生、文化等领域', '46个企业项目、14个民生项目')
    if kind == "investment" and ATTRACTED.search(sentence):
        return "industry", False  # investment brought in by 招商, signed with firms: industry's whatever its trade
    if kind in ("funding", "investment", "projects") and PROGRAMME_TOTAL.search(before + after):
        # A programme's total is the one sector its sentence is about, or general when it spans several.
        named = _sectors_in(sentence)
        if len(named) == 1 and not _broad(sentence):
            return named.pop(), False
        return (_first(HEADING_SECTORS, heading) if not named else None) or "general", False
    if kind == "investment":
        return "general", False
    if not event:  # a count of meetings says nothing of the sentence's topic
        found = _nearest(SECTORS, sentence)
        if found:
            return found, False
    if kind in KIND_DEFAULT_SECTORS:
        return KIND_DEFAULT_SECTORS[kind], True
    found = _first(HEADING_SECTORS, heading)
    if found:
        return found, False
    return ("livelihood" if residents else "general"), False


def _across_sectors(text: str) -> bool:
    """A list ('学校、医院', '教育、文化等领域') whose items name two sectors or more."""
    if "、" not in text or ATTRACTING.search(text):
        return False  # '招引冷链装备制造、农业等11个项目落户': firms brought in, of whatever trade, are industry
    return len(_sectors_in(text)) >= 2


def _lists_sectors(sentence: str, broad: bool) -> bool:
    """A list in the sentence whose items name two sectors or more, or (`broad`) a programme's breadth; not a
    list of the trades of firms brought in ('涉及农业、建材、原料领域企业15家')."""
    if ATTRACTING.search(sentence):
        return False
    return any((_across_sectors(listed) or (broad and _broad(listed))) and not FIRMS_AFTER_LIST.search(listed)
               for listed in LIST.findall(sentence))


def _broad(text: str) -> bool:
    """A list of three kinds or more of which one at most names a sector: a programme's breadth, not a sector
    ('技术帮扶、装备支持、人才培训等合作项目'; but '饮水、供热、供气等工程' is livelihood)."""
    listed = BROAD_LIST.search(text)
    return bool(listed) and sum(bool(_sectors_in(item)) for item in re.split("[、等]", listed[0])) <= 1


def _sectors_in(text: str) -> set[str]:
    """Every sector a cue in the text names (a cue inside a longer cue of another sector counts for that one).

    A site's 亩 names no farmland of its own ('学校占地面积189亩'): alone, it is the nearest cue's last resort."""
    pattern, sector_of = _reversed_cues(SECTORS)
    return {sector_of[m.group()] for m in pattern.finditer(text.replace("亩", "")[::-1])}


def _cadre_sector(after: str, before: str) -> str:
    """Teachers sent serve education, doctors health; a mixed or general group is talent. The noun after the
    figure names its own people first ('15名骨干教师、21名医务人员': the 21 are health's)."""
    for near in (after, before + after):
        sectors = {sector for sector, cues in CADRE_SECTORS if any(cue in near for cue in cues)}
        if sectors:
            return sectors.pop() if len(sectors) == 1 else "talent"
    return "talent"
