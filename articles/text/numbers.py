"""Find quantitative figures (money, people, counts, areas, percentages) in simplified Chinese text.

A figure is read by one regular expression and then checked in Python:

    [qualifier] number [多|余] [万|亿|...] [多|余] unit [左右|以上|上下]

- number: Arabic (``9.29``, ``1,500``), Chinese (``一百二十``, ``两``, ``百``), a Chinese pair range
  (``六七``, ``二三十``), an Arabic range (``20%—30%``, ``20-30``, ``3至5``), a product (``2×66``) or
  ``1亿2000`` (+万); ``百分之`` + number is a percentage.
- qualifiers set ``approx``: 超/超过/超出/逾/突破/过/破/上(万)/至少/不少于/不低于, 多, 余, 以上 -> 'more_than';
  约/大约/近/将近/接近, 左右, 上下 -> 'about'; a range is 'exact' with ``value_high`` unless qualified.
- a unit is required (a bare number is not a figure), except ``百分之N`` and ``过亿``/``超亿``-style money.

Units (closed list; written form -> base ``unit``, ``unit_family``; values are converted to the base):
    money          元, 人民币 -> 元   (万元, 亿元, 千元, 万亿元 through the multiplier)
    people         人, 名, 位 -> 人
    person_times   人次
    households     户
    count          个 项 家 所 座 间 台 套 场 场次 次 班次 期 节 种 册 件 只 头 趟 批 批次 条 处 张 株 棵 辆
                   架 对 支 篇 部 门 类 款 例 (the unit is the counter itself)
    area_mu 亩 | area_m2 平方米 | area_ha 公顷 | area_km2 平方公里 | volume 立方米
    weight         吨; 公斤, 千克 -> 吨 (/1000)
    power          千瓦; 兆瓦 -> 千瓦 (x1000)        energy  千瓦时
    length         公里; 米 -> 公里 (/1000)
    percent        %, ％; N成 -> N*10 %              percent_points  个百分点 -> 百分点

Skipped on purpose: dates and durations (年/月/日 are not units), ordinals (第X), ages (岁), cohorts (95后),
codes and names with digits (3D, 5G, 1+3, 222团, phone numbers), a Chinese 一 + counter (一家企业),
idioms built from a bare 十/百/千/万 (万家, 千方百计, 百校), vague 数百/几十, phases (二期) and slogans (四个意识).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import cn2an


@dataclass(frozen=True)
class Quantity:
    """One figure: its span in the input and its value in the base unit of its family."""
    start: int                   # text[start:end] is the figure, qualifiers (超, 多, 左右) and unit included
    end: int
    text: str
    value: Decimal               # exact, no exponent: 30多亿元 -> Decimal('3000000000')
    value_high: Decimal | None   # upper bound of a range (六七万元, 20%—30%)
    unit: str                    # base unit (元, 人, 人次, 户, the counter itself, 亩, 吨, %, ...)
    unit_family: str             # only figures of one family may be added up
    approx: str                  # 'exact' | 'more_than' | 'about'
    measure_word: str            # magnitude + unit as written: 万元, 万人次, 名, 个


_COUNTERS = ("个 项 家 所 座 间 台 套 场 场次 次 班次 期 节 种 册 件 只 头 趟 批 批次 "
             "条 处 张 株 棵 辆 架 对 支 篇 部 门 类 款 例")
_THOUSANDTH = Decimal("0.001")
# written unit -> (base unit, family, factor to the base unit)
UNITS: dict[str, tuple[str, str, Decimal]] = {
    **{c: (c, "count", Decimal(1)) for c in _COUNTERS.split()},
    "元": ("元", "money", Decimal(1)), "人民币": ("元", "money", Decimal(1)),
    "人": ("人", "people", Decimal(1)), "名": ("人", "people", Decimal(1)), "位": ("人", "people", Decimal(1)),
    "人次": ("人次", "person_times", Decimal(1)), "户": ("户", "households", Decimal(1)),
    "亩": ("亩", "area_mu", Decimal(1)), "平方米": ("平方米", "area_m2", Decimal(1)),
    "公顷": ("公顷", "area_ha", Decimal(1)), "平方公里": ("平方公里", "area_km2", Decimal(1)),
    "立方米": ("立方米", "volume", Decimal(1)),
    "吨": ("吨", "weight", Decimal(1)), "公斤": ("吨", "weight", _THOUSANDTH), "千克": ("吨", "weight", _THOUSANDTH),
    "千瓦": ("千瓦", "power", Decimal(1)), "兆瓦": ("千瓦", "power", Decimal(1000)),
    "千瓦时": ("千瓦时", "energy", Decimal(1)),
    "公里": ("公里", "length", Decimal(1)), "米": ("公里", "length", _THOUSANDTH),
    "%": ("%", "percent", Decimal(1)), "％": ("%", "percent", Decimal(1)), "成": ("%", "percent", Decimal(10)),
    "个百分点": ("百分点", "percent_points", Decimal(1)),
}
# A counter followed by these characters is the start of another word (三家庄, 6个月, 门诊, 对口, 种植...).
_NOT_BEFORE = {
    "个": "多?半?(?:月|小时|工作日|星期|钟头)", "家": "[庄村乡]", "对": r"[\d一口接比于标话外象待照应]",
    "户": "[外口籍型]", "种": "[植子养苗]", "头": "[部条号]", "门": "[诊口票户店前外]", "部": "[署分门长位]",
    "场": "[所景地馆]", "次": "[日年]", "期": "[间限末中]", "节": "[点约能目]", "条": "[件例款]",
    "处": "[理置于长]", "间": "[隔距断]", "台": "阶", "座": "[谈位]", "所": "[以有属在需能]",
    "支": "[持援付出撑柱]", "只": "[是有要能]", "批": "[准复示]", "名": "[称单誉义]", "位": "[于居数列置]",
    "成": "[员本立为果功]", "例": "[如外子证行]",
}
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7,
                "亿": 10**8, "十亿": 10**9, "百亿": 10**10, "千亿": 10**11, "万亿": 10**12}
# Qualifiers written before the number; 上 only as 上万/上千/上百/上亿.
_PREFIXES = ("超过", "超出", "突破", "不少于", "不低于", "至少", "逾", "超", "过", "破", "上(?=[百千万亿])",
             "大约", "将近", "接近", "约", "近")
_ABOUT = {"大约", "将近", "接近", "约", "近", "左右", "上下"}  # every other qualifier means more_than
# A one-character qualifier is the tail of another word after these (通过, 附近, 签约, 成千上万...).
_PREFIX_BAD_PREV = {"过": "通经不越度超跨", "近": "附最临靠邻就亲贴逼将接", "约": "签契节制预合公条邀盟履违践特大",
                    "超": "赶高", "破": "突打", "上": "千"}
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGITS = "一二两三四五六七八九"
# A number glued to these is part of a code, date, time, ordinal or formula (2023-09, 08:44, 第3, 1+3, PM2.5).
_BAD_PREV = set("0123456789.:-—–/+×*~～#第数几") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Chinese numerals after these are grades, weekdays or part of a longer numeral (高三, 周一, 十一).
_CN_BAD_PREV = set(_CN_CHARS) | set("高初周拜")
_SLOGANS = ("维护", "确立", "意识", "自信", "全面", "代表", "认同", "共同", "离不开", "一百年", "必须", "坚持")
_PAIRS = {"一二", "一两", "二三", "两三", "三四", "三五", "四五", "五六", "六七", "七八", "八九"}

_DIGIT_RUN = re.compile(f"[{_CN_DIGITS}〇]{{2}}")  # 一一 (唯一一所), 二〇二三: digits read one by one
_AR = r"(?:[1-9]\d{0,2}(?:,\d{3})+(?!\d)|[1-9]\d*|0)(?:\.\d+)?"
_CN = "[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千]*(?:[万亿][零〇一二两三四五六七八九十百千]+)*"
# The leading lookahead lets the scan skip ordinary characters cheaply.
_PATTERN = re.compile(rf"""
    (?=[\d{_CN_DIGITS}十百千万亿{"".join(sorted({w[0] for w in _PREFIXES}))}])
    (?P<pre>{"|".join(_PREFIXES)})?
    (?:
        (?P<pp>百分之)?
        (?: (?P<lo>{_AR})(?P<lomult>万|亿)?(?:%|％)?(?:[-—–~～]{{1,2}}|至|到)(?=\d)
          | (?P<fac>[1-9]\d*)[×xX*](?=\d)
          | (?P<yi>[1-9]\d*)亿(?=[1-9]) )?
        (?: (?P<ar>{_AR}) | (?P<pair>[{_CN_DIGITS}]{{2}}[十百千]?(?![零〇{_CN_DIGITS}十百千])) | (?P<cn>{_CN}) )
        (?P<q1>多|余)? (?P<mult>万亿|[十百千]?万|[十百千]?亿|千(?![瓦克])|百)?
      | (?P<bare>万亿|万|亿)
    )
    (?P<q2>多|余)?
    (?P<unit>{"|".join(re.escape(w) + (f"(?!{_NOT_BEFORE[w]})" if w in _NOT_BEFORE else "")
                       for w in sorted(UNITS, key=len, reverse=True))})?
    (?P<suf>左右|以上|上下(?![班游级楼]))?
