"""Figures found, filtered, classified and attributed on short sentences in the style of aid news."""

import datetime
from decimal import Decimal

import pytest

from articles.text.extract import extract_article
from articles.text.gazetteer import Gazetteer
from articles.text.split import ArticleDraft, ParagraphDraft


def article(*paragraphs: str, title: str = "", headings: tuple[int, ...] = ()) -> ArticleDraft:
    return ArticleDraft(
        title=title, title_original=title, publisher="", published=datetime.date(2024, 6, 1), dateline="",
        byline="", script="simplified", original_text="\n".join(paragraphs),
        paragraphs=[ParagraphDraft(i, text, text, "heading" if i in headings else "body")
                    for i, text in enumerate(paragraphs)],
        is_aid=True, aid_score=1.0, dropped=[],
    )


def figures(*paragraphs: str, **kwargs) -> dict:
    return {m.number_text: m for m in extract_article(article(*paragraphs, **kwargs))}


def area_name(slug):
    return Gazetteer.load().areas[slug]["name_zh"] if slug else None


# --- what is not a figure --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2023年以来，山东援疆工作指挥部持续推进项目建设。",               # a year
    "58岁的福海县牧民叶尔兰在湖边开起了牧家乐。",                      # an age
    "“95后”职工艾力已经开始了一天的工作。",                            # a cohort
    "河北省第十批援疆干部人才进疆以来成效明显。",                      # an ordinal batch
    "学校已建成5G智慧教室，成立初高中“1+3”试点班和3D打印室。",        # names with digits
    "咨询电话0991-1234567，邮编830000。",                             # phone and post code
    "在海拔3100米的塔县，气温连日超过40摄氏度。",                      # scene-setting
    "19个援疆省市紧扣以就业为导向的目标。",                           # the scheme's structure
    "“房子新了，两个孩子都在家门口上学。”居民马秀兰说。",             # a family
    "项目总投资2.7亿元，建设期3年，分3期完成。",                      # construction phases (the sum stays)
    "山东省先后两次选派87名乡镇援疆干部。",                           # a frequency before the real figure
])
def test_not_figures(text):
    found = figures(text)
    assert not ({"2023年", "58岁", "95后", "第十批", "5G", "1+3", "3D", "3100米", "40摄氏度", "19个", "两个",
                 "3期", "两次"} & set(found))


def test_the_real_figure_beside_a_non_figure_is_kept():
    found = figures("项目总投资2.7亿元，建设期3年，分3期完成。", "山东省先后两次选派87名乡镇援疆干部。")
    assert set(found) == {"2.7亿元", "87名"}


def test_statistics_of_a_whole_city_are_not_aid_figures():
    found = figures("另据吐鲁番市统计局数据，今年上半年，吐鲁番市接待游客1386万人次，实现旅游收入151.3亿元。",
                    "全市葡萄种植面积稳定在55万亩左右。")
    assert found == {}


def test_a_whole_county_reached_by_aid_is_kept():
    found = figures("南通医疗援疆开展巡回义诊，实现全县20个乡镇全覆盖，受益群众2500余人次。")
    assert set(found) == {"20个", "2500余人次"}


def test_the_same_percentage_for_two_purposes_is_two_figures():
    found = extract_article(article("19个援疆省市坚持每年将援疆资金总量的80%用于县及县以下、80%用于民生。"))
    assert [(m.number_text, m.sector, m.province) for m in found] == [("80%", "general", None),
                                                                      ("80%", "livelihood", None)]


# --- kinds -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number, kind", [
    ("福建安排援疆资金6.2亿元。", "6.2亿元", "funding"),
    ("全额投资8000万元建成投用的晋阜小学。", "8000万元", "funding"),
    ("全年引进福州企业12家、到位资金9.8亿元。", "9.8亿元", "investment"),
    ("项目总投资1950万元。", "1950万元", "investment"),
    ("园区企业去年实现产值7.6亿元。", "7.6亿元", "output_value"),
    ("现在每月能拿五千多元。", "五千多元", "income"),
    ("为枣农提供价格风险保障，保险保障金额9.29亿元。", "9.29亿元", "other"),
    ("助学计划资助困难学生1150名，每人每年补助1500元。", "1500元", "other"),
    ("选派干部人才217名。", "217名", "cadres"),
    ("培训企业职工8000余名。", "8000余名", "trainees"),
    ("组织巴州130名中小学校长、骨干教师赴石家庄挂职学习。", "130名", "trainees"),
    ("以“传帮带”为抓手，帮助14名结对的当地教师提升了教学水平。", "14名", "trainees"),
    ("厂里目前有员工1260名。", "1260名", "jobs"),
    ("解决了3000多名职工待业难题。", "3000多名", "jobs"),
    ("组织3300余名受援地干部、民族代表到山东交流研学。", "3300余名", "beneficiaries"),
    ("32趟专列引客入疆1.98万人次。", "1.98万人次", "other"),
    ("带动13家户外体育用品生产企业落户。", "13家", "enterprises"),
    ("打造外销平台18家。", "18家", "other"),
    ("建成合作社5个、标准化养殖小区4个。", "4个", "facilities"),
    ("新增病床200张。", "200张", "facilities"),
    ("专家团队完成手术一千二百余台。", "一千二百余台", "beneficiaries"),
    ("新增学位约900个。", "约900个", "beneficiaries"),
    ("彻底解决了周边11个行政区孩子上学远的问题。", "11个", "beneficiaries"),
    ("山西17个县区与受援地结对共建。", "17个", "other"),
    ("开展新技术新项目37项。", "37项", "other"),
    ("出栏肉羊6.75万只。", "6.75万只", "production"),
    ("一场直播就能卖出十多吨。", "十多吨", "other"),
    ("截至5月底已开工21个。", "21个", "projects"),
])
def test_kind(text, number, kind):
    assert figures(text)[number].kind == kind


