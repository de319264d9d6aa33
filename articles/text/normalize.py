"""Normalize article text for matching: simplified script, one punctuation style, offsets back to the original.

Every step either keeps the length (one character in, one character out) or deletes characters, so each
normalized character maps to exactly one original character and `offsets` stays honest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import opencc

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Characters that make an ASCII punctuation mark "Chinese": Han, CJK and full-width punctuation, curly quotes.
WIDE = HAN + "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7"
# Full-width punctuation that never wants a space beside it.
WIDE_PUNCT = "，。、；：？！（）“”‘’《》【】「」『』〈〉…"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"

# Pinyin annotation after a Han character: 務(wù), 產（chǎn）. Needs a tone mark or ü, so (腐植酸) and
# (0106168) stay.
_PINYIN = f"(?<=[{HAN}])[(（] ?[a-z{TONED}]{{0,5}}[{TONED}][a-z{TONED}]{{0,5}} ?[)）]"
_INVISIBLE = "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u200b-\u200d\u2060\ufeff]"
_FIRST_DELETIONS = re.compile(f"{_INVISIBLE}|{_PINYIN}")

# Thousands separated by commas or spaces (a no-break space is a space by then): 3,000 and 1 000 000.
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*(?!\d|(?P=sep)\d)")

_SPACE_DELETIONS = re.compile(
    f"(?<=[{HAN}]) +(?=\\d)"  # 突破 10.1
    f"|(?<=\\d) +(?=[{HAN}%])"  # 10.1 亿元
    r"|(?<=\d[-.]) +(?=\d)|(?<=\d) +(?=[-.]\d)"  # 0991- 8550318
    f"|(?<=[{WIDE_PUNCT}]) +| +(?=[{WIDE_PUNCT}])"
    r"|\A +| +\Z|(?<=\n) +| +(?=\n)"
    r"|(?<= ) +"
)

_SAME_LENGTH = str.maketrans(
    {
        **{chr(c): " " for c in (0x09, 0x3000, 0xA0, 0x202F, 0x205F, *range(0x2000, 0x200B))},
        **{chr(c): "\n" for c in (0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0x2028, 0x2029)},
        **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "％": "%",
    }
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAY_TRANSLATE = re.compile("[" + re.escape("".join(map(chr, _SAME_LENGTH))) + "]")
_FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")

_TO_WIDE = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_CLAUSE_MARK = re.compile(f"(?:(?<=[{WIDE}])|(?<=[{WIDE}] ))[,;:!]|[,;:!](?= ?[{WIDE}])")
# A question mark after Chinese text and before a break; "經驗?zāi" and "剑?021" are mojibake and stay.
_QUESTION_MARK = re.compile(f"(?<=[{HAN}”’」』）])\\?(?=\\s|$|[{WIDE}])")
_PAREN_PAIR = re.compile(r"\(([^()\n]{0,80})\)")
_LONE_PAREN = re.compile(f"(?<=[{WIDE}])[()]|[()](?=[{WIDE}])")
_WIDE_CHAR = re.compile(f"[{WIDE}]")

# Cheap tests that let most lines skip a costly pattern: every match of the pattern needs such a character.
_MAY_DELETE_FIRST = re.compile(f"{_INVISIBLE}|[(（]")
_MAY_WIDEN = re.compile(r"[,;:!?()]")

_CHUNK = re.compile(r"[^，。；！？\n]*[，。；！？\n]?")


@dataclass(frozen=True)
class Normalized:
    text: str  # simplified, cleaned
    offsets: tuple[int, ...]  # len(text)+1 items; offsets[i] = index in the original of text[i]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original string that normalized text[start:end] came from."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(original: str, script: str | None = None) -> Normalized:
    """Clean `original` for matching and convert it to simplified script, keeping offsets.

    `script` forces the conversion ('traditional' converts, 'simplified' does not); by default the
    text's own script decides, so simplified text is never touched by the converter.
    """
    text = _SURROGATE.sub("\ufffd", original)
    if _MAY_TRANSLATE.search(text):
        text = text.translate(_SAME_LENGTH)
    offsets = list(range(len(original) + 1))
    if _MAY_DELETE_FIRST.search(text):
        text, offsets = _delete(text, offsets, _spans(_FIRST_DELETIONS, text))
    if "," in text or " " in text:
        text, offsets = _delete(text, offsets, _digit_group_separators(text))
    if "．" in text:
        text = _FULLWIDTH_POINT.sub(".", text)
    text = _widen_punctuation(text)
    if " " in text:
        text, offsets = _delete(text, offsets, _spans(_SPACE_DELETIONS, text))
    text = _simplified(text, script)
    text, offsets = _strip(text, offsets)
    return Normalized(text, tuple(offsets))


def detect_script(text: str) -> str:
    """'traditional' when more characters change under t2s than under s2t, else 'simplified'."""
    return _script_of(text, _convert(_t2s(), text))


def to_simplified(text: str) -> str:
    """Plain OpenCC t2s conversion (whole text, phrases included)."""
    return _t2s().convert(_SURROGATE.sub("\ufffd", text))


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    # t2s, not tw2sp: tw2sp rewrites 哈薩克 as 哈萨克斯坦.
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _simplified(text: str, script: str | None) -> str:
    if script == "simplified":
        return text
    converted = _convert(_t2s(), text)
    if script == "traditional" or _script_of(text, converted) == "traditional":
        return converted
    return text


def _script_of(text: str, simplified: str) -> str:
    changed_by_t2s = _changes(text, simplified)
    if not changed_by_t2s:
        return "simplified"
    changed_by_s2t = _changes(text, _convert(_s2t(), text))
    return "traditional" if changed_by_t2s >= changed_by_s2t else "simplified"


def _changes(before: str, after: str, chunk: int = 64) -> int:
    """Characters that differ between two strings of one length; equal chunks are skipped in one comparison."""
    return sum(
        sum(map(str.__ne__, before[i : i + chunk], after[i : i + chunk]))
        for i in range(0, len(before), chunk)
        if before[i : i + chunk] != after[i : i + chunk]
    )


def _convert(converter: opencc.OpenCC, text: str) -> str:
    """Convert keeping the length: chunk by chunk, then character by character where a phrase changed it."""
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    pieces = []
    for chunk in _CHUNK.findall(text):
        piece = converter.convert(chunk)
        if len(piece) != len(chunk):
            piece = "".join(_convert_char(converter, ch) for ch in chunk)
        pieces.append(piece)
    return "".join(pieces)


@lru_cache(maxsize=65536)
def _convert_char(converter: opencc.OpenCC, ch: str) -> str:
    converted = converter.convert(ch)
    return converted if len(converted) == 1 else ch


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _digit_group_separators(text: str) -> list[tuple[int, int]]:
    """Spans of the separators in digit groups (3,000 -> 3000, 1 000 000 -> 1000000)."""
    spans = []
    for match in _DIGIT_GROUPS.finditer(text):
        start, separator = match.start(), match.group("sep")
        spans.extend((start + i, start + i + 1) for i, ch in enumerate(match.group()) if ch == separator)
    return spans


def _delete(text: str, offsets: list[int], spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """Remove the sorted, disjoint `spans` from text and offsets (the final offset always stays)."""
    if not spans:
        return text, offsets
    pieces, kept, position = [], [], 0
    for start, end in spans:
        pieces.append(text[position:start])
        kept.extend(offsets[position:start])
        position = end
    pieces.append(text[position:])
    kept.extend(offsets[position:])
    return "".join(pieces), kept


def _strip(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if start == 0 and end == len(text):
        return text, offsets
    if end <= start:
        return "", [offsets[-1]]
    return text[start:end], offsets[start:end] + [offsets[-1]]


def _widen_punctuation(text: str) -> str:
    """ASCII , : ; ! ? ( ) next to Chinese text become their full-width forms (same length)."""
    if not _MAY_WIDEN.search(text) or not _WIDE_CHAR.search(text):
        return text
    text = _CLAUSE_MARK.sub(lambda m: _TO_WIDE[m.group()], text)
    text = _QUESTION_MARK.sub("？", text)
    text = _PAREN_PAIR.sub(_widen_pair, text)
    return _LONE_PAREN.sub(lambda m: _TO_WIDE[m.group()], text)


def _widen_pair(match: re.Match) -> str:
    start, end, text = match.start(), match.end(), match.string
    if _WIDE_CHAR.search(text[start - 1 : start] + match.group(1) + text[end : end + 1]):
        return f"（{match.group(1)}）"
    return match.group()
