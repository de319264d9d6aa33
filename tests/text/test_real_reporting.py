"""Classes of real reporting the extractor must read right: national totals, the corps as a whole, a sentence
that splits money between areas, the recipient's own statistics, durations, batches, slogans, and one fact
stated twice. Each sentence stands for a family of phrasings (see docs/annotation.md), not one article."""

import pytest

from articles.text.extract import extract_article
from tests.text.test_extract import article, figures

# --- national and multi-donor totals ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "截至9月底，19个援疆省市援疆资金到疆110.1亿元，其中：湖南、浙江超额完成年初计划。",
    "今年以来，各对口援疆省市安排援疆资金近200亿元，江苏、广东安排最多。",
])
def test_a_total_of_all_donors_stays_unattributed_even_when_donors_are_named_after_it(text):
    money = next(m for m in figures(text).values() if m.unit_family == "money")
    assert money.province is None and money.area is None


def test_a_national_report_does_not_lend_its_examples_donor_to_later_figures():
    found = figures(
        "19个援疆省市援疆资金到疆110.1亿元，其中：湖南、浙江超额完成年初计划。",
        "援疆项目已开工1076个，开工率达到97.8%。",
    )
    assert found["1076个"].province is None


def test_a_paragraph_about_one_donor_keeps_its_donor():
    found = figures("湖南援疆前方指挥部今年在吐鲁番市实施项目35个。", "项目累计完成投资4.2亿元。")
    assert found["4.2亿元"].province == "hunan"


# --- the corps as a whole, and a sentence splitting money between areas ---------------------------------------

def test_a_figure_of_the_whole_corps_is_the_corps_and_has_no_one_donor():
    found = figures("天津援疆前方指挥部在和田地区开展工作。", "兵团共实施援疆项目320个，完成投资56亿元。")
    assert found["320个"].area == "bingtuan" and found["320个"].province is None


def test_each_figure_takes_the_area_its_own_clause_names():
    found = figures("2024年，阿克苏地区安排援疆资金3亿元，第一师安排援疆资金1.2亿元。")
    assert found["3亿元"].area == "akesu-diqu"
    assert found["1.2亿元"].area == "bingtuan-1shi"


# --- numbers that are not aid figures ----------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("在对口省市的大力推动下，和田地区实现地区生产总值580亿元，年均增长8.5%。", "580亿元"),
    ("在对口省市的大力推动下，和田地区实现地区生产总值580亿元，年均增长8.5%。", "8.5%"),
    ("全地区一般公共预算收入45亿元，固定资产投资增长12%。", "45亿元"),
    ("全县户籍人口25万人，总面积2.5万平方公里。", "25万人"),
    ("援疆干部们在这里度过了1000多个日日夜夜。", "1000多个"),
    ("天津先后选派3批120名干部人才。", "3批"),
    ("落实“五位一体”工作机制，实现“四个全覆盖”。", "五位"),
    ("落实“五位一体”工作机制，实现“四个全覆盖”。", "四个"),
    ("江苏13个设区市对口支援伊犁州。", "13个"),                        # who is paired with whom
    ("湖北对口支援的第五师有11个团场和3个乡镇。", "3个"),
    ("研究制定了6个方面的工作举措，共12类援疆项目。", "6个"),           # the outline of a plan
    ("研究制定了6个方面的工作举措，共12类援疆项目。", "12类"),
    ("综保区实现进出口贸易额191亿元。", "191亿元"),                     # the zone's own trade
    ("全市生产总值比2010年增长83.5%。", "83.5%"),                       # growth of the place
    ("江苏作为首批8个援疆省(市)之一，负责对口支援伊犁、阿勒泰、塔城3个地区。", "8个"),  # the scheme's structure
    ("江苏作为首批8个援疆省(市)之一，负责对口支援伊犁、阿勒泰、塔城3个地区。", "3个"),
    ("援疆范围扩展为新疆生产建设兵团2个师，江苏成为唯一设有2个前方指挥部的省份。", "2个"),
    ("河北援建的大棚种上茶树菇，销售价格大约在每公斤12元。", "12元"),   # a price, not money put in
    ("山西省代表团考察了五家渠和第六师的援疆项目。", "五家"),           # a numeral inside a place's name
])
def test_numbers_that_are_not_aid_figures(text, number):
    assert number not in figures(text)


def test_places_a_facility_serves_are_still_a_figure():
    assert "11个" in figures("学校建成后惠及周边11个乡镇的孩子。")


def test_people_from_townships_are_still_a_figure():
    assert figures("选派87名乡镇援疆干部。")["87名"].kind == "cadres"


def test_the_people_of_the_batches_are_still_a_figure():
    assert figures("天津先后选派3批120名干部人才。")["120名"].kind == "cadres"


def test_growth_of_aid_itself_is_still_a_figure():
    assert "20%" in figures("上海援疆资金同比增长20%。")