# --- sectors ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number, sector", [
    ("今年江西在阿克陶县安排援疆资金3.8亿元，实施项目45个，民生项目资金占比超过85%。", "45个", "general"),
    ("今年江西在阿克陶县安排援疆资金3.8亿元，实施项目45个，民生项目资金占比超过85%。", "超过85%", "livelihood"),
    ("东营援疆指挥部投入援疆资金420余万元，对塔孜洪乡卫生院进行了改造。", "420余万元", "health"),
    ("天津今年安排援疆资金约3.2亿元，其中七成以上用于安居富民、教育和医疗。", "约3.2亿元", "general"),
    ("新能源、煤化工等项目带动就业4200人。", "4200人", "employment"),
    ("帮助1100余名团场职工实现转移就业。", "1100余名", "employment"),
    ("河北援疆资金支持建成日光温室600座，吸纳当地职工就业400多人。", "400多人", "employment"),
    ("湖南还先后选派援疆医生、教师三百多名。", "三百多名", "talent"),
    ("辽宁共选派援疆干部人才312名，其中教师130名、医生75名。", "75名", "health"),
    ("培训受援地群众9万余人次。", "9万余人次", "employment"),
    ("年加工红枣5万吨以上。", "5万吨以上", "industry"),
    ("“大仓东移”助力新疆农产品出疆销售额突破10.1亿元。", "突破10.1亿元", "trade"),
    ("2020年我省第四批援疆干部人才进疆以来，实施援疆项目184个。", "184个", "general"),
])
def test_sector(text, number, sector):
    assert figures(text)[number].sector == sector


# --- donors ----------------------------------------------------------------------------------------------------

def test_donor_named_in_the_sentence_wins_over_the_article():
    found = figures("山西援疆成效明显。", "山东援疆指挥部推动年产30万吨钛白粉项目在上海对口支援的巴楚县签约落地。")
    assert (found["30万吨"].province, area_name(found["30万吨"].area)) == ("shandong", "巴楚县")


def test_donor_from_an_earlier_paragraph_and_city_team_to_its_province():
    found = figures("江苏援伊·南通工作组围绕产业谋篇布局。", "工作组组织3个项目现场签约，计划总投资2亿元。")
    assert (found["2亿元"].province, found["2亿元"].donor_city, area_name(found["2亿元"].area)) == \
        ("jiangsu", "nantong", "伊宁县")


def test_donor_from_the_pairing_table_when_none_is_named():
    found = figures("今年，第五师共安排对口援疆项目24个。", "师市还组织职工技能培训48期，培训各类人员3100人次。")
    assert [(found[n].province, area_name(found[n].area)) for n in ("24个", "3100人次")] == \
        [("hubei", "第五师"), ("hubei", "第五师")]


def test_national_rule_has_no_donor():
    assert figures("19个援疆省市坚持每年将援疆资金总量的80%用于民生。")["80%"].province is None


