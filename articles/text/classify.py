"""Kind and sector of a figure, from the words next to it and the unit it is counted in."""

from dataclasses import dataclass

# Cues are tried in order; the first that appears in the looked-at text wins. A cue is a plain
# substring: Chinese terms here are specific enough that segmentation adds little for them.
MONEY_KINDS = [
    ("output_value", ("产值", "销售额", "营业额", "交易额", "成交额", "营收", "销售收入", "出疆销售")),
    ("income", ("工资", "收入", "增收", "月薪", "年薪", "分红")),
    ("investment", ("总投资", "计划投资", "投资额", "固定资产投资", "招商引资", "签约金额", "签约资金", "投资")),
    ("funding", ("援疆资金", "援助资金", "帮扶资金", "捐赠", "捐款", "捐助", "投入", "安排", "拨付", "援建",
                 "资金", "支持", "奖补", "补贴", "启动资金", "保障金额")),
]
PEOPLE_KINDS = [
    ("trainees", ("培训", "培养", "轮训", "研修", "实训", "进修", "跟岗", "带教", "结对帮带", "提升技能", "授课")),
    ("jobs", ("就业", "岗位", "务工", "用工", "招聘", "待业", "职工", "工人", "产业工人")),
    ("cadres", ("援疆干部", "干部人才", "援疆教师", "援疆医生", "专家", "人才", "柔性", "选派", "派出", "教师",
                "医生", "医护", "医疗队", "支教", "工作队", "院士")),
    ("beneficiaries", ("受益", "惠及", "服务", "就读", "学生", "儿童", "患者", "义诊", "诊疗", "巡诊", "群众",
                       "游客", "参与", "研学", "观众", "覆盖", "孩子", "农户", "村民", "接待", "救治")),
]
COUNT_KINDS = [
    ("jobs", ("就业岗位", "岗位")),
    ("projects", ("项目", "工程")),
    ("enterprises", ("企业", "公司", "厂", "商户", "合作社", "龙头")),
    ("facilities", ("学校", "小学", "中学", "幼儿园", "医院", "卫生院", "卫生室", "诊室", "图书馆", "书屋", "书院",
                    "大棚", "温室", "场馆", "活动中心", "服务中心", "工作室", "工作站", "基地", "示范点", "园区",
                    "病房", "教室", "宿舍", "住房", "养老院", "实验室", "车间", "厂房", "生产线", "专列")),
    ("beneficiaries", ("户", "家庭", "学生", "患者")),
]
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
COUNTER_KINDS = {"所": "facilities", "座": "facilities", "家": "enterprises", "项": "projects"}

SECTORS = [
    ("health", ("医院", "医疗", "卫生", "患者", "义诊", "诊疗", "医生", "中医", "病房", "健康", "巡诊", "妇幼", "药")),
    ("education", ("学校", "教育", "教师", "学生", "小学", "中学", "幼儿园", "教学", "校", "课", "学位", "学子", "高考")),
    ("trade", ("销售", "消费", "商城", "农产品出疆", "疆品", "外销", "产销", "购销", "电商平台", "物流")),
    ("culture", ("文化", "旅游", "游客", "文物", "博物馆", "图书", "艺术", "非遗", "书画", "戏曲", "剧", "文旅",
                 "演出", "国学", "书院", "书屋", "专列", "文献")),
    ("exchange", ("交流", "交往", "交融", "研学", "结对", "结亲", "手拉手", "夏令营", "冬令营", "三交")),
    ("employment", ("就业", "技能培训", "职业技能", "岗位", "务工", "创业", "职教", "待业")),
    ("agriculture", ("农业", "种植", "养殖", "蔬菜", "畜牧", "林果", "农牧", "棉", "玉米", "葡萄", "羊", "牛",
                     "农技", "大棚", "温室", "农民", "果", "亩", "合作社", "棚")),
    ("talent", ("干部", "人才", "专家", "柔性", "智力", "院士", "技术服务")),
    ("livelihood", ("民生", "住房", "养老", "党群", "基础设施", "安居", "饮水", "供暖", "道路", "社区", "医养",
                    "基层")),
    ("industry", ("产业", "企业", "工业", "园区", "招商", "项目", "投产", "产值", "生产线", "工厂", "厂",
                  "纺织", "能源", "煤", "化工", "制造", "电力", "机组")),
]
HEADING_SECTORS = [
    ("health", ("医疗",)), ("education", ("教育",)), ("culture", ("文化", "文旅")),
    ("employment", ("就业",)), ("industry", ("产业",)), ("livelihood", ("民生",)),
    ("talent", ("智力", "人才")), ("exchange", ("交流", "三交")), ("trade", ("消费",)),
]
KIND_DEFAULT_SECTORS = {
    "cadres": "talent",
    "trainees": "talent",
    "output_value": "industry",
    "enterprises": "industry",
    "investment": "industry",
}


@dataclass(frozen=True)
class Classification:
    kind: str
    sector: str
    kind_sure: bool
    sector_sure: bool


def classify(unit_family: str, unit: str, after: str, before: str, clause: str,
             sentence: str, heading: str = "") -> Classification:
    """Kind from the unit and the nearest cue words; sector from the clause, then wider context."""
    kind, kind_sure = _kind(unit_family, unit, after, before, clause, sentence)
    sector, sector_sure = _sector(kind, after + before, clause, sentence, heading)
    return Classification(kind, sector, kind_sure, sector_sure)


def _kind(unit_family, unit, after, before, clause, sentence) -> tuple[str, bool]:
    if unit_family in UNIT_FAMILY_KINDS:
        return UNIT_FAMILY_KINDS[unit_family], True
    table = {"money": MONEY_KINDS, "people": PEOPLE_KINDS, "person_times": PEOPLE_KINDS}.get(unit_family, COUNT_KINDS)
    # The noun right after the figure ("3000多个就业岗位") names it best, then the words
    # just before it ("实施援疆项目184个"), then the clause and the sentence.
    for window in (after, before, clause, sentence):
        found = _first_cue(table, window)
        if found:
            return found, window in (after, before)
    if unit in COUNTER_KINDS:
        return COUNTER_KINDS[unit], False
    if unit_family == "money":
        return "funding", False
    if unit_family in ("people", "person_times"):
        return "beneficiaries", False
    return "other", False


def _first_cue(table, text: str) -> str | None:
    """The highest-priority kind with a cue in the text (tables are in priority order)."""
    for kind, cues in table:
        if any(cue in text for cue in cues):
            return kind
    return None


def _sector(kind, near, clause, sentence, heading) -> tuple[str, bool]:
    for window in (near, clause):
        for sector, cues in SECTORS:
            if any(cue in window for cue in cues):
                return sector, True
    if kind in KIND_DEFAULT_SECTORS and kind not in ("trainees",):
        return KIND_DEFAULT_SECTORS[kind], True
    for sector, cues in SECTORS:
        if any(cue in sentence for cue in cues):
            return sector, False
    for sector, cues in HEADING_SECTORS:
        if any(cue in heading for cue in cues):
            return sector, False
    return KIND_DEFAULT_SECTORS.get(kind, "general"), False