""", re.VERBOSE)


def find_quantities(text: str) -> list[Quantity]:
    """Return every figure in a simplified paragraph, in order and non-overlapping."""
    found = (_quantity(text, m) for m in _PATTERN.finditer(text))
    return [q for q in found if q is not None]


def parse_quantity(text: str) -> Quantity | None:
    """Parse one figure written alone ("30多亿元"); None if the whole text is not exactly one figure."""
    text = text.strip()
    found = find_quantities(text)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0]
    return None


def format_quantity(q: Quantity) -> str:
    """Write a quantity canonically ("超3000000000元") so that parse_quantity reads the same value back."""
    number = _plain_text(q.value)
    if q.value_high is not None:
        number += "—" + _plain_text(q.value_high)
    prefix = {"more_than": "超", "about": "约"}.get(q.approx, "")
    return prefix + number + ("个百分点" if q.unit == "百分点" else q.unit)


def _quantity(text: str, m: re.Match) -> Quantity | None:
    """Turn one regex match into a Quantity, or None when the context shows it is not a figure."""
    pre = m["pre"] if m["pre"] and _prefix_ok(text, m.start("pre"), m["pre"]) else None
    start = m.start() if pre or not m["pre"] else m.end("pre")  # a false qualifier (通过) is left out
    if not (pre or _start_ok(text, m, start)) or not _unit_ok(text, m):
        return None
    unit, values = _unit_of(m, pre), _values(m)
    if unit is None or values is None:
        return None
    base, family, factor = unit
    approx = _approx(pre, m["q1"], m["q2"], m["suf"])
    low, high = (None if v is None else _plain(v * factor) for v in values)
    if _is_idiom(m, approx, family) or (high is not None and high <= low):
        return None
    measure = "百分之" if m["pp"] else (m["mult"] or m["bare"] or "") + (m["unit"] or "")
    return Quantity(start, m.end(), text[start:m.end()], low, high, base, family, approx, measure)


def _prefix_ok(text: str, start: int, prefix: str) -> bool:
    """A one-character qualifier is not one when it ends another word (通过, 附近, 签约)."""
    return not (start and text[start - 1] in _PREFIX_BAD_PREV.get(prefix, ""))


def _start_ok(text: str, m: re.Match, start: int) -> bool:
    """Reject numbers glued to codes, dates, ordinals, vague 数/几, ranks (前三名) and grades (高三)."""
    prev = text[start - 1] if start else ""
    if prev in _BAD_PREV or (prev.isspace() and text[max(0, start - 8):start].rstrip()[-1:].isdigit()):
        return False
    chinese = m["cn"] or m["pair"] or m["bare"]
    if chinese and (prev in _CN_BAD_PREV or (prev == "成" and chinese[0] in "百千万")):
        return False
    return not (prev == "前" and m["unit"] in ("名", "位"))


def _unit_ok(text: str, m: re.Match) -> bool:
    """Reject reduplicated counters (一个个), phases (二期), slogans (四个意识) and 成 after Arabic digits."""
    unit, end, chinese = m["unit"], m.end("unit"), m["cn"] or m["pair"]
    if unit and len(unit) == 1 and text[end:end + 1] == unit:
        return False
    # 二期 is a phase; a longer numeral (八十六期) counts sessions
    if chinese and ((unit == "期" and len(chinese) == 1) or (unit == "个" and text.startswith(_SLOGANS, end))):
        return False
    return unit != "成" or bool(m["pair"] or (m["cn"] and len(m["cn"]) == 1 and not m["mult"]))


def _unit_of(m: re.Match, pre: str | None) -> tuple[str, str, Decimal] | None:
    """The (base unit, family, factor) of a figure; only 百分之N and 过亿-style money may omit the unit."""
    if m["pp"]:
        return None if m["unit"] or m["mult"] else ("%", "percent", Decimal(1))
    if m["unit"]:
        return UNITS[m["unit"]]
    if pre and m["bare"] in ("亿", "万亿"):
        return UNITS["元"]
    return None


def _approx(*qualifiers: str | None) -> str:
    """The first qualifier decides: more_than, about, or exact when there is none."""
    for word in qualifiers:
        if word:
            return "about" if word in _ABOUT else "more_than"
    return "exact"


def _is_idiom(m: re.Match, approx: str, family: str) -> bool:
    """A Chinese 一 + counter, or a bare unqualified 十/百/千/万 (万家, 百校, 亿元产业), is a word, not a figure."""
    if (m["cn"] == "一" and not m["mult"]) or (m["bare"] and approx == "exact"):
        return True
    lone = m["bare"] or m["cn"] in ("十", "百", "千")
    return bool(lone) and approx == "exact" and family != "money" and not m["pp"]


def _values(m: re.Match) -> tuple[Decimal, Decimal | None] | None:
    """The (low, high) number before unit conversion, or None when the numeral does not parse."""
    mult = Decimal(_MULTIPLIERS[m["mult"]]) if m["mult"] else Decimal(1)
    if m["bare"]:
        return Decimal(_MULTIPLIERS[m["bare"]]), None
    if m["pair"]:
        return _pair_values(m["pair"], mult)
    if m["cn"]:
        # 三亿五千万 only reads right as a whole; 十余万 is 十 times 万
        joint = m["mult"] and not m["q1"]
        value = _cn_value(m["cn"] + m["mult"]) if joint else _cn_value(m["cn"])
        return None if value is None else (value if joint else value * mult, None)
    value = Decimal(m["ar"].replace(",", "")) * mult
    if m["yi"]:
        small = _MULTIPLIERS.get(m["mult"], 10**8) < 10**8  # 1亿2000万, 2亿1千万
        return (Decimal(m["yi"]) * 10**8 + value, None) if small else None
    if m["fac"]:
        return Decimal(m["fac"]) * value, None
    if m["lo"]:
        lo_mult = Decimal(_MULTIPLIERS[m["lomult"]]) if m["lomult"] else mult
        return Decimal(m["lo"].replace(",", "")) * lo_mult, value
    return value, None


def _pair_values(pair: str, mult: Decimal) -> tuple[Decimal, Decimal] | None:
    """六七 -> (6, 7), 二三十 -> (20, 30); other digit pairs (一一, 五一) are not ranges."""
    if pair[:2] not in _PAIRS:
        return None
    scale = mult * _MULTIPLIERS.get(pair[2:], 1)
    low, high = (Decimal(_cn_value(digit)) for digit in pair[:2])
    return low * scale, high * scale


@lru_cache(maxsize=4096)
def _cn_value(numeral: str) -> Decimal | None:
    """Value of a Chinese numeral (百 -> 100, 两亿 -> 200000000); None for digit strings like 一一 or 二〇二三."""
    if len(numeral) > 24 or _DIGIT_RUN.search(numeral):
        return None
    if numeral[0] in "百千万亿":
        numeral = "一" + numeral
    try:
        return Decimal(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without an exponent: Decimal('3E+9') -> Decimal('3000000000')."""
    return Decimal(_plain_text(value))


def _plain_text(value: Decimal) -> str:
    return format(value.normalize(), "f")
