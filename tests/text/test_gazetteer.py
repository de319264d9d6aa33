"""Gazetteer data integrity, name matching and pairing lookups; no Django, no database."""
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest

from articles.text.gazetteer import DEFAULT_PATH, Gazetteer, Mention

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
GEOJSON = REPO / "static" / "geo" / "xinjiang_prefectures.geojson"
LEVELS = {"region", "corps", "prefecture", "county", "city", "district", "division", "regiment", "zone"}
CONFIDENCES = {"high", "medium-high", "medium", "low-medium"}


@pytest.fixture(scope="module")
def raw():
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def donors(gaz, text):
    return [(m.text, m.slug) for m in gaz.donor_mentions(text)]


def areas(gaz, text):
    return [(m.text, m.slug) for m in gaz.area_mentions(text)]


def seed(prefix):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- data integrity ---------------------------------------------------------------------------------------------

def test_slugs_are_unique_lowercase_ascii(raw):
    slugs = [row["slug"] for row in raw["provinces"] + raw["areas"]]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)


def test_nineteen_top_level_donors(raw):
    top = [row["name_zh"] for row in raw["provinces"] if row["parent"] is None]
    assert sorted(top) == sorted([
        "北京", "天津", "上海", "广东", "深圳", "山东", "浙江", "江苏", "江西", "安徽",
        "河南", "河北", "湖北", "湖南", "辽宁", "吉林", "黑龙江", "福建", "山西",
    ])


def test_city_teams_belong_to_their_provinces(gaz):
    teams = {slug: row["parent"] for slug, row in gaz.provinces.items() if row["parent"]}
    assert teams == {"nantong": "jiangsu", "dongying": "shandong", "jining": "shandong", "hangzhou": "zhejiang",
                     "ningbo": "zhejiang", "fuzhou": "fujian", "quanzhou": "fujian", "zhangzhou": "fujian",
                     "xiamen": "fujian"}


def test_every_parent_exists(gaz):
    for row in gaz.provinces.values():
        assert row["parent"] is None or gaz.provinces[row["parent"]]["parent"] is None, row["slug"]
    for row in gaz.areas.values():
        assert row["parent"] is None or row["parent"] in gaz.areas, row["slug"]
    roots = sorted(slug for slug, row in gaz.areas.items() if row["parent"] is None)
    assert roots == ["bingtuan", "xinjiang"]


def test_every_row_has_a_known_source_and_level(raw):
    source_ids = {source["id"] for source in raw["sources"]}
    for row in raw["provinces"] + raw["areas"] + raw["pairings"]:
        assert row["source"] in source_ids, row
        assert row.get("confidence", "high") in CONFIDENCES, row
    assert {row["level"] for row in raw["areas"]} == LEVELS
    assert all(source["licence"] and source["title"] for source in raw["sources"])


def test_every_pairing_names_a_donor_and_an_area(gaz):
    for pairing in gaz.pairings:
        assert pairing["donor"] in gaz.provinces and pairing["area"] in gaz.areas, pairing
    assert len({(p["donor"], p["area"]) for p in gaz.pairings}) == len(gaz.pairings)


def test_all_fourteen_prefectures_and_current_names(gaz):
    prefectures = {row["name_zh"] for row in gaz.areas.values() if row["level"] == "prefecture"}
    assert len(prefectures) == 14 and {"吐鲁番市", "哈密市", "克孜勒苏柯尔克孜自治州"} <= prefectures
    names = {row["name_zh"]: row for row in gaz.areas.values()}
    assert "库车县" in names["库车市"]["aliases"] and "沙湾县" in names["沙湾市"]["aliases"]
    assert "库车县" not in names and "沙湾县" not in names


def test_each_name_points_at_one_row(raw):
    owner = {}
    for row in raw["provinces"] + raw["areas"]:
        for name in [row["name_zh"], *row["aliases"]]:
            assert owner.setdefault(name, row["slug"]) == row["slug"], name


def test_points_lie_in_xinjiang(gaz):
    for row in gaz.areas.values():
        if row["lon"] is not None:
            assert 73 < row["lon"] < 97 and 34 < row["lat"] < 50, row["slug"]


# --- mentions ---------------------------------------------------------------------------------------------------

def test_donor_and_area_in_one_sentence(gaz):
    sentence = "今年6月，在北京援疆指挥部和宁波援疆指挥部的支持下，宁波青瓷瓯乐巡演活动在北京对口支援的和田市举办。"
    assert sentence in seed("001")
    assert donors(gaz, sentence) == [("北京", "beijing"), ("宁波", "ningbo"), ("宁波", "ningbo"), ("北京", "beijing")]
    start = sentence.index("和田市")
    assert gaz.area_mentions(sentence) == [Mention(start, start + 3, "hetian-shi", "和田市")]


