"""Sector on real reporting: what the money or people are for (docs/annotation.md, Sector). Each test stands for a
class of phrasings seen in at least two published texts of the development sets, not for one article."""

import pytest

from tests.text.test_extract import figures

# --- names and givers are no sector --------------------------------------------------------------------------

def test_the_corps_full_name_names_no_factory():
    text = "据新疆生产建设兵团信息，2018年，新疆兵团计划实施对口援疆项目300个，总投资32.06亿元。"
    assert figures(text)["32.06亿元"].sector == "general"


def test_firms_named_as_givers_lend_no_industry_to_the_programme_s_total():
    text = "通过政府额外安排及企业、社会捐赠等形式，吸纳额外援助资金超过10亿元。"
    assert figures(text)["超过10亿元"].sector == "general"


def test_money_the_firms_themselves_put_in_stays_industry():
    found = figures("近7年来，广东省一共投入援疆资金432亿元，其中财政性援疆资金155亿元，企业等社会投资277亿元。")
    assert found["277亿元"].sector == "industry"


# --- who benefits is not what reached them ----------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("安排3.14亿元援疆资金用于富民安居、定居兴牧项目，2.8万余户农牧民受益。", "2.8万余户"),
    ("投入6423万元用于住房保障设施提升改造，累计覆盖受益农户4万余户。", "4万余户"),
    ("“家庭圆梦行动”正式启动，125户贫困农牧民实现了“微心愿”。", "125户"),
])
def test_rural_households_served_are_livelihood_not_farming(text, number):
    assert figures(text)[number].sector == "livelihood"


def test_farmers_who_plant_are_agriculture():
    assert figures("每年直接带动当地500户农民种植中草药。")["500户"].sector == "agriculture"


def test_medicinal_herbs_planted_are_a_crop():
    assert figures("江西援疆推动全县5个村种植6300多亩中药材。")["6300多亩"].sector == "agriculture"


# --- a firm's sales are its output; trade is aid to sell Xinjiang's goods ------------------------------------

@pytest.mark.parametrize("number", ["18.54亿元", "4.39亿元"])
def test_a_firm_s_sales_revenue_is_industry(number):
    found = figures("以上项目投产达产后，预计可实现年销售收入18.54亿元、利税4.39亿元。")
    assert found[number].sector == "industry"


def test_sales_through_consumption_aid_are_trade():
    found = figures("依托“粤疆情”消费帮扶平台，伽师新梅去年在广东市场销售额约3.2亿元。")
    assert found["约3.2亿元"].sector == "trade"


# --- a facility's sums take its sector -----------------------------------------------------------------------

@pytest.mark.parametrize("text, number, sector", [
    ("清水河镇的瞻德中学是今年江苏援疆的一项重要内容，学校占地面积189亩，项目总投资1.2亿元。", "1.2亿元", "education"),
    ("昭苏县天马文化园规划面积5.3万亩，建设总面积43000平方米，投入援疆资金5600万元。", "5600万元", "culture"),
])
def test_a_site_s_land_in_mu_does_not_make_its_facility_farmland(text, number, sector):
    assert figures(text)[number].sector == sector


# --- housing programmes, firms, and the people sent or trained -------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("我省累计安排约8.5亿元援疆资金，支持4.5万户“三居”工程建设。", "约8.5亿元"),
    ("定居兴牧工程计划总投资1.09亿元，其中援疆资金1402.5万元。", "1.09亿元"),
    ("在“两居工程”补助基础上增加7300万元，加大对贫困户补助力度。", "7300万元"),
])
def test_housing_programmes_are_livelihood(text, number):
    assert figures(text)[number].sector == "livelihood"


def test_a_group_s_project_investment_is_industry():
    text = "山东山水集团在英吉沙县投资建设的水泥项目总投资14.2亿元。"
    assert figures(text)["14.2亿元"].sector == "industry"


def test_the_noun_after_a_count_of_people_sent_names_their_sector():
    found = figures("河南首批选派的15名优秀骨干教师、21名医务人员已赴哈密工作。")
    assert (found["15名"].sector, found["21名"].sector) == ("education", "health")


def test_public_health_experts_sent_are_health():
    text = "浦东新区已先后选派75名援疆干部人才（其中，教师28名、公共卫生“三降一提高”专家20名）。"
    assert figures(text)["20名"].sector == "health"


@pytest.mark.parametrize("text, number, sector", [
    ("深圳援疆累计培养产业工人40000人。", "40000人", "employment"),
    ("聘请7名农业科技特派员，全年开展农业技术指导3000余次，培训农民12000人次。", "12000人次", "agriculture"),
])
def test_the_people_trained_name_the_sector(text, number, sector):
    assert figures(text)[number].sector == sector