# --- one fact stated twice ---------------------------------------------------------------------------------

def test_a_lead_restating_the_body_total_is_one_figure():
    drafts = extract_article(article(
        "福建今年安排援疆资金5.2亿元。",
        "福建援疆前方指挥部介绍，2024年福建安排昌吉州援疆资金5.2亿元，实施项目48个。",
    ))
    money = [d for d in drafts if d.unit_family == "money"]
    assert len(money) == 1
    assert money[0].paragraph == 1  # the mention that names the area stays


def test_a_restated_project_count_is_one_figure_whatever_words_surround_each_mention():
    drafts = extract_article(article(
        "湖南援疆项目开工86个，涵盖教育、医疗等领域。",
        "今年以来，湖南在吐鲁番市推进产业发展，援疆项目开工86个。",
    ))
    assert len([d for d in drafts if d.kind == "projects"]) == 1


def test_equal_shares_and_small_counts_are_not_taken_for_one_fact():
    drafts = extract_article(article(
        "上海援疆资金80%用于民生。", "上海援疆资金80%投向基层。",
    ))
    assert len([d for d in drafts if d.unit == "%"]) == 2


# --- figures held for review ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number, held", [
    ("2024年，北京安排和田县援疆资金580亿元。", "580亿元", True),       # a county, more than all donors' year
    ("2024年，上海安排援疆资金300亿元。", "300亿元", True),             # one donor, one year, the same
    ("2010年以来，上海累计安排援疆资金300亿元。", "300亿元", False),     # many years: can be true
    ("2024年，北京安排和田县援疆资金5.8亿元。", "5.8亿元", False),
    ("援疆资金的120%用于民生。", "120%", True),                        # a share cannot pass 100%
    ("援疆资金完成率108.4%。", "108.4%", False),                       # progress against a plan can
    ("农民人均收入增长120%。", "120%", False),                          # so can growth
])
def test_implausible_figures_are_held_for_review(text, number, held):
    assert bool(figures(text)[number].hold) is held


# --- where a ceremony was held ------------------------------------------------------------------------------

def test_a_meeting_place_is_no_recipient_when_the_text_names_the_area_aided():
    found = figures("项目集中开工活动在伊宁县家纺服装产业园举行，标志着对口支援伊犁州工作全面展开。",
                    "今年共安排援疆资金18.12亿元。")
    assert found["18.12亿元"].area == "yili-zhou"


def test_a_ceremony_in_the_only_place_named_is_that_place():
    found = figures(
        "3月24日，在山东省对口支援的新疆喀什地区英吉沙县举行的产业项目集中开工仪式上，共有33个产业项目集中动工。"
    )
    assert found["33个"].area == "yingjisha-xian"


# --- issue 11, second wave (real2.jsonl) -----------------------------------------------------------------------

def test_a_paragraph_listing_many_donors_lends_none_of_them_to_its_figures():
    found = figures("今年援疆资金到疆新增103.1亿元，已开工943个。全部开工的有13个省市，分别为江苏省、湖北省、安徽省。")
    assert found["103.1亿元"].province is None and found["103.1亿元"].area is None


def test_a_dateline_ending_in_xun_is_where_the_reporter_was_not_where_the_aid_went():
    found = figures("浙江在线阿克苏7月4日讯 浙江省援疆项目累计完成投资17.2亿元，实施项目136个。")
    assert found["17.2亿元"].area is None


@pytest.mark.parametrize("text, number", [
    ("北京援疆投资近一亿元改造和田市一、二水厂，完工后一水厂日产水5万吨。", "5万吨"),
    ("山西援建垃圾处理厂12个。", "12个"),
    ("县城镇棚户区改造总投资上亿元，改造棚户区600户。", "600户"),
])
def test_public_utilities_are_livelihood_not_industry_or_farming(text, number):
    assert figures(text)[number].sector == "livelihood"


# --- issue 11, third wave ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "围绕喀什地区“十大产业”，对接洽谈项目141个，签约落地17个。",     # the prefecture's strategy
    "积极落实省代表团考察喀什工作部署，完成白内障手术治疗290例。",      # a visit to the prefecture
])
def test_a_prefecture_named_in_passing_leaves_the_figure_to_the_county_the_article_is_about(text):
    found = figures("东营援疆指挥部今年推动疏勒县产业发展。", text, title="东营援疆指挥部助力疏勒县发展")
    number = next(n for n in found if n in text)
    assert found[number].area == "shule-xian"


@pytest.mark.parametrize("text", [
    "喀什地区共实施援疆项目120个。",
    "在喀什地区，共实施援疆项目120个。",
    "广东在喀什地区新建、改扩建各类学校120个。",    # r3_19: the place after the locative 在 is the scene
])
def test_a_prefecture_that_opens_the_sentence_is_the_figure_s_own_area(text):
    found = figures("东营援疆指挥部今年推动疏勒县产业发展。", text, title="东营援疆指挥部助力疏勒县发展")
    assert found["120个"].area == "kashi-diqu"


