"""The period a figure covers, as written ('2023年以来', '3年来', '今年以来'), resolved to years."""

import re
from dataclasses import dataclass

import cn2an

_NUM = r"(?:\d+|[一二两三四五六七八九十]+)"
PATTERNS = [
    # (pattern, resolver(match, publication year) -> (start, end))
    (re.compile(r"(?:自|从)?(\d{4})年(?:\d{1,2}月)?(?:以来|起|至今)"), lambda m, y: (int(m[1]), y)),
    (re.compile(r"(\d{4})年[^，。；,;]{1,16}?(?:以来|至今)"), lambda m, y: (int(m[1]), y)),
    (re.compile(r"截至(?:目前|(\d{4})年(?:底|末|\d{1,2}月)?)"), lambda m, y: (None, int(m[1]) if m[1] else y)),
    (re.compile(r"(?:近|这)?(" + _NUM + r")年(?:多)?(?:来|以来)"), lambda m, y: (_minus(y, m[1]), y)),
    (re.compile(r"今年(?:以来|上半年|\d{1,2}月)?"), lambda m, y: (y, y)),
    (re.compile(r"去年(?:\d{1,2}月)?(?:以来)?"),
     lambda m, y: (_minus(y, 1), _minus(y, 1) if "以来" not in m[0] else y)),
    (re.compile(r"(?:“|\")?十(" + r"[一二三四五]" + r")五(?:”|\")?(?:期间|以来)"), lambda m, y: _five_year_plan(m[1])),
    (re.compile(r"(\d{4})年(?:上半年|全年|底|度)?"), lambda m, y: (int(m[1]), int(m[1]))),
]


@dataclass(frozen=True)
class Period:
    text: str
    year_start: int | None
    year_end: int | None


def find_period(sentence: str, published_year: int | None) -> Period | None:
    """The first period expression in the sentence; years stay None where they cannot be known."""
    for pattern, resolve in PATTERNS:
        match = pattern.search(sentence)
        if match:
            start, end = resolve(match, published_year)
            if _plausible(start) and _plausible(end):
                return Period(match[0], start, end)
            return Period(match[0], None, None)
    return None


def _minus(year: int | None, count) -> int | None:
    if year is None:
        return None
    number = int(count) if str(count).isdigit() else int(cn2an.cn2an(count, "smart"))
    return year - number


def _five_year_plan(digit: str) -> tuple[int, int]:
    plan = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15}[digit]
    start = 2006 + (plan - 11) * 5
    return start, start + 4


def _plausible(year: int | None) -> bool:
    return year is None or 1949 <= year <= 2100
