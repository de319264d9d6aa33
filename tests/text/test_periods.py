"""Periods as written in a sentence, resolved against the publication year."""

import pytest

from articles.text.periods import find_period


@pytest.mark.parametrize(
    "sentence, year, expected",
    [
        ("2023年以来，19个援疆省市紧扣目标", 2025, ("2023年以来", 2023, 2025)),
        ("自2023年起，吉林省援疆指挥部陆续购置设备", 2025, ("自2023年起", 2023, 2025)),
        ("3年来，我省第四批援疆干部人才建功立业", 2023, ("3年来", 2020, 2023)),
        ("三年多来，鲁疆同心", 2023, ("三年多来", 2020, 2023)),
        ("今年以来累计带动就业20.7万人次", 2023, ("今年以来", 2023, 2023)),
        ("截至2024年底，全市培育电商人才已达9500多人", 2025, ("截至2024年底", None, 2024)),
        ("去年8月，北京市援疆和田指挥部促成", 2025, ("去年8月", 2024, 2024)),
        ("2024年，磐石接待游客170万人次", None, ("2024年", 2024, 2024)),
        ("2020年我省第四批援疆干部人才进疆以来，实施项目", 2023, ("2020年我省第四批援疆干部人才进疆以来", 2020, 2023)),
        ("今年以来累计带动就业", None, ("今年以来", None, None)),
    ],
)
def test_period_found_and_resolved(sentence, year, expected):
    period = find_period(sentence, year)
    assert (period.text, period.year_start, period.year_end) == expected


def test_no_period_in_plain_sentence():
    assert find_period("实施援疆项目184个", 2023) is None