# --- areas -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("paragraphs, number, area", [
    (("今年辽宁安排塔城地区和兵团第八师援疆资金共计7.9亿元。",), "7.9亿元", None),            # spans units
    (("2023年广东共安排疏附县、伽师县援疆资金8.6亿元。",), "8.6亿元", "喀什地区"),            # common unit
    (("在塔城地区沙湾市，辽宁援建的产业园已入驻企业23家。",), "23家", "沙湾市"),               # most specific
    (("在阿拉尔市，浙江引进的纺织服装企业已有十余家。",), "十余家", "第一师"),                   # 师市合一
    (("在喀什市阿克喀什乡，上海援疆引入的公司改良盐碱地。科学配比下，200亩玉米苗破土而出。",), "200亩", "喀什市"),
    (("在策勒县，天津援建的医院新住院楼完成主体施工。今年天津援疆医疗队已派出专家26名。在于田县，天津安排援疆资金约3.2亿元。",),
     "26名", "策勒县"),                                                                         # scene of the paragraph
    (("在托克逊县，湖南援建的住房共计960套。湖南还先后选派援疆医生、教师三百多名。",), "三百多名", "吐鲁番市"),
    (("在高昌区亚尔镇湘吐产业园，工人们正加紧赶制订单。", "湖南援疆工作队进疆以来，湘吐产业园已入驻企业28家。"),
     "28家", "高昌区"),                                                                         # a place and its area
    (("深圳市援疆前方指挥部介绍，今年共安排援疆项目62个。",), "62个", "喀什地区"),             # donor's one unit
    (("山西省援疆前方指挥部实施援疆项目184个。",), "184个", None),                              # donor spans units
    (("本报喀什5月19日电 深圳今年共安排援疆项目62个。",), "62个", "喀什地区"),                 # dateline is no area
    (("今年3月，山西好滴科技生产线项目落户昌吉州奇台县。该项目总投资2.7亿元。",), "2.7亿元", "奇台县"),
])
def test_area(paragraphs, number, area):
    assert area_name(figures(*paragraphs, title="湖南援疆托起吐鲁番群众的幸福")[number].area) == area


def test_a_paragraph_naming_nothing_continues_the_one_before():
    found = figures("在和田市产业园区一家纺织企业的细纱车间里，女工指尖翻飞。",
                    "“现在平均每个月工资有3500元左右。”她笑着说。")
    assert (found["3500元左右"].province, area_name(found["3500元左右"].area)) == ("beijing", "和田市")


def test_a_heading_ends_the_scene():
    found = figures("在和田市产业园区一家纺织企业的细纱车间里，女工指尖翻飞。", "从人援到智援",
                    "各类人才工作站已培训当地人才200余人次。", headings=(1,))
    assert found["200余人次"].area is None


def test_value_and_confidence_are_kept():
    found = figures("今年天津援疆医疗队已派出专家26名。")["26名"]
    assert (found.value, found.unit, found.kind, found.sector) == (Decimal(26), "人", "cadres", "health")
    assert 0 < found.confidence <= 0.99


# --- how far along (issue 12) -----------------------------------------------------------------------------

def test_each_figure_carries_its_stage():
    found = figures("今年江苏省拟安排援疆资金3亿元。", "上海累计投入援疆资金12亿元。")
    assert (found["3亿元"].stage, found["12亿元"].stage) == ("planned", "achieved")


def test_a_plan_heading_carries_to_the_list_under_it():
    found = figures("2025年援疆计划", "教育类项目15个，援疆资金1.1亿元。", headings=(0,))
    assert (found["15个"].stage, found["1.1亿元"].stage) == ("planned", "planned")


def test_a_fact_stated_twice_takes_the_most_advanced_stage_the_article_gives_it():
    drafts = extract_article(article(
        "今年江苏省计划实施援疆项目40个，援疆资金3亿元。",
        "截至目前，这40个援疆项目已全部开工。",
    ))
    projects = [d for d in drafts if d.kind == "projects"]
    assert [(d.paragraph, d.stage) for d in projects] == [(0, "achieved")]


# --- kinds seen on real reporting (issue 11, round 3) ---------------------------------------------------------

@pytest.mark.parametrize("text, number, kind", [
    # 投资 as the donor's own verb, no firm in sight: aid money spent.
    ("辽宁预拨援疆资金近2亿元。在民生方面，投资1.7亿元，开展灾后住宅重建项目。", "1.7亿元", "funding"),
    ("以三个沉砂池建设为重点。投资2800万元建好七十七、七十六、六十一三个团场的沉砂池。", "2800万元", "funding"),
    # A project's total, its progress, a firm's capital, a sum describing what follows: investment.
    ("该项目总投资8000万元，占地面积60亩。", "8000万元", "investment"),
    ("援疆项目累计完成投资17.2亿元。", "17.2亿元", "investment"),
    ("西部水泥集团投资17.6亿元建设水泥项目。", "17.6亿元", "investment"),
    ("投资8000万元、今年5月投入使用的晋阜小学解决了孩子上学难的问题。", "8000万元", "investment"),
    # 台 counts machines handed over as well as surgeries: the cue decides.
    ("购置垃圾清运车辆8台。", "8台", "other"),
    ("为贫困户发放278台缝纫机。", "278台", "other"),
    ("专家开展手术550余台。", "550余台", "beneficiaries"),
])
def test_kind_on_real_reporting(text, number, kind):
    assert figures(text)[number].kind == kind
