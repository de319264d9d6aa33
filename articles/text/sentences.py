"""Sentences of a paragraph: the one rule of where a sentence ends, shared by extraction, attribution, stages
and curation, so a figure a curator adds gets the quote the extractor would give it."""

import re

# ﹔ (small semicolon) separates sentences in some papers' layouts as ； does.
SENTENCE_MARKS = "。！？!?；;﹔\n"
SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_MARKS)}]")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(left, right) of the sentence holding text[start:end]: from after the last mark before `start` through
    the first mark at or after `end` (the mark included)."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    return left, right


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], stripped: a figure's quote."""
    left, right = sentence_bounds(text, start, end)
    return text[left:right].strip()
