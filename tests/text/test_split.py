"""Tests for splitting the seed files into articles: titles, dates, bylines, publishers, aid or not, debris."""
import datetime
from pathlib import Path

import pytest

from articles.text.split import MAX_PARAGRAPH_CHARS, aid_relevance, split_articles

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _articles(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return split_articles(path.read_text("utf-8"))


def _aid(prefix: str):
    aid = [article for article in _articles(prefix) if article.is_aid]
    assert len(aid) == 1
    return aid[0]


TITLE_000 = "山海同心谱新篇——新时代高质量开展对口援疆工作巡礼"


@pytest.mark.parametrize(
    "prefix, title, published, publisher, byline, dateline",
    [
        ("000", TITLE_000, datetime.date(2025, 7, 8), "石河子日报", "新华社记者 李自良 刘兵 蔡国栋", ""),
        ("001", TITLE_000, None, "新华社", "新华社记者 李自良 刘兵 蔡国栋", "新华社乌鲁木齐7月6日电"),
        ("002", "奋力书写高质量精准援疆新篇章——山西省第四批援疆干部人才工作综述", datetime.date(2023, 5, 3),
         "山西日报", "记者晋帅妮", ""),
        ("003", "鲁疆同心 齐美中华——山东省对口支援喀什地区工作综述", datetime.date(2023, 9, 20), "中新网",
         "霍然 魏路", "中新网新疆新闻9月20日电"),
        ("004", "15个援疆项目全部开工，南通第十一批援疆干部人才晒出首年成绩单——紧握接力棒 跑出新气象", None, "",
         "", ""),
    ],
)
def test_each_seed_has_one_aid_article_with_its_header(prefix, title, published, publisher, byline, dateline):
    article = _aid(prefix)
    assert (article.title, article.published, article.publisher, article.byline, article.dateline) == (
        title, published, publisher, byline, dateline,
    )


@pytest.mark.parametrize("prefix, script", [("000", "simplified"), ("002", "traditional"), ("003", "traditional")])
def test_script_of_the_article(prefix, script):
    assert _aid(prefix).script == script


def test_001_red_tourism_reports_are_separate_and_not_aid():
    articles = _articles("001")
    assert [(a.title, a.is_aid) for a in articles] == [
        (TITLE_000, True),
        ("红色热土 金色“收成”——晋绥革命故土展新颜", False),
        ("烽起“磐石”传薪火——东北抗联创建地的振兴新篇", False),
    ]
    assert [a.byline for a in articles[1:]] == ["新华社记者 柴婷任军 魏婧宇", "新华社记者 王帆"]
    aid_text = "".join(p.text for p in articles[0].paragraphs)
    assert "晋绥" not in aid_text and "磐石" not in aid_text


def test_001_title_in_the_middle_of_a_sentence_is_removed_and_the_sentence_rejoined():
    paragraphs = [p.text for p in _aid("001").paragraphs]
    assert "200亩青贮玉米苗破土而出，出苗率超95%，与周边荒芜形成震撼对比。" in paragraphs[9]
    assert not any("山海同心谱新篇" in text for text in paragraphs)
    jinsui = _articles("001")[1]
    assert any("卫生服务中心就能看" in p.text for p in jinsui.paragraphs)


def test_001_sentence_broken_across_a_column_is_rejoined():
    assert any("津策大中小美育一体化工作室" in p.text for p in _aid("001").paragraphs)


def test_004_repeated_paragraph_is_kept_once():
    article = _aid("004")
    repeated = [p for p in article.paragraphs if p.text.startswith("翻开“首年答卷”")]
    assert len(repeated) == 1
    assert [reason for reason, _ in article.dropped] == ["repeated_paragraph"]


def test_000_page_debris_is_dropped_not_kept_as_text():
    article = _aid("000")
    reasons = [reason for reason, _ in article.dropped]
    assert reasons == ["navigation", "navigation", "header", "page_jump"]
    assert not any("下转" in p.text or "本版导航" in p.text for p in article.paragraphs)


def test_003_pinyin_and_footer_are_gone():
    article = _aid("003")
    text = "\n".join(p.text for p in article.paragraphs)
    assert "(wù)" not in text and "（wù）" not in text and "Copyright" not in text
    assert "聚焦重点任务，坚持守正创新" in text
    assert ("repeated_title", "魯疆同心 齊美中華——山東省對口支援喀什地區(qū)工作綜述") in article.dropped


def test_paragraph_text_is_the_normalized_original():
    from articles.text.normalize import normalize

    for prefix in ("000", "001", "002", "003", "004"):
        for article in _articles(prefix):
            for paragraph in article.paragraphs:
                assert paragraph.text == normalize(paragraph.original, article.script).text
            assert [p.position for p in article.paragraphs] == list(range(len(article.paragraphs)))


def test_aid_relevance_needs_aid_words_and_xinjiang():
    assert aid_relevance("北京援疆指挥部在和田市援建学校，对口支援和田地区。" * 3)[0]
    assert not aid_relevance("磐石接待游客200万人次，旅游总收入8.5亿元。" * 3)[0]
    assert not aid_relevance("对口支援三峡库区移民，援建学校。" * 3)[0]


def test_aid_relevance_knows_the_places_the_gazetteer_knows():
    assert aid_relevance("上海对口支援莎车县，援建学校和医院。" * 3)[0]          # a county
    assert not aid_relevance("山东对口援建哈密瓜种植基地，援建学校。" * 3)[0]     # 哈密瓜 is a melon, no place


@pytest.mark.parametrize("text", ["", "\n\n", "。", "（下转二版）", "新华社记者 王帆"])
def test_text_without_paragraphs_gives_no_article(text):
    assert split_articles(text) == []


def test_one_line_without_punctuation_is_one_article():
    (article,) = split_articles("援疆资金3亿元")
    assert [p.text for p in article.paragraphs] == ["援疆资金3亿元"]


def test_cut_off_copy_of_an_earlier_paragraph_is_dropped():
    whole = "南通援疆工作组投入援疆资金480万元，组织伊宁县干部培训3100余人次。"
    (article,) = split_articles(f"{whole}\n\n南通援疆工作组投入援疆资金480万元，组织\n")
    assert [p.text for p in article.paragraphs] == [whole]
    assert article.dropped == [("repeated_paragraph", "南通援疆工作组投入援疆资金480万元，组织")]


def test_overlong_line_is_cut_at_sentence_ends_into_bounded_paragraphs():
    sentence = "南通援疆工作组投入援疆资金480万元，组织伊宁县干部培训3100余人次。"
    line = "".join(sentence.replace("480", str(i)) for i in range(400))
    (article,) = split_articles(line)
    originals = [p.original for p in article.paragraphs]
    assert "".join(originals) == line
    assert len(originals) > 1 and all(len(o) <= MAX_PARAGRAPH_CHARS and o.endswith("。") for o in originals)


def test_overlong_line_without_punctuation_is_not_cut_through_a_number():
    line = "援" * (MAX_PARAGRAPH_CHARS - 3) + "1234567" + "疆" * 100
    (article,) = split_articles(line)
    assert [p.original[-4:] for p in article.paragraphs][:1] == ["援援援援"]


@pytest.mark.parametrize("title", ["双河市：援疆项目为城市发展添动能", "辽宁援疆：辽塔情深 产业援疆结硕果"])
def test_headline_with_a_colon_is_the_title(title):
    text = f"{title}\n2024年06月03日 来源：兵团日报\n\n今年，第五师共安排对口援疆项目24个，落实援疆资金1.35亿元。\n"
    (article,) = split_articles(text)
    assert article.title == title
    assert article.publisher == "兵团日报"


def test_a_statistical_report_is_no_aid_text_even_when_it_thanks_the_donors():
    bulletin = ("在对口支援省市的大力援助下，全年实现生产总值1480亿元，比上年增长18.0%。第一产业增加值435亿元，"
                "增长7.5%；第二产业增加值623亿元，增长26.4%。年末从业人员122万人，比上年增长4.1%。"
                "全年兵团农产品生产者价格比上年上涨4.2%，拉动经济增长2.3个百分点。")
    assert not aid_relevance(bulletin)[0]
    # One growth rate in an aid report does not make it a bulletin.
    assert aid_relevance("江苏援疆指挥部在伊宁县援建学校，援疆资金同比增长20%，对口支援伊犁州。" * 3)[0]


def test_gifts_from_xinjiang_to_a_donor_are_no_aid_to_xinjiang():
    reverse = ("湖北对口支援博州20年来，援疆干部人才倾情援建。新疆博州党委、政府捐赠的65吨有机牛肉运抵武汉。"
               "3月2日，第五师双河市捐赠的价值300万元的37.6吨牛肉已运抵武汉。援疆情深。")
    assert not aid_relevance(reverse)[0]
    # The gift goes to Xinjiang: the donor gives, the prefecture (after 向, or inside the clause) receives.
    forward = ("河北向新疆巴音郭楞蒙古自治州捐赠价值3000万元物资。"
               "新疆温州商会向阿克苏地区拜城县察尔齐镇三村捐资50万元。河北对口支援巴州，援疆干部援建学校。")
    assert aid_relevance(forward)[0]
