"""A figure a curator adds is quoted as the extractor quotes it: one sentence rule (articles/text/sentences.py)."""

from articles import curation
from articles.models import Paragraph
from articles.text.extract import extract_article
from tests.text.test_extract import article

# ﹔ (small semicolon) ends a sentence in some papers' layouts.
TEXT = "江苏省援疆前方指挥部投入援疆资金3亿元﹔新建学校12所，培训教师500人次。"


def test_curator_figure_after_a_small_semicolon_gets_the_extractors_quote():
    extracted = {m.number_text: m.quote for m in extract_article(article(TEXT))}
    paragraph = Paragraph(article_id=1, position=0, text=TEXT)
    for number_text in ("3亿元", "12所"):
        span = curation.locate_figure(paragraph, number_text)
        assert curation.new_curator_metric(paragraph, span).quote == extracted[number_text]
    assert extracted["12所"] == "新建学校12所，培训教师500人次。"
