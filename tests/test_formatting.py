"""Numbers as the site writes them (articles/formatting.py), and the admin and export writing them the same way."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from articles import formatting
from articles.admin import display
from articles.export import _plain_number
from articles.selectors import Total


def metric(value, approx="exact", unit="元", unit_family="money", value_high=None):
    return SimpleNamespace(value=Decimal(value), value_high=value_high and Decimal(value_high), approx=approx,
                           unit=unit, unit_family=unit_family)


def total(value, family="money", more_than=0, about=0):
    return Total(group={"kind": "funding", "unit_family": family}, value=Decimal(value), figures=2, sources=1,
                 more_than=more_than, about=about, year_from=None, year_to=None, mixed_periods=False, url="")


@pytest.mark.parametrize("value, digits, separators, text", [
    (Decimal(3000), 2, True, "3,000"),
    (Decimal("12.50"), 2, True, "12.5"),
    (Decimal("1.23456"), 2, True, "1.23"),
    (Decimal("7.00"), 2, True, "7"),
    (Decimal("1.23456"), 4, False, "1.2346"),
    (Decimal("3000000000.0000"), None, False, "3000000000"),
    (Decimal("3E+9"), None, False, "3000000000"),
    (Decimal("0.0500"), None, False, "0.05"),
])
def test_plain_drops_trailing_zeros_and_separates_thousands_on_request(value, digits, separators, text):
    assert formatting.plain(value, digits, separators) == text


@pytest.mark.parametrize("value, lang, scaled", [
    (12_000, "zh-hans", (Decimal(10**4), "万")),
    (3_000_000_000, "zh-hans", (Decimal(10**8), "亿")),
    (2 * 10**12, "zh-hans", (Decimal(10**12), "万亿")),
    (-50_000, "zh-hans", (Decimal(10**4), "万")),
    (9_999, "zh-hans", (Decimal(1), "")),
    (12_000, "en", (Decimal(1), "")),
    (3_000_000_000, "en", (Decimal(10**9), "billion")),
])
def test_scale_picks_the_largest_word_the_value_reaches(value, lang, scaled):
    assert formatting.scale(value, lang) == scaled


@pytest.mark.parametrize("value, text", [
    (Decimal(3000000000), "30亿"),
    (Decimal(15000), "1.5万"),
    (Decimal(820), "820"),
    (Decimal(123456789), "1.2346亿"),
    (Decimal(9999), "9999"),
])
def test_compact_number_writes_wan_and_yi_without_separators_in_any_language(value, text):
    with translation.override("en"):
        assert formatting.compact_number(value) == text


def test_exact_number_keeps_every_digit_for_export():
    assert formatting.exact_number(Decimal("3000000000.0000")) == "3000000000"
    assert formatting.exact_number(Decimal("0.1250")) == "0.125"
    assert _plain_number(Decimal("3E+9")) == "3000000000"


def test_approx_signs():
    assert [formatting.approx_sign(a) for a in ("exact", "more_than", "about", None)] == ["", "≥", "≈", ""]


def test_metric_text_signs_the_figure_and_keeps_a_counts_own_unit():
    assert formatting.metric_text(metric("3000000000", "more_than"), lang="zh-hans") == "≥30亿元"
    assert formatting.metric_text(metric("3000000000", "about"), lang="en") == "≈3 billion yuan"
    assert formatting.metric_text(metric("120", unit="个", unit_family="count"), lang="zh-hans") == "120个"
    assert formatting.metric_text(metric("120", unit="个", unit_family="count"), lang="en") == "120"


def test_total_text_signs_the_total_and_never_sums_shares():
    assert formatting.total_text(total("3000", "people", more_than=1), lang="en") == "≥3,000 people"
    assert formatting.total_text(total("1200000000", about=1), lang="zh-hans") == "≈12亿元"
    assert formatting.total_text(total("1.5", "percent"), lang="zh-hans") == "—"


def test_percent_is_a_whole_percentage():
    assert formatting.percent(0.256) == "26%"
    assert formatting.percent(Decimal(1)) == "100%"


def test_admin_reading_signs_a_lower_bound_as_the_site_does():
    assert display.reading(metric("3000000000", "more_than")) == "≥30亿 元"
    assert display.reading(metric("3000000000", "about")) == "≈30亿 元"
    assert display.reading(metric("30000", unit="人", unit_family="people", value_high="50000")) == "3万–5万 人"
    with translation.override("zh-hans"):
        assert formatting.metric_text(metric("3000000000", "more_than")).startswith("≥")