def test_a_county_named_in_full_earlier_in_the_paragraph_is_more_specific_than_the_article_s_prefecture():
    found = figures("天津市对口支援和田地区策勒、于田、民丰三县。",
                    "沙进人退的策勒县变沙为宝。天津建设的食用菌示范园截至2月底已建成大棚360座。",
                    title="天津产业援疆在和田地区建树多")
    assert found["360座"].area == "cele-xian"


def test_a_county_inside_a_name_lends_the_paragraph_no_area():
    found = figures("山东援疆工作指挥部在喀什地区开展工作。",
                    "“郭牌西瓜”疏勒万亩生产基地顺利投产。开展红枣“保险+期货”项目，为14019户枣农提供保障。",
                    title="山东援疆助力喀什地区发展")
    assert found["14019户"].area == "kashi-diqu"


@pytest.mark.parametrize("number", ["8000万元", "60亩", "1.5万平方米"])
def test_a_project_referred_back_to_takes_the_sector_of_the_school_named_before(number):
    found = figures("由山西援建的晋阜小学进入收尾阶段。该项目总投资8000万元，占地面积60亩，总建筑面积1.5万平方米。")
    assert found[number].sector == "education"


def test_a_site_measured_in_mu_is_no_farmland_by_its_unit_alone():
    assert figures("援建的物流园占地面积120亩。")["120亩"].sector != "agriculture"


@pytest.mark.parametrize("text, number", [
    ("深圳发挥在经济、贸易、技术、人才、开放等方面的优势，累计投入援疆资金126.56亿元。", "126.56亿元"),
    ("河南开展技术帮扶、装备支持、人才培训等合作项目200余项。", "200余项"),
    ("深圳组织实施产业、教育、医疗、文化旅游等各类援疆项目664个。", "664个"),
])
def test_a_programme_total_named_with_a_broad_list_is_general(text, number):
    assert figures(text)[number].sector == "general"


def test_a_list_of_works_of_one_sector_keeps_that_sector():
    assert figures("山西实施饮水、供热、供气等工程35项。")["35项"].sector == "livelihood"


@pytest.mark.parametrize("text, number", [
    ("辽宁开展7620户灾后住宅重建项目。", "7620户"),
    ("丽水援建改造棚户区600户。", "600户"),
])
def test_houses_built_or_renewed_for_households_are_facilities(text, number):
    assert figures(text)[number].kind == "facilities"


# --- issue 11, fifth round (real3.jsonl: multi-donor texts and a donor's recipients together) ------------------

def test_a_paragraph_about_the_donor_s_recipients_together_is_their_common_unit_not_the_article_s_county():
    found = figures("坐落在英吉沙县的山东水泥厂正式投产，这是山东最大的产业援疆项目。",
                    "山东省投入援疆资金10.83亿元。山东省还帮助疏勒、岳普湖、英吉沙、麦盖提四县建设工农业园区。"
                    "截至目前，帮助四县落地产业项目201项。",
                    title="山东英吉沙水泥厂投产")
    assert found["10.83亿元"].area == "kashi-diqu" and found["201项"].area == "kashi-diqu"


def test_the_recipients_together_of_a_donor_paired_across_units_are_no_one_area():
    found = figures("广东省一共投入援疆资金432亿元，实施援疆项目674个，拉动5个受援县（师市）经济发展。",
                    title="十张图解读广东援疆：如何在喀什重现深圳速度")
    assert found["432亿元"].province == "guangdong" and found["432亿元"].area is None


def test_the_counties_a_paragraph_counts_can_be_those_named_in_the_title():
    found = figures("广东第十一批援疆教师共有186名在两县任教。", title="广东援疆：疏附伽师两县交出亮眼答卷")
    assert found["186名"].area == "kashi-diqu"


@pytest.mark.parametrize("text, number", [
    ("山西省援疆前方指挥部、福建省援疆前方指挥部今天通报，两省今年援疆资金合计4.66亿元。", "4.66亿元"),
    ("明年福建、山西两省计划实施援建项目62项。", "62项"),
])
def test_donors_counted_together_give_their_figures_no_donor(text, number):
    assert figures(text)[number].province is None


def test_a_donor_and_its_team_are_not_donors_counted_together():
    found = figures("山东济宁援疆工作指挥部在英吉沙县实施项目12个，两省市干部共同参与。")
    assert found["12个"].province == "shandong"


def test_the_whole_country_as_a_yardstick_is_no_national_total():
    found = figures("山东省援疆的14个民生项目在喀什陆续开工。其中，英吉沙县宁园新城建设项目是目前全国最大的县级"
                    "棚户区改造项目，可以安置7000多人居住。")
    assert found["7000多人"].province == "shandong"


