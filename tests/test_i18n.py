"""The interface in simplified Chinese and in English: pages, charts, numbers, and a complete, compiled catalogue."""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from articles.models import Metric
from articles.templatetags.aidmap import confidence_label, format_amount, text_list
from tests.factories import make_sample_world

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "articles" / "locale" / "zh_Hans" / "LC_MESSAGES"

# Labels that must never be left in English on a Chinese page (whole words of the visible text).
ENGLISH_LABELS = [
    "Overview", "Compare donors", "Figures", "Articles", "Verified only", "Aid funding", "Investment",
    "People trained", "Cadres and talents sent", "Projects", "Jobs", "Sources", "Period", "Total", "Donor",
    "Kind", "Sector", "By sector", "Over time", "Published", "Filter", "Reset", "Next", "Previous", "Show",
    "Skip to content", "No figures", "figures", "extracted", "verified", "more than", "confidence", "mixed",
    "Search quotes", "Recipient area", "Donor province", "Latest articles", "Where the aid goes",
]

# Each page with headings it must show in Chinese, and the same in English.
PAGES = {
    "/": (["概览", "援疆省市对比", "援疆资源流向", "从援疆省市到受援地州", "最新文章", "援疆资金", "招商引资",
           "培训人次", "选派干部人才", "计入统计的数据"],
          ["Overview", "Donor provinces compared", "Where the aid goes", "Latest articles", "Aid funding"]),
    "/compare/": (["援疆省市对比", "按援疆省市", "按领域和援疆省市", "数据条数", "来源数"],
                  ["Compare donor provinces", "By donor", "By sector and donor", "Figures", "Sources"]),
    "/provinces/jiangsu/": (["对口受援地", "各指标合计", "按领域", "历年变化", "可信度：高"],
                            ["Paired recipient areas", "Totals by kind", "By sector", "Over time", "confidence: high"]),
    "/areas/yili/": (["下辖地区", "援疆省市（官方对口支援关系）", "按地区", "按领域"],
                     ["Areas within", "Donors (official pairings)", "By area", "By sector"]),
    "/metrics/": (["数据明细", "搜索原文", "援疆省市", "受援地", "精确程度", "筛选", "重置", "已核实", "下限值"],
                  ["Figures", "Search quotes", "Donor province", "Recipient area", "Approximation", "Filter"]),
    "/articles/": (["文章", "搜索标题和正文", "发布机构", "最新在前", "共", "篇"],
                   ["Articles", "Search title and text", "Publisher", "Year published"]),
}


@pytest.fixture
def world(db):
    world = make_sample_world()
    # The factories' money figures carry a made-up family; the extractor's is "money" (元 / yuan).
    Metric.objects.filter(unit_family="yuan").update(unit_family="money")
    return world


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no scripts (chart data), no tags, no English names of places."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    html = re.sub(r'<span class="alt-name" lang="en">.*?</span>', " ", html, flags=re.S)
    html = re.sub(r"<option\b[^>]*>[^<]*[A-Za-z][^<]*</option>", " ", html)  # bilingual names in selects
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def english_labels_in(text: str) -> list[str]:
    return [label for label in ENGLISH_LABELS if re.search(rf"(?<![A-Za-z]){re.escape(label)}(?![A-Za-z])", text)]


