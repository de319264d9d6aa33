"""Aid figures of an article: each number found, filtered, classified, attributed and dated."""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .attribute import Attributor
from .classify import classify
from .confidence import confidence, evidence
from .gazetteer import Gazetteer
from .numbers import Quantity, find_quantities
from .periods import find_period
from .plausibility import hold_reason
from .screen import is_aid_figure
from .segment import words
from .sentences import SENTENCE_END, sentence_bounds
from .split import ArticleDraft
from .stages import most_advanced, stage_of, stated_alike

CLAUSE_BREAK = re.compile(r"[，,、：:；;﹔。！？!?（）()“”\"]")
# The near windows of a figure end at punctuation that ends a phrase; a list (、) and quotes stay inside.
PHRASE_BREAK = re.compile(r"[，,：:；;﹔。！？!?]")
AFTER_CHARS = 16
TITLE_CHARS = 40
RESTATED_MIN_COUNT = 10
# A smaller count is one fact again only where its mention points back: 这/该/上述 before it, or all of a set
# already named after it (师9个援疆项目已全部启动实施).
POINTS_BACK = re.compile(r"(?:这|该|上述|以上|前述)$")
ALL_OF_THEM = re.compile(r"^([^\d，,。；;、]{1,8}?)(?:已经?|均|都)?(?:全部|均已|都已)")
# A list of the parts of a total: 其中 opening a sentence, or 其中： wherever it stands.
BREAKDOWN = re.compile(r"^\s*其中|其中[：:]")
REFERENT_CHARS = 12  # the noun of the first mention lies this close to its figure
PEOPLE_KINDS = ("trainees", "cadres", "beneficiaries", "jobs")
# A clause after a sum that says what it paid for ('，对塔孜洪乡卫生院进行改造'); '其中…' splits it instead.
USE_OF_MONEY = re.compile(r"(?:主要|全部|重点)?"
                          r"(?:用于|对|建设|新建|改建|改造|奖励|资助|组织|支持|购置|打造|帮助|开展|实施|援建)")
NOUN_BREAK = re.compile(r"[，,、：:；;﹔。！？!?]")


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
    hold: str = ""            # why the figure waits for a curator before it is counted ('' when plausible)
    evidence: tuple = ()      # the features its confidence was computed from (articles/text/confidence.py)
    stage: str = "unknown"    # planned | committed | achieved | unknown (issue 12)


def extract_article(article: ArticleDraft, gazetteer: Gazetteer | None = None) -> list[MetricDraft]:
    gazetteer = gazetteer or Gazetteer.load()
    texts = [p.text for p in article.paragraphs]
    attributor = Attributor(gazetteer, article.title or _title_line(texts), texts)
    year = article.published.year if article.published else None
    drafts, seen, heading = [], set(), ""
    for paragraph in article.paragraphs:
        if paragraph.role == "heading":
            heading = paragraph.text
            attributor.start_section()
            continue
        if paragraph.role == "caption":
            continue
        attributor.start_paragraph(paragraph.text)
        quantities = _outside_names(find_quantities(paragraph.text), paragraph.text, gazetteer)
        for quantity in quantities:
            draft = _draft(paragraph.position, paragraph.text, quantity, quantities, attributor, year, heading)
            key = (draft.number_text, draft.kind, draft.quote, _after(paragraph.text, draft.end)) if draft else None
            if draft and key not in seen:  # a figure stated twice in one sentence is one figure
                seen.add(key)
                drafts.append(draft)
    texts_by_position = {p.position: p.text for p in article.paragraphs if p.role == "body"}
    return _without_restatements(_breakdowns_as_far_along_as_their_total(drafts, texts_by_position))


def _outside_names(quantities: list[Quantity], text: str, gazetteer: Gazetteer) -> list[Quantity]:
    """A numeral inside a place's name is no quantity (五家渠, 三道岭, 十四师): the gazetteer's names win."""
    names = [(m.start, m.end) for m in gazetteer.area_mentions(text) + gazetteer.donor_mentions(text)]
    return [q for q in quantities if not any(start < q.end and q.start < end for start, end in names)]


def _breakdowns_as_far_along_as_their_total(drafts: list[MetricDraft], texts: dict[int, str]) -> list[MetricDraft]:
    """A list of the parts of a total (计划实施项目370个，安排资金17.56亿元。其中：智力类项目58个，安排资金0.87亿元；
    …) is as far along as the total: a share takes the stage of what it measures. Only a list that 其中 opens (after
    a full stop, or 其中：), and only parts with no verb of their own or the total's own verb: 其中已开工30个 and
    累计投入…。其中，安排民生项目资金… state stages of their own."""
    done: list[MetricDraft] = []
    body = sorted(texts)
    for draft in drafts:
        text = texts.get(draft.paragraph, "")
        sentence_start = max(text.rfind(mark, 0, draft.start) for mark in "。！？!?") + 1
        opening = BREAKDOWN.search(text[sentence_start:draft.start])
        total = None
        if opening:
            list_start = sentence_start + opening.start()
            where = {draft.paragraph}
            earlier = [p for p in body if p < draft.paragraph]
            if not text[:list_start].strip() and earlier:
                where.add(earlier[-1])  # the list opens the paragraph: its total ends the one before
            total = next((d for d in reversed(done) if d.unit_family == draft.unit_family and d.paragraph in where
                          and (d.paragraph != draft.paragraph or d.end <= list_start)), None)
        if total and stated_alike(_clause_before(texts[total.paragraph], total.start),
                                  _clause_before(text, draft.start)):
            draft = replace(draft, stage=total.stage)
        done.append(draft)
    return done


