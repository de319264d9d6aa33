"""Tests for line kinds and the page-debris helpers, on lines taken from the seeds (normalized)."""
import datetime

import pytest

from articles.text import layout
from articles.text.normalize import normalize


def _kind(raw: str) -> str:
    return layout.kind_of(normalize(raw).text)


@pytest.mark.parametrize(
    "raw, kind",
    [
        ("上一版/ 01 版:综合新闻 /下一版  查看本版大图", "navigation"),
        ("本版导航 各版导航 视觉导航 标题导航 以往报纸", "navigation"),
        ("人民網>>山西頻道>>山西要聞", "navigation"),
        ("人民網", "navigation"),
        ("小字號", "navigation"),
        ("返回頂部", "navigation"),
        ("分享到:", "share"),
        ("分享讓更多人看到", "share"),
        ("Copyright ©1999-2023 chinanews.com. All Rights Reserved", "footer"),
        ("未經(jīng)授權(quán)禁止轉(zhuǎn)載、摘編、復(fù)制及建立鏡像,違者將依法追究法律責(zé)任。", "footer"),
        ("(責編:趙芳、桑莉媛)", "editor"),
        ("【編輯:張家偉】", "editor"),
        ("(下转二版)", "page_jump"),
        ("石河子日报 新闻    时间:2025年07月08日    来源:石河子日报", "meta"),
        ("2023年05月03日08:44 | 來源:山西日報", "meta"),
        ("2023-09-20 19:32:21 來源:中新網(wǎng)新疆", "meta"),
        ("（新华社乌鲁木齐7月6日电）", "dateline"),
        ("新华社记者 李自良 刘兵 蔡国栋", "byline"),
        ("(記者晉帥妮)", "byline"),
        ("山海同心谱新篇", "short"),
        ("——新时代高质量开展对口援疆工作巡礼", "subtitle"),
        ("15个援疆项目全部开工,南通第十一批援疆干部人才晒出首年成绩单——", "kicker"),
        ("魯疆同心 齊美中華——山東省對口支援喀什地區(qū)工作綜述", "title"),
        ("天山泰山手牵手，塔河东海心连心。", "body"),
    ],
)
def test_kind_of_seed_lines(raw, kind):
    assert _kind(raw) == kind


def test_meta_date_and_source():
    line = normalize("2023年05月03日08:44 | 來源:山西日報").text
    assert layout.meta_date(line) == datetime.date(2023, 5, 3)
    assert layout.meta_source(line) == "山西日报"


def test_meta_date_rejects_an_impossible_day():
    assert layout.meta_date("时间：2023年02月30日") is None


def test_opening_dateline_with_byline():
    text = normalize("中新網(wǎng)新疆新聞9月20日電(霍然 魏路)山東援疆聚焦重點任務(wù)").text
    assert layout.opening_dateline(text) == ("中新网新疆新闻9月20日电", "霍然 魏路")


def test_closing_dateline():
    assert layout.closing_dateline("（新华社乌鲁木齐7月6日电）") == "新华社乌鲁木齐7月6日电"
    assert layout.closing_dateline("（完）") == ""


def test_trailing_byline_and_agency():
    text = normalize("為助力建設美好新疆作出山西貢獻。(記者晉帥妮)").text
    assert layout.trailing_byline(text) == "记者晋帅妮"
    assert layout.agency("新华社乌鲁木齐7月6日电") == "新华社"
    assert layout.agency("记者晋帅妮") == ""


def test_split_page_jumps_keeps_the_text():
    assert layout.split_page_jumps("收入稳步提高。(下转二版)") == ("收入稳步提高。", ["(下转二版)"])
    assert layout.split_page_jumps("(下转二版)") == ("(下转二版)", [])


def test_continuation_of_a_sentence_broken_by_a_title():
    assert layout.continuation_score("出苗率超", "95%，与周边荒芜形成震撼对比。") >= 2
    assert layout.continuation_score("还促成“津策大中小美", "育一体化工作室”，开展送教下乡") >= 1
    assert layout.continuation_score("日子有盼头了。", "新华社记者 王帆") == 0


def test_ends_sentence_ignores_closing_quote_and_byline():
    assert layout.ends_sentence("“日子有盼头了！”")
    assert layout.ends_sentence("作出山西贡献。（记者晋帅妮）")
    assert not layout.ends_sentence("出苗率超")
