"""Whole numbers in query parameters: ASCII digits only, within the range of a database id.

`str.isdigit()` is true for "²" and "①", which `int()` refuses, and `int()` reads "١٢" (Arabic-Indic) and
"１２" (full-width) as 12: every page and the admin read an id from a query string here and nowhere else.
"""

import re

ASCII_NUMBER = re.compile(r"[0-9]{1,19}")
# The largest value of a 64-bit signed integer column (SQLite INTEGER, PostgreSQL bigint).
MAX_ID = 2**63 - 1


def parse_id(text) -> int | None:
    """A row id written in ASCII digits (1 to 2⁶³−1), or None for anything else (other digits, signs, overflow)."""
    if not isinstance(text, str) or not ASCII_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_id_list(text: str) -> list[int] | None:
    """`1,2, 3`: sorted distinct ids, or None when any part is not an id (an empty text is an empty list)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    ids = [parse_id(part) for part in parts]
    if None in ids:
        return None
    return sorted(set(ids))