def _clause_before(text: str, at: int) -> str:
    """The words of a figure's clause before it."""
    return text[max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, at)), default=0):at]


def _without_restatements(drafts: list[MetricDraft]) -> list[MetricDraft]:
    """One fact stated again in the same article (a lead or subtitle repeating the body's total, a closing
    summary) is one figure: of the mentions, the one attributed most surely stays, the first on a tie, with the
    most advanced stage any mention gives it (计划实施40个 … 这40个项目已全部开工 is achieved)."""
    kept: dict[int, MetricDraft] = {}             # by the draft's index in the article
    by_fact: dict[tuple, list[int]] = {}          # candidates for a restatement, by what must be equal
    mentions: dict[tuple, int] = {}               # how often a figure's text came before in its sentence
    for index, draft in enumerate(drafts):
        occurrence = mentions[draft.quote, draft.number_text] = mentions.get((draft.quote, draft.number_text), -1) + 1
        key = _fact_key(draft)
        same = next((i for i in by_fact.get(key, ()) if _same_fact(kept[i], draft)), None) if key else None
        if same is None and not key:
            same = _referent(kept, draft, occurrence)
        if same is None:
            kept[index] = draft
            if key:
                by_fact.setdefault(key, []).append(index)
        else:
            stage = most_advanced(kept[same].stage, draft.stage)
            kept[same] = replace(draft if draft.confidence > kept[same].confidence else kept[same], stage=stage)
    return sorted(kept.values(), key=lambda d: (d.paragraph, d.start))


def _referent(kept: dict[int, MetricDraft], draft: MetricDraft, occurrence: int) -> int | None:
    """The earlier mention a small count points back to (计划实施援疆项目9个 … 师9个援疆项目已全部启动实施): the
    latest with the same value, unit, kind and donor whose words near the figure name the same thing."""
    noun = _pointed_noun(draft, occurrence)
    if not noun or draft.unit_family in ("percent", "percent_points"):
        return None
    for index in sorted(kept, reverse=True):
        earlier = kept[index]
        if (earlier.value, earlier.unit, earlier.kind, earlier.province) == \
                (draft.value, draft.unit, draft.kind, draft.province) and earlier.start != draft.start \
                and noun in _near(earlier, 0 if earlier.quote != draft.quote else occurrence - 1):
            return index
    return None


def _pointed_noun(draft: MetricDraft, occurrence: int) -> str:
    """The noun a mention that points back counts ('项目' of 这9个项目, '援疆项目' of 9个援疆项目已全部…); '' for
    a mention that does not point back."""
    at = _position(draft, occurrence)
    if at is None:
        return ""
    before, after = draft.quote[:at], draft.quote[at + len(draft.number_text):]
    if POINTS_BACK.search(before):
        return NOUN_BREAK.split(after, maxsplit=1)[0][:2]
    match = ALL_OF_THEM.match(after)
    return match[1] if match else ""


def _near(draft: MetricDraft, occurrence: int) -> str:
    at = _position(draft, occurrence)
    return "" if at is None else draft.quote[max(0, at - REFERENT_CHARS):at + len(draft.number_text) + REFERENT_CHARS]


def _position(draft: MetricDraft, occurrence: int) -> int | None:
    """Where in its sentence the figure stands: its text's nth occurrence there (a sentence may state it twice)."""
    places = [m.start() for m in re.finditer(re.escape(draft.number_text), draft.quote)]
    return places[occurrence] if occurrence < len(places) else None


def _fact_key(draft: MetricDraft) -> tuple | None:
    """What two mentions of one fact share; None for a figure never taken for a restatement."""
    if draft.kind == "other" or not _distinctive(draft):
        return None
    # Sums and projects keep their identity whatever sector the words around each mention suggest; people
    # trained or sent for two purposes in one article ('培训职工2000余名', '培养文化干部2000余名') are two facts.
    sector = draft.sector if draft.kind in PEOPLE_KINDS else None
    return draft.value, draft.value_high, draft.unit, draft.kind, sector, draft.province