def test_specialists_sent_for_farming_are_talent_like_other_cadres():
    assert figures("聘请7名农业科技特派员。")["7名"].sector == "talent"


# --- totals of a sentence that lists several sectors -------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("从改善产业发展基础、保障民生、智力援助、人才培养等方面入手，梳理出规划项目85个，计划总投资20多亿元。", "85个"),
    ("从改善产业发展基础、保障民生、智力援助、人才培养等方面入手，梳理出规划项目85个，计划总投资20多亿元。",
     "20多亿元"),
    ("山东省援疆的46个大中型企业项目、14个大型民生项目在喀什陆续开工，总投资达163亿元。", "163亿元"),
    ("开展技术帮扶、装备支持、人才培训等合作项目200余项，计划外支持资金6500多万元。", "6500多万元"),
])
def test_a_total_whose_sentence_lists_several_sectors_is_general(text, number):
    assert figures(text)[number].sector == "general"


def test_a_list_of_the_trades_of_firms_brought_in_is_still_industry():
    text = "工业园集中投产的项目有复合肥、新型建材等涉及农业、建材、原料领域企业15家，总投资5.96亿元。"
    assert figures(text)["5.96亿元"].sector == "industry"


# --- vocabulary of farming and of village works ----------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("黑木耳基地占地面积2万多平方米，达产后可实现年产值1500万元。", "1500万元"),
    ("昭苏县脱毒马铃薯良种繁育基地由泰州工作组投入300万元援疆资金建成。", "300万元"),
])
def test_crops_and_seed_breeding_are_agriculture(text, number):
    assert figures(text)[number].sector == "agriculture"


@pytest.mark.parametrize("text, number", [
    ("辽宁省已预拨塔城地区2011年援建资金近1.7亿元，用于灾后重建和试点项目。", "近1.7亿元"),
    ("“闽疆生态文化村”项目改造全村11公里巷道，并对路面进行沥青硬化。", "11公里"),
    ("马圈湾至鸡心梁牧场的30公里电力管线建设，解决了当地牧民的用电难题。", "30公里"),
])
def test_rebuilding_lanes_and_power_lines_of_villages_are_livelihood(text, number):
    assert figures(text)[number].sector == "livelihood"


@pytest.mark.parametrize("text, number, sector", [
    ("投资8000万元、今年5月投入使用的晋阜小学解决了1620名新疆孩子上学难的问题。", "8000万元", "education"),
    ("投资5600万元、年产1.2亿块页岩砖的钧窑建材有限公司，去年10月在民丰县建成。", "5600万元", "industry"),
])
def test_a_sum_in_front_of_the_name_of_what_it_built_takes_its_sector(text, number, sector):
    assert figures(text)[number].sector == sector


@pytest.mark.parametrize("text, number", [
    ("湖南省已先后派出援疆干部人才1100多人次，实施援疆项目290个，累计投入资金34.7亿元，帮助吐鲁番建成了一大批惠民生项目。",
     "34.7亿元"),
    ("11年来，先后立项实施项目397个，投入援疆资金28.5亿元，新建改造住房近1.5万套。", "28.5亿元"),
])
def test_the_programme_s_sum_after_its_count_of_projects_is_general_whatever_follows(text, number):
    assert figures(text)[number].sector == "general"


def test_a_sum_given_apart_after_a_count_of_projects_keeps_what_it_paid_for():
    text = "工作组落实援建资金1150万元，建设项目3个，市委、市政府还在计划外提供200万元资金，援建了221团住房改造项目。"
    assert figures(text)["200万元"].sector == "livelihood"


@pytest.mark.parametrize("text, number", [
    ("在以保障和改善民生为出发点的基础上，我省预拨援疆资金近2亿元。", "近2亿元"),
    ("镇江市将重点放在改善农四师民生上，2011年安排对口支援农四师资金1.4亿元实施援助项目。", "1.4亿元"),
])
def test_what_the_programme_puts_first_is_no_sector_of_its_totals(text, number):
    assert figures(text)[number].sector == "general"


@pytest.mark.parametrize("text, number", [
    ("湖南援助开工建设安居富民房、城镇廉租房、科技企业孵化中心等52项事关各族群众切身利益的民生工程。", "52项"),
    ("山东省援疆的46个大中型企业项目、14个大型民生项目在喀什陆续开工。", "14个"),
])
def test_the_thing_counted_names_its_sector_over_a_list_before_it(text, number):
    assert figures(text)[number].sector == "livelihood"
