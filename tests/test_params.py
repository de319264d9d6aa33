"""Whole numbers read from query parameters: ASCII digits only, within a database id's range."""

import pytest

from articles.params import MAX_ID, parse_id, parse_id_list


def test_parse_id_reads_ascii_digits():
    assert parse_id("1") == 1
    assert parse_id("0042") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID


@pytest.mark.parametrize("text", [
    "\u00b2", "\u2460", "\u0661\u0662", "\uff11\uff12", "\U0001d7d9", "\u0967", "1\u00b2",
    "", " 1", "1\n", "+1", "-1", "0", "1.0", "1e3", "0x1", "1_000",
    str(MAX_ID + 1), "9" * 20, "9" * 5000, "1\x00", None, 12,
])
def test_parse_id_refuses_anything_else(text):
    assert parse_id(text) is None


def test_parse_id_list_sorts_and_drops_repeats():
    assert parse_id_list("3, 1,2,,3 ") == [1, 2, 3]
    assert parse_id_list("") == []


def test_parse_id_list_refuses_a_list_with_one_bad_part():
    assert parse_id_list("1,\u00b2") is None
    assert parse_id_list("1,-2") is None
