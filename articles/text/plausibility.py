"""Figures too large to be what they claim: held out of totals until a curator verifies them.

A wrong figure that is small misleads little; a county's "aid funding" of 580亿元 (its GDP, misread) outweighs
every true figure beside it. The bounds and their sources are in articles/data/plausibility.json.
"""

import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "plausibility.json"
# Rates that may pass 100%: growth, and progress against a plan.
OVER_100_ALLOWED = re.compile(r"增长|增加|提高|提升|增幅|同比|比上年|完成|到位|超额|超过计划|倍")
# Areas below the prefecture: one of them cannot receive more than all donors give in a year.
LOCAL_LEVELS = {"county", "city", "district", "regiment", "zone"}


@lru_cache(maxsize=1)
def _annual_funding() -> Decimal:
    return Decimal(json.loads(DATA.read_text("utf-8"))["annual_funding_all_donors_yuan"]["value"])


def hold_reason(kind: str, unit_family: str, value: Decimal, clause: str, area_level: str | None,
                single_year: bool) -> str:
    """Why a figure should wait for a curator before it is counted, or '' when it is plausible."""
    if unit_family == "percent" and value > 100 and not OVER_100_ALLOWED.search(clause):
        return "a share above 100%"
    if kind == "funding" and unit_family == "money" and value > _annual_funding():
        if area_level in LOCAL_LEVELS:
            return "more aid funding for one county than all 19 donors give in a year"
        if single_year:
            return "more aid funding in one year than all 19 donors give together"
    return ""
