"""Near-duplicate detection: character shingles of normalized text, bottom-k sketches, containment."""

from __future__ import annotations

import heapq
import re

import xxhash

# Share of one article's shingles found in another above which it is a copy (a reprint, a truncated page).
NEAR_DUPLICATE = 0.6

_NOT_TEXT = re.compile(r"[\W_]+")


def shingles(text: str, n: int = 8) -> set[int]:
    """Hashes of every n characters of `text` (normalized text) with punctuation and whitespace removed.

    Hashes are the top 63 bits of XXH3-64 over the characters' UTF-32 code units: stable across processes
    and machines, within a signed BIGINT, and several times cheaper than a cryptographic hash, which matters
    because an import hashes every position of every article.
    """
    letters = _NOT_TEXT.sub("", text)
    if not letters:
        return set()
    # Fixed-width code units: each window is a slice of one buffer, with no per-window encoding.
    units = memoryview(letters.encode("utf-32-le"))
    width = 4 * min(n, len(letters))
    digest = xxhash.xxh3_64_intdigest
    return {digest(units[i : i + width]) >> 1 for i in range(0, len(units) - width + 1, 4)}


def sketch(shingle_set: set[int], k: int = 32) -> list[int]:
    """The k smallest shingle hashes, ascending: a fixed-size sample to find candidate copies."""
    return heapq.nsmallest(k, shingle_set)


def containment(a: set[int], b: set[int]) -> float:
    """|a ∩ b| / |a|: how much of `a` appears in `b` (0.0 when `a` is empty)."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def is_near_copy(a: set[int], b: set[int]) -> bool:
    """Whether one of two texts (their shingles) is a near copy of the other: the shorter one is found in the
    longer one up to NEAR_DUPLICATE, as a reprint or a truncated page is."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return containment(shorter, longer) >= NEAR_DUPLICATE

