"""Tests for decoding a file's bytes: encodings, byte-order marks, binary refusals, damaged text."""
import codecs
import zlib

import pytest

from articles.text.decode import UnreadableFile, decode_bytes

SENTENCE = "山西省援疆前方指挥部实施援疆项目184个，选派干部人才217名，協調柔性人才1570名。\n"
SIMPLIFIED = "南通援疆工作组投入援疆资金480万元，组织伊宁县干部培训3100余人次。\n"
TRADITIONAL = "山東援疆聚焦重點任務，堅持守正創新，累計實施鄉村振興項目300餘個。\n"


def _png() -> bytes:
    header = b"\x89PNG\r\n\x1a\n"
    ihdr = b"IHDR" + (1).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    chunk = len(ihdr[4:]).to_bytes(4, "big") + ihdr + zlib.crc32(ihdr).to_bytes(4, "big")
    return header + chunk + b"\x00" * 64


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (TRADITIONAL.encode("big5"), "cp950"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "big5", "utf16-le-bom", "utf16-be-bom", "utf16-no-bom"],
)
def test_decodes_each_encoding_to_the_same_text(data, encoding):
    decoded = decode_bytes(data, "article.txt")
    expected = TRADITIONAL if encoding == "cp950" else SIMPLIFIED
    assert (decoded.text, decoded.encoding, decoded.replaced) == (expected, encoding, 0)


def test_bom_is_not_part_of_the_text():
    assert not decode_bytes(codecs.BOM_UTF8 + "援疆".encode(), "a.txt").text.startswith("\ufeff")


def test_windows_and_old_mac_line_ends_become_newlines():
    assert decode_bytes("第一段。\r\n第二段。\r第三段。".encode(), "a.txt").text == "第一段。\n第二段。\n第三段。"


@pytest.mark.parametrize(
    "data, says",
    [
        (b"", "empty"),
        (b" \n\t\r\n ", "empty"),
        (_png(), "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4, "ZIP"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (bytes(range(256)) * 64, "not text in any encoding"),
        (b"\x00\x01\x02\x03" * 500, "NUL"),
    ],
    ids=["zero-byte", "whitespace", "png", "zip", "pdf", "random-binary", "nul-heavy"],
)
def test_refuses_what_is_not_text_saying_why(data, says):
    with pytest.raises(UnreadableFile, match=says):
        decode_bytes(data, "article.txt")


def test_refuses_a_gb18030_looking_jumble_of_high_bytes():
    data = bytes(b for b in range(0x80, 0x100) for _ in range(3)) * 20 + b"\xff\xff\xff"
    with pytest.raises(UnreadableFile, match="not text in any encoding"):
        decode_bytes(data, "article.txt")


def test_nul_bytes_and_control_characters_are_removed_from_text():
    data = "援疆\x00资金\x07480\x1b万元。\x0c\n".encode()
    assert decode_bytes(data, "a.txt").text == "援疆资金480万元。\n"


def test_utf8_cut_off_mid_character_keeps_the_rest():
    data = SIMPLIFIED.encode("utf-8") * 3 + "援".encode()[:2]
    decoded = decode_bytes(data, "a.txt")
    assert (decoded.encoding, decoded.replaced, decoded.text.endswith("\ufffd")) == ("utf-8", 1, True)


def test_html_page_is_reduced_to_its_text():
    page = (
        "<html><head><title>标题</title><script>var x='援疆资金999亿元';</script>"
        "<style>p{color:red}</style></head><body><p>南通援疆投入资金3亿元。</p></body></html>"
    )
    text = decode_bytes(page.encode(), "page.html").text
    assert "南通援疆投入资金3亿元。" in text
    assert "<" not in text and "999" not in text and "color" not in text


def test_markup_with_a_declared_gbk_charset_is_read_as_gb18030():
    page = '<html><head><meta charset="gbk"></head><body><p>援疆资金3亿元。</p></body></html>'
    decoded = decode_bytes(page.encode("gb18030"), "page.htm")
    assert decoded.encoding == "gb18030" and "援疆资金3亿元。" in decoded.text


def test_only_markup_is_refused():
    with pytest.raises(UnreadableFile, match="no text"):
        decode_bytes(b"<html><head><script>x()</script></head><body></body></html>", "page.html")


def test_stray_nul_and_control_characters_are_counted_as_removed():
    decoded = decode_bytes(("援疆资金480万元。" * 40 + "\x00\x07").encode(), "a.txt")
    assert (decoded.removed, decoded.warnings()) == (2, ["2 NUL or control character(s) removed"])
