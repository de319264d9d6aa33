"""Turn a file's bytes into text: detect the encoding (UTF-8/16, GB18030, Big5), reduce HTML to its text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from .markup import html_to_text

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file, which is one)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHINESE_TRIALS = ("gb18030", "cp950", "big5hkscs")
# A declared HTML charset names the family; the superset decodes what the page really holds.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950"}
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]{2,20})""", re.I)
_HTML_SIGNS = re.compile(r"<(?:!doctype html|html|body|p|div|br|table)[\s>/]", re.I)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# More bad bytes than this (per 1000) and a file is not text that happens to be damaged.
_MAX_DAMAGE_PER_MILLE = 2
# Stray NUL bytes (a bad copy, a text editor's padding) up to this many per 1000 are dropped; more means binary.
_MAX_NUL_PER_MILLE = 10
_FEW_NULS = 8


class UnreadableFile(ValueError):
    """The file cannot be imported as text; the message says why and what to do."""

    @property
    def reason(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the Python codec that read the bytes, e.g. 'utf-8', 'gb18030', 'cp950'
    replaced: int = 0  # undecodable bytes replaced with U+FFFD (a truncated or damaged file)
    removed: int = 0  # NUL and other control characters dropped from the text

    def warnings(self) -> list[str]:
        """What was wrong with text that could still be read, for the import report."""
        notes = []
        if self.replaced:
            notes.append(f"{self.replaced} undecodable byte(s) replaced with U+FFFD (a damaged or cut-off file?)")
        if self.removed:
            notes.append(f"{self.removed} NUL or control character(s) removed")
        return notes


def decode_bytes(data: bytes, name: str) -> Decoded:
    """The text of a file's bytes, or UnreadableFile naming why it is not an article text."""
    _refuse_binary(data)
    text, encoding, replaced = _decode(data)
    if _looks_like_html(text, name):
        text = html_to_text(text)
    # NUL bytes an 8-bit reading dropped before decoding, plus the control characters dropped now.
    stripped = 0 if encoding.startswith(("utf-16", "utf-32")) else data.count(b"\x00")
    stripped -= text.count("\x00")
    text, removed = _CONTROLS.subn("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise UnreadableFile("the file holds no text (only whitespace or markup)")
    return Decoded(text, encoding, replaced, removed + stripped)


def _refuse_binary(data: bytes) -> None:
    if not data.strip():
        raise UnreadableFile("the file is empty; export the article's text into it and import again")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(f"this is {kind}, not a text file; save the article as plain text and import that")


def _decode(data: bytes) -> tuple[str, str, int]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict_or_damaged(data, codec)
    if b"\x00" in data:
        return _utf16_without_bom(data)
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    text, replaced = _decode_replacing(data, "utf-8")
    if replaced <= 1 + len(data) // 1000:  # UTF-8 cut off mid-character, or a stray bad byte
        return text, "utf-8", replaced
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared, 0
        except (UnicodeDecodeError, LookupError):
            pass
    candidates = [(data.decode(codec), codec) for codec in _CHINESE_TRIALS if _decodes(data, codec)]
    if candidates:
        text, codec = min(candidates, key=lambda candidate: _rare_share(candidate[0]))
        return text, codec, 0
    return _best_damaged(data)


def _strict_or_damaged(data: bytes, codec: str) -> tuple[str, str, int]:
    try:
        return data.decode(codec), codec, 0
    except UnicodeDecodeError:
        text, replaced = _decode_replacing(data, codec)
        if replaced > 1 + len(data) * _MAX_DAMAGE_PER_MILLE // 1000:
            raise UnreadableFile(f"the file starts with a {codec} byte-order mark but is not {codec} text") from None
        return text, codec, replaced


def _utf16_without_bom(data: bytes) -> tuple[str, str, int]:
    """NUL bytes mean binary, unless the file is UTF-16 text that lost its byte-order mark."""
    if len(data) % 2 == 0:
        decoded = [(data.decode(codec), codec) for codec in ("utf-16-le", "utf-16-be") if _decodes(data, codec)]
        decoded = [(_rare_share(text), text, codec) for text, codec in decoded]
        readable = [candidate for candidate in decoded if candidate[0] < 0.5]
        if readable:
            _, text, codec = min(readable)
            return text, codec, 0
    nuls = data.count(b"\x00")
    if nuls > _FEW_NULS and nuls * 1000 > len(data) * _MAX_NUL_PER_MILLE:
        raise UnreadableFile("the file holds NUL bytes, so it is binary, not text; export the article as plain text")
    return _decode(data.replace(b"\x00", b""))


def _best_damaged(data: bytes) -> tuple[str, str, int]:
    """A mostly-valid file with a few bad bytes (a cut-off download) is read with U+FFFD in their place."""
    results = []
    for codec in ("utf-8", "gb18030", "cp950"):
        text, replaced = _decode_replacing(data, codec)
        results.append((replaced, _rare_share(text), text, codec))
    replaced, _, text, codec = min(results, key=lambda result: result[:2])
    if replaced > 1 + len(data) * _MAX_DAMAGE_PER_MILLE // 1000:
        raise UnreadableFile(
            "the bytes are not text in any encoding tried (UTF-8, UTF-16, GB18030, Big5); "
            "if it is an article, save it again as UTF-8 text"
        )
    return text, codec, replaced


def _decode_replacing(data: bytes, codec: str) -> tuple[str, int]:
    text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd")


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    declared = match.group(1).decode("ascii").lower()
    return _SUPERSETS.get(declared, declared)


def _rare_share(text: str) -> float:
    """The share of control characters and characters outside ASCII, common punctuation and common Han.

    GB text read as Big5 (or the reverse) turns into kana, Greek, private-use and seldom-used Han characters,
    so the reading with the smaller share is the right one.
    """
    sample = text[:20000]
    if not sample:
        return 0.0
    common = _common_han()
    rare = sum(1 for ch in sample if _is_rare(ch, common))
    return rare / len(sample)


def _is_rare(ch: str, common: frozenset[str]) -> bool:
    if ch < " ":  # control characters: binary read as UTF-16
        return ch not in "\t\n\r"
    return ch > "\x7f" and ch not in common and not _is_common_symbol(ch)


def _is_common_symbol(ch: str) -> bool:
    return "\u2000" <= ch <= "\u206f" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "·×—"


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """GB2312 level 1 (3755 most common simplified) and Big5 level 1 (5401 common traditional) characters."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        chars.update(bytes([lead, trail]).decode("gb2312", "ignore") for trail in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) < (0xC6, 0x7F):
                chars.add(bytes([lead, trail]).decode("big5", "ignore"))
    chars.discard("")
    return frozenset(chars)


def _looks_like_html(text: str, name: str) -> bool:
    head = text[:4096]
    if name.lower().endswith((".html", ".htm", ".xhtml", ".shtml")) and "<" in head:
        return True
    return bool(_HTML_SIGNS.search(head))