def test_city_team_and_its_county(gaz):
    sentence = "对口支援伊宁县是党中央和省委交给南通的光荣政治任务。"
    assert sentence in seed("004")
    assert donors(gaz, sentence) == [("南通", "nantong")]
    assert areas(gaz, sentence) == [("伊宁县", "yining-xian")]
    assert gaz.top_province("nantong") == "jiangsu"
    assert gaz.donors_of_area("yining-xian") == ["jiangsu"]


def test_regiment_after_its_division(gaz):
    sentence = "4月23日,兵团第十二师222团党群服务中心建设项目工地"  # seed 002, in simplified script
    assert areas(gaz, sentence) == [("兵团第十二师", "bingtuan-12shi"), ("222团", "tuan-222")]
    assert gaz.prefecture_of("tuan-222") == "bingtuan-12shi"
    assert gaz.donors_of_area("tuan-222") == ["shanxi"]


def test_shandong_city_teams_in_kashgar(gaz):
    sentence = "东营市东城医院院长、疏勒县塔孜洪乡卫生院原院长许多良"  # seed 003, in simplified script
    assert donors(gaz, sentence) == [("东营市", "dongying")]
    assert areas(gaz, sentence) == [("疏勒县", "shule-xian")]
    assert gaz.donors_of_area("shule-xian") == ["shandong"]
    assert areas(gaz, "山东济宁援疆工作指挥部带着团队和技术来到英吉沙") == [("英吉沙", "yingjisha-xian")]


def test_longest_name_wins(gaz):
    assert areas(gaz, "和田地区和田市和田县和田") == [
        ("和田地区", "hetian-diqu"), ("和田市", "hetian-shi"), ("和田县", "hetian-xian"), ("和田", "hetian-diqu")]
    assert areas(gaz, "新疆生产建设兵团与新疆") == [("新疆生产建设兵团", "bingtuan"), ("新疆", "xinjiang")]
    assert areas(gaz, "农一师、第十一师和十一师") == [
        ("农一师", "bingtuan-1shi"), ("第十一师", "bingtuan-11shi"), ("十一师", "bingtuan-11shi")]


def test_short_forms_resolve_to_the_prefecture_not_the_city(gaz):
    text = "喀什、阿克苏、哈密、吐鲁番、阿勒泰、塔城、昌吉、伊犁州、克州、巴州、博州"
    assert [slug for _, slug in areas(gaz, text)] == [
        "kashi-diqu", "akesu-diqu", "hami-shi", "tulufan-shi", "aletai-diqu", "tacheng-diqu", "changji-zhou",
        "yili-zhou", "kezilesu-zhou", "bayinguoleng-zhou", "boertala-zhou"]


def test_ambiguous_and_non_area_words_match_nothing(gaz):
    assert areas(gaz, "伊宁的南疆和北疆") == []
    assert areas(gaz, "天山南北的温泉") == []
    assert areas(gaz, "中国农民丰收节") == []
    assert areas(gaz, "湖南第一师范学院") == []
    assert areas(gaz, "1222团") == []


def test_donor_names_inside_other_words_do_not_match(gaz):
    assert donors(gaz, "天山东麓、伊犁河北岸、长江西岸、博斯腾湖南岸") == []
    assert donors(gaz, "幸福建设，山上海拔三千米") == []
    assert donors(gaz, "浙江西部") == [("浙江", "zhejiang")]
    assert donors(gaz, "黑龙江西部") == [("黑龙江", "heilongjiang")]


def test_donor_next_to_area_name(gaz):
    text = "吉林援建吉木乃县，上海交通大学"
    assert donors(gaz, text) == [("吉林", "jilin"), ("上海", "shanghai")]
    assert areas(gaz, text) == [("吉木乃县", "jimunai-xian")]


def test_mentions_are_lexical_not_about_aid(gaz):
    # 吉林省磐石市 in a non-aid passage of seed 001 is still a mention: judging context is the extractor's job
    assert ("吉林省", "jilin") in donors(gaz, "从吉林省磐石市区出发，一路向西约20公里")


def test_donors_mentioned_in_seed_001(gaz):
    assert {m.slug for m in gaz.donor_mentions(seed("001"))} == {
        "beijing", "tianjin", "shanghai", "guangdong", "shandong", "jiangsu", "jiangxi", "henan", "jilin",
        "shanxi", "hangzhou", "ningbo"}
    assert {m.slug for m in gaz.area_mentions(seed("004"))} == {"xinjiang", "yining-xian", "yili-zhou", "aletai-diqu"}


