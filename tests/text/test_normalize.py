"""Tests for normalization: simplified script, pinyin and spaces out, and offsets that stay honest."""
from itertools import pairwise
from pathlib import Path

import pytest

from articles.text.normalize import detect_script, normalize, to_simplified

SEEDS = sorted(Path(__file__).resolve().parents[2].joinpath("seeds").glob("*.txt"))
DIGITS = {str(d): {str(d), chr(0xFF10 + d)} for d in range(10)}


def _seed(prefix: str) -> str:
    return next(path for path in SEEDS if path.name.startswith(prefix)).read_text("utf-8")


@pytest.mark.parametrize(
    "original, text",
    [
        ("援疆資金突破 10.1 亿元", "援疆资金突破10.1亿元"),
        ("投资10.1\u00a0亿元", "投资10.1亿元"),
        ("投入１２３４万元，增长５０％", "投入1234万元，增长50%"),
        ("１２．５亿元", "12.5亿元"),
        ("3,000人", "3000人"),
        ("共计1\u00a0000\u00a0000元", "共计1000000元"),
        ("共计 1 200 元", "共计1200元"),
        ("重點任務(wù),堅持", "重点任务，坚持"),
        ("經(jīng)濟社會高質(zhì)量發(fā)展", "经济社会高质量发展"),
        ("哈薩克族群眾", "哈萨克族群众"),
        ("\u3000\u3000全角空格开头", "全角空格开头"),
        ("abc\u200bdef\ufeff", "abcdef"),
        ("新疆（腐植酸）项目", "新疆（腐植酸）项目"),
        ("许可证(0106168)", "许可证（0106168）"),
        ("共3,000,包括", "共3000，包括"),
        ("0991- 8550318", "0991-8550318"),
        ("2023 100", "2023 100"),
    ],
)
def test_normalized_text(original, text):
    assert normalize(original).text == text


def test_simplified_text_is_left_to_itself():
    assert normalize("乾隆年间的干部").text == "乾隆年间的干部"


def test_script_forced_simplified_skips_conversion():
    assert normalize("援疆項目", "simplified").text == "援疆項目"


@pytest.mark.parametrize("prefix, script", [("000", "simplified"), ("001", "simplified"), ("002", "traditional"),
                                            ("003", "traditional"), ("004", "simplified")])
def test_detect_script_of_each_seed(prefix, script):
    assert detect_script(_seed(prefix)) == script


def test_t2s_keeps_kazakh_as_kazakh():
    assert to_simplified("哈薩克自治州") == "哈萨克自治州"


def test_original_span_of_a_figure_after_pinyin_and_spaces():
    original = "經(jīng)濟累計投入 10.1 億元，受益群眾達1.6萬人"
    normalized = normalize(original)
    for figure, written in (("10.1亿元", "10.1 億元"), ("1.6万人", "1.6萬人")):
        start = normalized.text.index(figure)
        begin, end = normalized.original_span(start, start + len(figure))
        assert original[begin:end] == written


def test_empty_span_maps_to_a_point():
    normalized = normalize("援疆 10 亿元")
    assert normalized.original_span(2, 2) == (3, 3)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_of_every_seed_are_honest(prefix):
    original = _seed(prefix)
    normalized = normalize(original)
    offsets = normalized.offsets
    assert len(offsets) == len(normalized.text) + 1
    assert all(a < b for a, b in pairwise(offsets))
    assert offsets[0] >= 0 and offsets[-1] <= len(original)
    for index, ch in enumerate(normalized.text):
        source = original[offsets[index]]
        if ch in DIGITS:
            assert source in DIGITS[ch]
        elif ch.isascii() and ch.isalpha():
            assert source.lower() == ch.lower() or ord(source) - 0xFEE0 == ord(ch)
        elif "\u4e00" <= ch <= "\u9fff":
            assert to_simplified(source) == ch or source == ch or to_simplified(original[offsets[index]:][:4])[0] == ch


def test_offsets_of_empty_and_blank_text():
    assert normalize("").offsets == (0,)
    assert normalize("  \n ") == normalize("  \n ")
    assert normalize("  \n ").text == ""
