"""Property tests for the whole text pipeline: any input is read or refused, and every span stays honest."""
import os
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.text.decode import UnreadableFile
from articles.text.normalize import normalize
from articles.text.pipeline import ProcessedFile, process_bytes

# CI runs the same examples every time (a failure there is reproducible); locally each run explores new ones,
# and AIDMAP_FUZZ_EXAMPLES=5000 explores longer.
EXAMPLES = int(os.environ.get("AIDMAP_FUZZ_EXAMPLES", "60"))
settings.register_profile(
    "pipeline-ci", max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "pipeline-dev", max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile("pipeline-ci" if os.environ.get("CI") else "pipeline-dev")

# Pieces of the text the pipeline cares about, so random input reaches its corners: figures, aid words,
# places, traditional script, pinyin, full-width digits, odd spaces, page debris, markup.
FRAGMENTS = [
    "援疆", "對口支援", "对口援疆", "伊宁县", "喀什地區", "和田市", "南通", "山東", "江苏援疆指挥部", "新疆",
    "投入资金", "援建", "培训", "人次", "万元", "亿元", "萬", "多", "余", "近", "约", "超", "左右", "以上",
    "10.1 亿元", "1.2.3亿元", "万万", "两亿", "六七万元", "百余人次", "20%—30%", "2×66万千瓦", "3,000", "1 000",
    "１２３４", "５０％", "務(wù)", "產（chǎn）", "(下转二版)", "新华社记者 王帆", "（新华社乌鲁木齐7月6日电）",
    "时间：2025年07月08日 来源：石河子日报", "——", "“", "”", "，", "。", "、", "；", "：", "！", "？", "(", ")",
    "\n", "\n\n", " ", "\u00a0", "\u3000", "\t", "\r\n", "\ufeff", "\u200b", "\x00", "\x07", "<p>", "</p>", "<script>",
    "2023年以来", "第十一批", "95后", "5G", "0991-8550318", "．", "0", "9", "三", "千",
]
text_pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))
texts = st.lists(text_pieces, max_size=60).map("".join)


def _process(data: bytes, name: str = "fuzz.txt") -> ProcessedFile | None:
    try:
        return process_bytes(data, name)
    except UnreadableFile as error:
        assert str(error)  # a refusal always says why
        return None


def _assert_spans_honest(processed: ProcessedFile | None) -> None:
    if processed is None:
        return
    for item in processed.articles:
        for metric in item.metrics:
            paragraph = item.draft.paragraphs[metric.paragraph]
            assert paragraph.text[metric.start : metric.end] == metric.number_text
            assert metric.number_text in metric.quote


@PROFILE
@given(texts)
def test_any_text_is_processed_or_refused_with_honest_spans(text):
    _assert_spans_honest(_process(text.encode("utf-8", "surrogatepass")))


@PROFILE
@given(texts, st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"]))
def test_text_in_any_encoding_is_processed_or_refused(text, encoding):
    _assert_spans_honest(_process(text.encode(encoding, "ignore")))


@PROFILE
@given(st.binary(max_size=2000))
def test_any_bytes_are_processed_or_refused(data):
    _assert_spans_honest(_process(data))


@PROFILE
@given(texts)
def test_any_text_as_an_html_page_is_processed_or_refused(text):
    _assert_spans_honest(_process(f"<html><body><p>{text}</p></body></html>".encode(), "page.html"))


@PROFILE
@given(texts)
def test_normalize_offsets_are_monotonic_and_in_range(text):
    normalized = normalize(text)
    offsets = normalized.offsets
    assert len(offsets) == len(normalized.text) + 1
    assert all(a < b for a, b in pairwise(offsets))
    assert all(0 <= offset < len(text) for offset in offsets[:-1])
    assert offsets[-1] <= len(text)
    for start in range(len(normalized.text)):
        begin, end = normalized.original_span(start, start + 1)
        assert 0 <= begin < end <= len(text)