def test_mentions_do_not_overlap_and_keep_their_text(gaz):
    text = seed("000") + seed("001") + seed("004")
    mentions = sorted(gaz.donor_mentions(text) + gaz.area_mentions(text), key=lambda m: m.start)
    for before, after in pairwise(mentions):
        assert before.end <= after.start
    assert all(text[m.start:m.end] == m.text for m in mentions)


# --- hierarchy and pairings -------------------------------------------------------------------------------------

def test_ancestors_and_prefecture(gaz):
    assert gaz.area_ancestors("yining-xian") == ["yili-zhou", "xinjiang"]
    assert gaz.area_ancestors("tuan-222") == ["bingtuan-12shi", "bingtuan"]
    assert gaz.prefecture_of("shihezi-shi") == "bingtuan-8shi"
    assert gaz.prefecture_of("kashi-diqu") == "kashi-diqu"
    assert gaz.prefecture_of("xinjiang") is None


def test_donors_of_area(gaz):
    assert gaz.donors_of_area("hetian-shi") == ["beijing"]
    assert gaz.donors_of_area("kashi-shi") == ["shenzhen"]
    assert gaz.donors_of_area("fukang-shi") == ["shanxi"]
    assert gaz.donors_of_area("qitai-xian") == ["fujian"]
    assert gaz.donors_of_area("kuche-shi") == ["zhejiang"]  # via 阿克苏地区
    assert gaz.donors_of_area("shihezi-shi") == ["liaoning"]  # via 第八师
    assert gaz.donors_of_area("liuyunhu-nongchang") == ["shanxi"]  # via 第六师
    assert gaz.donors_of_area("tuan-221") == ["hunan"]
    assert gaz.donors_of_area("kashi-diqu") == []  # paired county by county, not as a whole
    assert gaz.donors_of_area("zhundong-kaifaqu") == []


def test_areas_of_donor(gaz):
    assert gaz.areas_of_donor("fuzhou") == ["qitai-xian"]
    assert gaz.areas_of_donor("hangzhou") == ["akesu-diqu", "bingtuan-1shi"]  # no own pairing: its province's
    assert gaz.areas_of_donor("shanxi") == ["fukang-shi", "bingtuan-6shi", "tuan-222"]
    fujian = gaz.areas_of_donor("fujian")
    assert len(fujian) == 6 and "fukang-shi" not in fujian and "changji-shi" in fujian


def test_top_province(gaz):
    assert gaz.top_province("xiamen") == "fujian"
    assert gaz.top_province("shenzhen") == "shenzhen"
    with pytest.raises(KeyError, match="no donor slug"):
        gaz.top_province("xinjiang")


def test_user_dictionary_words(gaz):
    words = gaz.user_dictionary_words()
    assert {"伊宁县", "农一师", "准东开发区", "黑龙江省", "南通"} <= set(words)
    assert "天山东" not in words and len(words) == len(set(words))


def test_load_is_cached():
    assert Gazetteer.load() is Gazetteer.load(DEFAULT_PATH)


# --- map shapes -------------------------------------------------------------------------------------------------

def signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def polygons(feature):
    geometry = feature["geometry"]
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def test_map_shapes_match_gazetteer_areas(gaz):
    assert GEOJSON.stat().st_size < 300_000
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    slugs = [feature["id"] for feature in features]
    assert len(slugs) == len(set(slugs))
    for feature in features:
        assert feature["properties"]["slug"] == feature["id"]
        assert gaz.areas[feature["id"]]["name_zh"] == feature["properties"]["name"]
    prefectures = {slug for slug, row in gaz.areas.items() if row["level"] == "prefecture"}
    assert prefectures <= set(slugs)


def test_map_rings_are_closed_and_wound_for_plotly():
    for feature in json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]:
        for polygon in polygons(feature):
            for k, ring in enumerate(polygon):
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(round(x, 3) == x and round(y, 3) == y for x, y in ring)
                clockwise = signed_area(ring) < 0
                assert clockwise == (k == 0), (feature["id"], k)  # outer clockwise, holes counter-clockwise


# --- towns and regiments (places): names of the area they lie in or belong to --------------------------------

def test_every_place_names_a_known_area_with_a_source(raw, gaz):
    source_ids = {source["id"] for source in raw["sources"]}
    names = {name for row in raw["provinces"] + raw["areas"] for name in (row["name_zh"], *row["aliases"])}
    for place in raw["places"]:
        assert place["area"] in gaz.areas and place["source"] in source_ids, place
        assert place["level"] in {"town", "township", "regiment"}, place
        assert not names & {place["name_zh"], *place["aliases"]}, place
    levels = {place["level"] for place in raw["places"]}
    assert levels == {"town", "township", "regiment"} and len(raw["places"]) > 700


