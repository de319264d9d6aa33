"""One rule of where a sentence ends (articles/text/sentences.py) and one occurrence finder (articles/text/find.py)."""

import pytest

from articles.text.find import find_all
from articles.text.sentences import SENTENCE_END, sentence_around, sentence_bounds

PARAGRAPH = "今年投入援疆资金3亿元﹔新建学校12所；培训教师500人次。\n下一段"


@pytest.mark.parametrize("mark", list("。！？!?；;﹔\n"))
def test_each_mark_ends_a_sentence(mark):
    assert SENTENCE_END.fullmatch(mark)


@pytest.mark.parametrize("mark", list("，,、：:…"))
def test_phrase_punctuation_does_not_end_a_sentence(mark):
    assert not SENTENCE_END.search(mark)


def test_small_semicolon_ends_a_sentence():
    start = PARAGRAPH.index("12所")
    assert sentence_around(PARAGRAPH, start, start + 3) == "新建学校12所；"
    start = PARAGRAPH.index("3亿元")
    assert sentence_around(PARAGRAPH, start, start + 3) == "今年投入援疆资金3亿元﹔"


def test_sentence_bounds_include_the_closing_mark_and_stop_at_a_line_break():
    start = PARAGRAPH.index("500人次")
    left, right = sentence_bounds(PARAGRAPH, start, start + 5)
    assert PARAGRAPH[left:right] == "培训教师500人次。"
    start = PARAGRAPH.index("下一段")
    assert sentence_bounds(PARAGRAPH, start, start + 1) == (start, len(PARAGRAPH))


def test_sentence_around_a_text_without_marks_is_the_text():
    assert sentence_around("  援疆资金3亿元 ", 6, 9) == "援疆资金3亿元"


def test_find_all_gives_every_start_overlapping_ones_too():
    assert find_all("3亿元，13亿元，3亿元", "3亿元") == [0, 5, 9]
    assert find_all("aaa", "aa") == [0, 1]
    assert find_all("援疆资金", "亿") == []
    assert find_all("援疆资金", "") == []
