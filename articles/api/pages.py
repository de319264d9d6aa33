"""Cursor pagination: a page of rows in a fixed order, and an opaque `next` link that resumes after its last row.

A cursor is the last row's position in the order (its sort key), so a page costs the same however deep it is,
and rows added meanwhile neither repeat nor shift a walk already under way (unlike page numbers).
"""

import base64
import binascii
import json
from collections.abc import Callable

from django.db.models import Q

from ..params import parse_id
from .errors import BadParameter
from .links import absolute

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_CURSOR_CHARS = 200

PARAMETERS = [
    {"name": "limit", "in": "query", "required": False,
     "description": f"Rows per page, 1 to {MAX_LIMIT}.",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
    {"name": "cursor", "in": "query", "required": False,
     "description": "Where a page starts: copy it from the previous page's `next` link, never build it.",
     "schema": {"type": "string", "maxLength": MAX_CURSOR_CHARS}},
]


def read_limit(request) -> int:
    text = request.GET.get("limit")
    if text is None:
        return DEFAULT_LIMIT
    limit = parse_id(text)
    if limit is None or limit > MAX_LIMIT:
        raise BadParameter("limit", f"Give a whole number from 1 to {MAX_LIMIT} (ASCII digits).")
    return limit


def encode_cursor(position: list[str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def decode_cursor(text: str) -> list[str]:
    """The position a cursor holds: a list of strings, else BadParameter (what it holds is the caller's to check)."""
    try:
        if len(text) > MAX_CURSOR_CHARS:
            raise ValueError
        position = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        position = None
    if not isinstance(position, list) or not all(isinstance(part, str) for part in position):
        raise bad_cursor()
    return position


def cursor_id(text: str) -> int:
    """An id inside a cursor, read as every id is (articles/params.py)."""
    number = parse_id(text)
    if number is None:
        raise bad_cursor()
    return number


def bad_cursor() -> BadParameter:
    return BadParameter("cursor", "Not a cursor this API gave: start again without one, or copy `next` whole.")


def page(request, rows, *, resume_after: Callable[[list[str]], Q], position_of: Callable[[dict], list[str]]) -> dict:
    """One page of `rows` (an ordered values() queryset) after the request's cursor, with the link to the next."""
    limit = read_limit(request)
    cursor = request.GET.get("cursor")
    if cursor is not None:
        rows = rows.filter(resume_after(decode_cursor(cursor)))
    results = list(rows[: limit + 1])
    next_link = None
    if len(results) > limit:
        results = results[:limit]
        query = request.GET.copy()
        query["cursor"] = encode_cursor(position_of(results[-1]))
        next_link = absolute(request, f"{request.path}?{query.urlencode()}")
    return {"next": next_link, "results": results}
