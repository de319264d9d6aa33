"""Near-duplicate detection: character shingles of normalized text, bottom-k sketches, containment."""

from __future__ import annotations

import hashlib
import heapq
import re

# Share of one article's shingles found in another above which it is a copy (a reprint, a truncated page).
NEAR_DUPLICATE = 0.6

_NOT_TEXT = re.compile(r"[\W_]+")


def shingles(text: str, n: int = 8) -> set[int]:
    """Hashes of every n characters of `text` (normalized text) with punctuation and whitespace removed.

    Hashes are the first 63 bits of BLAKE2b, stable across processes and within a signed BIGINT.
    """
    letters = _NOT_TEXT.sub("", text)
    if not letters:
        return set()
    if len(letters) <= n:
        return {_hash(letters)}
    return {_hash(letters[i : i + n]) for i in range(len(letters) - n + 1)}


def sketch(shingle_set: set[int], k: int = 32) -> list[int]:
    """The k smallest shingle hashes, ascending: a fixed-size sample to find candidate copies."""
    return heapq.nsmallest(k, shingle_set)


def containment(a: set[int], b: set[int]) -> float:
    """|a ∩ b| / |a|: how much of `a` appears in `b` (0.0 when `a` is empty)."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def _hash(piece: str) -> int:
    return int.from_bytes(hashlib.blake2b(piece.encode("utf-8"), digest_size=8).digest(), "big") >> 1