def get(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response


# --- pages ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", list(PAGES))
def test_page_in_chinese_shows_chinese_labels_and_no_english_ones(client, world, url):
    html = get(client, url, "zh-hans").content.decode()
    assert '<html lang="zh-Hans">' in html
    text = visible_text(html)
    chinese, _english = PAGES[url]
    assert [label for label in chinese if label not in text] == []
    assert english_labels_in(text) == []


@pytest.mark.parametrize("url", list(PAGES))
def test_page_in_english_shows_english_labels_and_no_chinese_ones(client, world, url):
    html = get(client, url, "en").content.decode()
    assert '<html lang="en">' in html
    text = visible_text(html)
    _chinese, english = PAGES[url]
    assert [label for label in english if label not in text] == []
    for label in ["概览", "省市对比", "数据明细", "仅看已核实", "数据条数", "来源数", "跳到正文"]:
        assert label not in text, label


def test_article_reader_in_both_languages(client, world):
    url = world.c.get_absolute_url()
    zh = visible_text(get(client, url, "zh-hans").content.decode())
    assert "规范化文本（标出数据）" in zh and "发布原文" in zh and "报道相同数据的其他来源" in zh
    assert english_labels_in(zh) == []
    en = visible_text(get(client, url, "en").content.decode())
    assert "Normalized text with figures marked" in en and "Other sources of the same figures" in en


def test_chinese_is_the_default_without_accept_language(client, world):
    assert "援疆省市对比" in client.get("/").content.decode()


def test_language_switch_sets_a_cookie_that_wins_over_the_browser(client, world):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/compare/"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302 and response["Location"] == "/compare/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Compare donor provinces" in client.get("/compare/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "援疆省市对比" in client.get("/compare/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_form_errors_are_in_the_page_language(client, world):
    html = client.get("/metrics/?year_min=abc", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "部分筛选条件无法识别" in html
    assert ("Not a valid name"
            not in client.get("/compare/?province=bad!", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())


# --- charts --------------------------------------------------------------------------------------------------

def hovers(figure: dict) -> list[str]:
    return [row[1] for trace in figure["data"] for row in trace.get("customdata") or []]


def test_chart_data_follows_the_language_and_is_cached_per_language(client, world):
    # Chinese first, then English: the cached Chinese figures must not be served to the English page.
    zh = get(client, "/compare/", "zh-hans").context["province_chart"]["figure"]
    en = get(client, "/compare/", "en").context["province_chart"]["figure"]
    assert zh["layout"]["xaxis"]["title"]["text"] == "亿元"
    assert en["layout"]["xaxis"]["title"]["text"] == "billion yuan"
    assert any("条数据，1 个来源" in h and "点击" in h for h in hovers(zh))
    assert all("figure" not in h and "Click" not in h for h in hovers(zh))
    assert any("2 figures, 2 sources" in h or "1 figure, 2 sources" in h for h in hovers(en))
    zh_again = get(client, "/compare/", "zh-hans").context["province_chart"]["figure"]
    assert zh_again == zh


def test_overview_chart_titles_map_and_flows_in_chinese(client, world):
    context = get(client, "/", "zh-hans").context
    assert [block["title"] for block in context["headlines"]][:3] == ["援疆资金", "招商引资", "项目"]
    map_hovers = hovers(context["map"]["figure"])
    assert any("援疆资金：" in h for h in map_hovers) and any("对口支援：" in h for h in map_hovers)
    assert any("援疆资金" in h for h in hovers({"data": [context["flows"]["figure"]["data"][0]["link"]]}))
    sector = get(client, "/provinces/shanghai/?kind=jobs", "zh-hans").context["sector_chart"]["figure"]
    assert sector["data"][0]["y"] == ["就业"] and sector["layout"]["xaxis"]["title"]["text"] == "人"


def test_chart_script_registers_plotly_words_in_chinese():
    script = (ROOT / "static" / "js" / "charts.js").read_text(encoding="utf-8")
    assert '"Download plot as a PNG": "下载图表（PNG）"' in script and 'config.locale = "zh-Hans"' in script


# --- numbers -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, family, sign, zh, en", [
    (933_000_000, "money", "", "9.33亿元", "933 million yuan"),
    (1_250_000_000, "money", "≥", "≥12.5亿元", "≥1.25 billion yuan"),
    (29_000, "people", "", "2.9万人", "29,000 people"),
    (12_000, "person_times", "≈", "≈1.2万人次", "≈12,000 person-times"),
    (3_500, "money", "", "3,500元", "3,500 yuan"),
    (20, "count", "", "20", "20"),
    (1_200_000_000_000, "money", "", "1.2万亿元", "1.2 trillion yuan"),
    (Decimal("0.5"), "area_mu", "", "0.5亩", "0.5 mu"),
])
def test_amounts_use_wan_and_yi_in_chinese_and_million_billion_in_english(value, family, sign, zh, en):
    assert format_amount(value, family, lang="zh-hans", sign=sign) == zh
    assert format_amount(value, family, lang="en", sign=sign) == en
    assert format_amount(None, family) == "—"


def test_lists_and_pairing_confidence_in_both_languages():
    assert text_list(["人", "人次"], lang="zh-hans") == "人、人次"
    assert text_list(["people", "ha"], lang="en") == "people, ha"
    with translation.override("zh-hans"):
        assert confidence_label("medium-high") == "中高"
        assert confidence_label("unheard-of") == "unheard-of"
    with translation.override("en"):
        assert confidence_label("medium-high") == "medium-high"


# --- the catalogue -------------------------------------------------------------------------------------------

def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: context, msgid, plural, translations and flags (obsolete ones left out)."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip() or line.startswith("#~"):
            if entry and entry.get("id") is not None:
                entries.append(entry)
            entry, key = (None, None) if not line.strip() else (entry, key)
            continue
        entry = entry or {"ctx": None, "id": None, "plural": None, "str": {}, "flags": []}
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(key, int):
                entry["str"][key] += text
            else:
                entry[key] += text
        else:
            word, _space, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            if word.startswith("msgstr"):
                key = int(word[7:-1]) if "[" in word else 0
                entry["str"][key] = text
            else:
                key = {"msgctxt": "ctx", "msgid": "id", "msgid_plural": "plural"}[word]
                entry[key] = text
    return [e for e in entries if e["id"]]


def untranslated(entries) -> list[str]:
    return [e["id"] for e in entries if "fuzzy" in e["flags"] or not all(e["str"].values()) or not e["str"]]


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]", text))


def test_catalogue_is_complete_and_keeps_every_placeholder():
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 300
    assert untranslated(entries) == []
    for entry in entries:
        for text in entry["str"].values():
            assert placeholders(text) == placeholders(entry["plural"] or entry["id"]), entry["id"]


def test_compiled_catalogue_matches_the_po_file():
    """The .mo in the tree is built from the current .po, so a fresh clone needs no gettext tools."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in read_po(CATALOGUE / "django.po"):
        if entry["plural"]:
            got = compiled.npgettext(entry["ctx"], entry["id"], entry["plural"], 1) if entry["ctx"] else \
                compiled.ngettext(entry["id"], entry["plural"], 1)
        else:
            got = compiled.pgettext(entry["ctx"], entry["id"]) if entry["ctx"] else compiled.gettext(entry["id"])
        assert got == entry["str"][0], entry["id"]


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext (apt-get install gettext)")
def test_makemessages_finds_no_string_left_untranslated(tmp_path):
    """Every string marked in the code and templates today has a translation in the catalogue."""
    for name in ("manage.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("aidmap", "articles", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=tmp_path, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3")},
    )
    entries = read_po(tmp_path / "articles" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(entries) == len(read_po(CATALOGUE / "django.po"))
    assert untranslated(entries) == []