def test_a_town_names_its_county_and_wins_over_a_shorter_name(gaz):
    assert areas(gaz, "北屯镇新建4000平方米，北屯市") == [("北屯镇", "aletai-shi"), ("北屯市", "beitun-shi")]
    assert areas(gaz, "在北屯建设") == [("北屯", "bingtuan-10shi")]
    assert areas(gaz, "尤鲁都斯巴格镇奥依其兰村") == [("尤鲁都斯巴格镇", "xinhe-xian")]
    assert areas(gaz, "三工河乡和三工河哈萨克族乡") == [("三工河乡", "fukang-shi"), ("三工河哈萨克族乡", "fukang-shi")]


def test_a_town_after_its_county_is_one_mention(gaz):
    assert areas(gaz, "疏勒县塔孜洪乡卫生院；塔孜洪乡") == [("疏勒县", "shule-xian"), ("塔孜洪乡", "shule-xian")]


def test_regiments_name_their_division(gaz):
    text = "126团、一二六团、七十七团、77团、一〇四团、一零四团、十团和一八三团"
    assert [slug for _, slug in areas(gaz, text)] == [
        "bingtuan-7shi", "bingtuan-7shi", "bingtuan-4shi", "bingtuan-4shi", "bingtuan-12shi", "bingtuan-12shi",
        "bingtuan-1shi", "bingtuan-10shi"]
    assert areas(gaz, "第一师七团、一师一团") == [("第一师七团", "bingtuan-1shi"), ("一师一团", "bingtuan-1shi")]
    # The regiments that are areas of their own keep their rows.
    assert areas(gaz, "222团和二二一团") == [("222团", "tuan-222"), ("二二一团", "tuan-221")]


def test_words_with_a_numeral_and_tuan_or_xiang_are_no_places(gaz):
    assert areas(gaz, "抱成一团，统一团结，乱成一团") == []
    assert areas(gaz, "五十团队、十团体、77团购") == []
    assert areas(gaz, "二十团和1126团") == []
    assert areas(gaz, "推进乡村振兴，美丽乡村") == []


def test_town_names_shared_with_other_provinces_or_ordinary_words_are_left_out(gaz):
    # 城关镇 and 永安镇 are towns in many provinces; 幸福镇 and 团结镇 are ordinary words.
    assert areas(gaz, "城关镇、永安镇、幸福镇、团结镇、共青团镇") == []


def test_every_donor_place_names_a_donor_with_a_source(raw, gaz):
    source_ids = {source["id"] for source in raw["sources"]}
    rows = raw["provinces"] + raw["areas"] + raw["places"]
    names = {name for row in rows for name in (row["name_zh"], *row["aliases"])}
    for place in raw["donor_places"]:
        assert place["donor"] in gaz.provinces and place["source"] in source_ids, place
        assert place["name_zh"] not in names, place
    # Every donor province has its cities, except 深圳's districts counted for 深圳 itself.
    donors = {gaz.top_province(place["donor"]) for place in raw["donor_places"]}
    assert donors == {slug for slug, row in gaz.provinces.items() if row["parent"] is None}


def test_a_donor_city_or_district_names_its_donor(gaz):
    # A city's team, a district, a county-level city: their province; a city with a team of its own: the team.
    assert donors(gaz, "江苏援伊·镇江工作组") == [("江苏", "jiangsu"), ("镇江", "jiangsu")]
    assert donors(gaz, "宁德市援疆项目14个，海淀区、昆山市、福田区") == [
        ("宁德市", "fujian"), ("海淀区", "beijing"), ("昆山市", "jiangsu"), ("福田区", "shenzhen")]
    assert donors(gaz, "淮安援疆工作组、南通市") == [("淮安", "jiangsu"), ("南通市", "nantong")]


def test_a_donor_city_short_form_inside_other_words_is_no_donor(gaz):
    # Two characters turn up inside other words: only before a team's word is the short form a donor.
    assert donors(gaz, "新疆鸿霖复合肥，救济南疆群众，建设新乡村，确保定期，盛大庆典") == []
    assert donors(gaz, "社会稳定和长治久安，朝阳产业，日照充足") == []
    # Districts and counties are named in full only; generic ones ('城区', '开发区') never.
    assert donors(gaz, "城区、郊区、矿区、高新区") == []


def test_a_town_name_shared_with_another_province_names_its_county_only_after_its_area(gaz):
    # 二十里店镇 is also a town of 山东: alone it says nothing; after 昌吉州 it is 呼图壁县's.
    assert areas(gaz, "昌吉回族自治州二十里店镇二十里店村") == [("昌吉回族自治州", "changji-zhou"),
                                                        ("二十里店镇", "hutubi-xian")]
    assert areas(gaz, "记者来到二十里店镇") == []
