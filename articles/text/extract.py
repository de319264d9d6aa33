"""Aid figures of an article: each number found, filtered, classified, attributed and dated."""

import re
from dataclasses import dataclass
from decimal import Decimal

from .attribute import Attribution, Attributor
from .classify import classify
from .gazetteer import Gazetteer
from .numbers import Quantity, find_quantities
from .periods import find_period
from .segment import words
from .split import ArticleDraft

SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CLAUSE_BREAK = re.compile(r"[，,、：:；;。！？!?（）()“”\"]")
# Families that are never aid figures on their own: distances set a scene.
SKIPPED_FAMILIES = {"length"}
BUILT = re.compile(r"修|建|铺|改造|硬化")
# Personal details and scene-setting around a number that is not a programme fact.
NOT_A_FIGURE = re.compile(r"距离|相距|海拔|出生|享年|年龄|岁")


@dataclass
class MetricDraft:
    paragraph: int            # position of the paragraph in the article
    start: int                # span of the figure in the paragraph's text
    end: int
    number_text: str
    quote: str                # the sentence holding the figure
    value: Decimal
    value_high: Decimal | None
    unit: str
    unit_family: str
    approx: str
    kind: str
    sector: str
    province: str | None      # top-level donor slug; None for national totals or when unknown
    donor_city: str | None
    area: str | None          # recipient area slug
    period: str
    year_start: int | None
    year_end: int | None
    confidence: float


def extract_article(article: ArticleDraft, gazetteer: Gazetteer | None = None) -> list[MetricDraft]:
    gazetteer = gazetteer or Gazetteer.load()
    texts = [p.text for p in article.paragraphs]
    attributor = Attributor(gazetteer, article.title, texts)
    year = article.published.year if article.published else None
    drafts, seen, heading = [], set(), ""
    for paragraph in article.paragraphs:
        if paragraph.role == "heading":
            heading = paragraph.text
            continue
        if paragraph.role == "caption":
            continue
        attributor.start_paragraph(paragraph.text)
        for quantity in find_quantities(paragraph.text):
            draft = _draft(paragraph.position, paragraph.text, quantity, attributor, year, heading)
            key = (draft.number_text, draft.kind, draft.quote) if draft else None
            if draft and key not in seen:  # a figure stated twice in one sentence is one figure
                seen.add(key)
                drafts.append(draft)
    return drafts


def _draft(position, text, quantity: Quantity, attributor: Attributor, year, heading) -> MetricDraft | None:
    sentence_start, sentence_end = _sentence_bounds(text, quantity.start, quantity.end)
    sentence = text[sentence_start:sentence_end]
    clause = _clause(text, quantity.start, quantity.end)
    if not _is_figure(quantity, clause):
        return None
    after, before = _after(text, quantity.end), _before(text, quantity.start)
    classification = classify(quantity.unit_family, quantity.unit, after, before, clause, sentence, heading)
    attribution = attributor.attribute(sentence, quantity.start - sentence_start, text)
    period = find_period(sentence, year)
    return MetricDraft(
        paragraph=position, start=quantity.start, end=quantity.end, number_text=quantity.text,
        quote=sentence.strip(), value=quantity.value, value_high=quantity.value_high,
        unit=quantity.unit, unit_family=quantity.unit_family, approx=quantity.approx,
        kind=classification.kind, sector=classification.sector,
        province=attribution.province, donor_city=attribution.donor_city, area=attribution.area,
        period=period.text if period else "", year_start=period.year_start if period else None,
        year_end=period.year_end if period else None,
        confidence=_confidence(classification, attribution),
    )


def _is_figure(quantity: Quantity, clause: str) -> bool:
    if quantity.unit_family in SKIPPED_FAMILIES and not BUILT.search(clause):
        return False
    return not NOT_A_FIGURE.search(clause)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    return left, right


def _clause(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, max(0, start - 40), start)), default=max(0, start - 40))
    right_match = CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right]


def _after(text: str, end: int) -> str:
    """The first words after the figure: the noun it counts ('3000多个|就业岗位')."""
    window = CLAUSE_BREAK.split(text[end:end + 12], maxsplit=1)[0]
    return "".join(words(window)[:2]) if window else ""


def _before(text: str, start: int) -> str:
    window = text[max(0, start - 16):start]
    return CLAUSE_BREAK.split(window)[-1]


def _confidence(classification, attribution: Attribution) -> float:
    score = 0.95
    score -= 0.0 if classification.kind_sure else 0.15
    score -= 0.0 if classification.sector_sure else 0.1
    score -= {"sentence": 0.0, "national": 0.05, "paragraph": 0.05, "context": 0.12, "pairing": 0.15,
              "article": 0.2, "none": 0.3}[attribution.donor_source]
    score -= {"sentence": 0.0, "paragraph": 0.05, "donor": 0.1, "article": 0.12, "none": 0.15}[attribution.area_source]
    if classification.kind == "other":
        score -= 0.15
    return round(max(0.05, min(score, 0.99)), 2)
