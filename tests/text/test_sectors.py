"""Sector on real reporting: what the money or people are for (docs/annotation.md, Sector). Each sentence stands
for a family of phrasings seen in at least two published texts, not one article."""

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