def _same_fact(a: MetricDraft, b: MetricDraft) -> bool:
    """Mentions in other sentences whose areas and periods do not disagree (a period or area left unsaid agrees
    with any: '十三五'期间完成124个 and '十四五'计划实施124个 are two facts)."""
    def agree(x, y):
        return x == y or x is None or y is None
    return (a.quote != b.quote and agree(a.area, b.area)
            and agree(a.year_start, b.year_start) and agree(a.year_end, b.year_end))


def _distinctive(draft: MetricDraft) -> bool:
    """Values unlikely to recur by chance within one article: sums of money and counts of ten or more.
    Shares (80%, 100%) recur for different things too often to be taken for one fact."""
    if draft.unit_family == "money":
        return True
    return draft.unit_family not in ("percent", "percent_points") and draft.value >= RESTATED_MIN_COUNT


def _draft(position, text, quantity: Quantity, quantities, attributor: Attributor, year, heading) -> MetricDraft | None:
    sentence_start, sentence_end = sentence_bounds(text, quantity.start, quantity.end)
    sentence = text[sentence_start:sentence_end]
    clause = _clause(text, quantity.start, quantity.end)
    if not is_aid_figure(quantity, text, clause, sentence, [q for q in quantities if q is not quantity]):
        return None
    previous_end = max((q.end for q in quantities if q.end <= quantity.start), default=0)
    next_start = min((q.start for q in quantities if q.start >= quantity.end), default=len(text))
    after, before = _after(text[:next_start], quantity.end), _before(text, quantity.start, previous_end)
    up_to_clause = sentence[:quantity.end - sentence_start + len(after)]
    phrase = _phrase(text, quantity.start, quantity.end)
    previous = text[sentence_bounds(text, sentence_start - 1, sentence_start)[0]:sentence_start]
    classification = classify(quantity.unit_family, quantity.unit, after, before, clause, up_to_clause, heading,
                              phrase=phrase, purpose=_purpose(text, quantity.end), previous=previous)
    attribution = attributor.attribute(sentence, quantity.start - sentence_start, text, sentence_start)
    period = find_period(sentence, year)
    area_level = attributor.gazetteer.areas[attribution.area]["level"] if attribution.area else None
    single_year = bool(period) and period.year_start is not None and period.year_start == period.year_end
    hold = hold_reason(classification.kind, quantity.unit_family, quantity.value, clause, area_level, single_year)
    features = evidence(classification.kind, classification.kind_sure, classification.sector_sure,
                        attribution.donor_source, attribution.area_source)
    return MetricDraft(
        paragraph=position, start=quantity.start, end=quantity.end, number_text=quantity.text,
        quote=sentence.strip(), value=quantity.value, value_high=quantity.value_high,
        unit=quantity.unit, unit_family=quantity.unit_family, approx=quantity.approx,
        kind=classification.kind, sector=classification.sector,
        province=attribution.province, donor_city=attribution.donor_city, area=attribution.area,
        period=period.text if period else "", year_start=period.year_start if period else None,
        year_end=period.year_end if period else None,
        confidence=confidence(features),
        hold=hold,
        evidence=features,
        stage=stage_of(text, quantity.start, quantity.end, heading, year, period.year_start if period else None),
    )


def _title_line(texts: list[str]) -> str:
    """A first paragraph that reads as a headline (short, no full stop) when the article came without a title."""
    first = texts[0] if texts else ""
    return first if len(first) <= TITLE_CHARS and not SENTENCE_END.search(first) else ""


def _clause(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, max(0, start - 40), start)), default=max(0, start - 40))
    right_match = CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right]


def _phrase(text: str, start: int, end: int) -> str:
    """The clause of the figure with its lists whole ('组织巴州130名中小学校长、骨干教师赴…挂职学习')."""
    left = max((m.end() for m in PHRASE_BREAK.finditer(text, 0, start)), default=0)
    right_match = PHRASE_BREAK.search(text, end)
    return text[left:right_match.start() if right_match else len(text)]


def _purpose(text: str, end: int) -> str:
    """The clause after a sum, which often says what it paid for; not a breakdown ('其中八成用于…')."""
    here = PHRASE_BREAK.search(text, end)
    if not here or here.group() not in "，,":
        return ""
    following = PHRASE_BREAK.split(text[here.end():], maxsplit=1)[0]
    return following if USE_OF_MONEY.match(following) else ""


def _after(text: str, end: int) -> str:
    """The noun phrase after the figure, in whole words: the thing it counts ('13家|户外体育用品生产企业')."""
    window = NOUN_BREAK.split(text[end:end + AFTER_CHARS], maxsplit=1)[0]
    if len(window) < AFTER_CHARS:
        return window
    return "".join(words(window)[:-1])  # the last word may be cut off


def _before(text: str, start: int, previous_end: int = 0) -> str:
    """The clause up to the figure, after any figure before it
    ('培养书画、戏曲等文化领域人才和基层文化干部|2000余名')."""
    window = text[max(0, start - 30, previous_end):start]
    return PHRASE_BREAK.split(window)[-1]