# --- issue 11, sixth wave ---------------------------------------------------------------------------------------

def test_a_donor_city_team_gives_its_figures_the_province():
    found = figures("江苏援伊·淮安工作组拨付资金405万元。镇江援疆工作组投入资金200万元。宁德市投入资金1000万元。")
    assert [found[n].province for n in ("405万元", "200万元", "1000万元")] == ["jiangsu", "jiangsu", "fujian"]


@pytest.mark.parametrize("text, number", [
    ("河北援建铺设供水管网170公里。", "170公里"),
    ("福建援疆资金改造全村11公里巷道。", "11公里"),
])
def test_the_length_of_something_built_is_a_facility(text, number):
    assert figures(text)[number].kind == "facilities"


def test_a_firm_s_profits_and_taxes_are_no_output_and_no_aid():
    found = figures("山东援建的水泥厂投产后实现产值12亿元、利税3.8亿元。")
    assert (found["12亿元"].kind, found["3.8亿元"].kind) == ("output_value", "other")


@pytest.mark.parametrize("text, number", [
    ("山东援建43个项目，将带动就业5800个。", "5800个"),
    ("北京援建产业园，可提供近1万个就业岗位。", "近1万个"),
])
def test_jobs_counted_without_the_word_post_are_jobs(text, number):
    assert figures(text)[number].kind == "jobs"


def test_donors_counted_together_still_give_their_figures_the_area_the_article_is_about():
    found = figures("山西省援疆前方指挥部、福建省援疆前方指挥部今天通报，两省今年援疆资金合计4.66亿元。\n"
                    "昌吉州党委书记介绍，昌吉州各部门将协助各县市加快办理项目手续。")
    assert (found["4.66亿元"].province, found["4.66亿元"].area) == (None, "changji-zhou")


def test_a_national_total_takes_no_area_from_the_article():
    found = figures("19个援疆省市今年援疆资金到位110亿元。\n喀什地区各县市加快推进援疆项目建设。")
    assert found["110亿元"].area is None


def test_a_donor_paired_across_units_takes_the_one_unit_its_article_names():
    # 广东 supports 疏附县, 伽师县 and 第三师; an article naming only 第三师 is about it, past its headings.
    found = figures("广东援疆驻兵团第三师工作队扎根三师，砥砺前行。", "打造援疆项目新亮点",
                    "两年来，广东援疆工作队安排对口援疆资金超17亿元，启动超130个项目。", headings=(1,))
    assert (found["超17亿元"].area, found["超130个"].area) == ("bingtuan-3shi", "bingtuan-3shi")


@pytest.mark.parametrize("text, number, kind", [
    ("上海与喀什地区签订25项企业间投资协议，总计意向投资金额101.36亿元。", "101.36亿元", "investment"),
    ("此次天津签约22个项目中，一产项目5.1亿元，二产项目3亿元。", "5.1亿元", "investment"),
    ("厦门援疆医生累计接诊12642人次。", "12642人次", "beneficiaries"),
    ("福建投入2385万元建设双河村、团结路社区等6个村(社区)基层阵地。", "6个", "facilities"),
    ("安徽援建的企业建成投产后助力脱贫540余人。", "540余人", "beneficiaries"),
])
def test_kind_follows_what_the_figure_counts(text, number, kind):
    assert figures(text)[number].kind == kind


def test_a_programme_s_first_task_names_no_sector_of_its_figures():
    found = figures("深圳援疆工作把打赢脱贫攻坚战作为当前的首要任务，今年援建喀什的38个项目已开工36个。")
    assert found["38个"].sector == "general"
    assert figures("安徽援建的企业建成投产后助力脱贫540余人。")["540余人"].sector == "livelihood"


def test_a_donor_s_figures_take_the_one_county_its_article_names_within_the_donor_s_areas():
    # 福建's areas all lie in 昌吉州; an article naming only a town of 呼图壁县 is about 呼图壁县.
    found = figures("2017至2019年，宁德市援疆项目14个，安排援疆资金3690万元。",
                    "记者来到新疆维吾尔自治区昌吉回族自治州二十里店镇二十里店村。",
                    title="宁德打造援疆重点特色项目“闽疆生态文化村”")
    assert (found["14个"].area, found["3690万元"].area) == ("hutubi-xian", "hutubi-xian")


def test_the_corps_as_subject_carries_past_a_semicolon_to_the_full_stop():
    found = figures("据新疆生产建设兵团信息，2018年，新疆兵团计划实施对口援疆项目300个，开工率达79.67%；"
                    "累计完成投资10.39亿元，投资完成率32.4%；到位援疆资金16.13亿元。")
    assert {found[n].area for n in ("300个", "10.39亿元", "16.13亿元")} == {"bingtuan"}
