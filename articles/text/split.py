"""Split a decoded news file into articles and paragraphs: page debris out, broken sentences re-joined.

A file may hold one article or a page of several, interleaved by the layout. Lines are classified
(`layout.kind_of`), title blocks grouped, and a single pass assigns each line to an article: a byline or a
title after a finished sentence starts an article; a title inside an unfinished sentence is layout debris,
and the text after it continues whichever open article it reads on from best.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cache

from . import layout
from .gazetteer import Gazetteer
from .normalize import detect_script, normalize

DEBRIS = {
    "navigation": "navigation", "share": "share", "footer": "footer", "editor": "editor", "page_jump": "page_jump",
}
_TITLE_TAG = re.compile(r"^【[^】]{1,20}】")
_NOT_TEXT = re.compile(r"[\W_]+")
# A longer paragraph is cut into pieces (see _bounded); the longest in the seeds has about 600 characters.
MAX_PARAGRAPH_CHARS = 5000
_BREAKS = (re.compile(r"[。！？；!?;]+[”’」』）)]*"), re.compile(r"[，,、：:]"))
_NUMBER_CHAR = re.compile(r"[\d.,０-９．]")


@dataclass
class ParagraphDraft:
    position: int  # 0-based within the article
    original: str  # the paragraph as in the file (pieces of a re-joined paragraph concatenated)
    text: str  # normalize(original).text
    role: str  # 'body' | 'heading' | 'caption'


@dataclass
class ArticleDraft:
    title: str  # simplified; main title plus '——subtitle' (a kicker line comes first, as printed)
    title_original: str
    publisher: str
    published: datetime.date | None
    dateline: str
    byline: str
    script: str  # 'traditional' | 'simplified'
    original_text: str  # the article's lines as read, debris included
    paragraphs: list[ParagraphDraft]
    is_aid: bool
    aid_score: float
    dropped: list[tuple[str, str]]  # (reason, original line or marker)


@dataclass
class _Line:
    index: int  # line number in the file, from 0
    raw: str  # as read, without page-jump markers
    text: str  # normalized
    kind: str  # layout.kind_of
    gap: bool  # a blank line comes before it
    jumps: list[str] = field(default_factory=list)


class _Paragraph:
    def __init__(self, line: _Line, role: str):
        self.pieces = [line]
        self.role = role
        self.captions: list[_Line] = []

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    def dangling(self) -> bool:
        return self.role == "body" and not self.captions and not layout.ends_sentence(self.pieces[-1].text)


class _Article:
    def __init__(self, number: int):
        self.number = number
        self.title: list[_Line] = []
        self.provisional_title: _Line | None = None
        self.paragraphs: list[_Paragraph] = []
        self.indices: list[int] = []
        self.dropped: list[tuple[str, str]] = []
        self.byline = self.dateline = self.source = ""
        self.published: datetime.date | None = None
        self.closed = False

    def own(self, line: _Line, reason: str = "") -> None:
        self.indices.append(line.index)
        self.dropped.extend(("page_jump", marker) for marker in line.jumps)
        if reason:
            self.dropped.append((reason, line.raw))

    def dangling(self) -> _Paragraph | None:
        last = self.paragraphs[-1] if self.paragraphs else None
        return last if last is not None and last.dangling() else None


def split_articles(text: str) -> list[ArticleDraft]:
    """The articles in a decoded file, in order of their first line."""
    raw_lines = text.split("\n")
    script = detect_script(text)
    _normalized.cache_clear()  # per file: a corpus repeating paragraphs across files gains nothing from it
    builder = _Builder()
    for item in _group_title_blocks(_read_lines(raw_lines, script)):
        builder.feed(item)
    builder.finish()
    if not any(article.paragraphs for article in builder.articles):
        _headings_as_text(builder.articles)
    owners = _line_owners(builder.articles, len(raw_lines))
    drafts = [_draft(article, raw_lines, owners, script) for article in builder.articles if article.paragraphs]
    return drafts


def _headings_as_text(articles: list[_Article]) -> None:
    """A file of nothing but a short line or two (`援疆资金3亿元`) is text, not an article's title."""
    for article in articles:
        if article.provisional_title is not None:
            article.paragraphs.append(_Paragraph(article.provisional_title, "body"))
            article.provisional_title = None


@cache
def _normalized(text: str, script: str) -> str:
    """normalize(text, script).text, remembered for one file (split_articles clears it): most paragraphs are
    one line, normalised as a line first, then as a paragraph and again to find repeats."""
    return normalize(text, script).text


def _read_lines(raw_lines: list[str], script: str) -> list[_Line]:
    lines, gap = [], False
    for index, raw in enumerate(raw_lines):
        clean, jumps = layout.split_page_jumps(raw)
        text = _normalized(clean.strip(), script)
        if not _NOT_TEXT.sub("", text):  # blank, or punctuation alone
            gap = True
            continue
        lines.append(_Line(index, clean, text, layout.kind_of(text), gap, jumps))
        gap = False
    return lines


def _group_title_blocks(lines: list[_Line]) -> list[_Line | list[_Line]]:
    """Lines, with each title block (kicker——, main title, ——subtitle) as one list."""
    items: list[_Line | list[_Line]] = []
    i = 0
    while i < len(lines):
        block = _title_block_at(lines, i)
        if block:
            items.append(block)
            i += len(block)
        else:
            items.append(lines[i])
            i += 1
    return items


def _title_block_at(lines: list[_Line], i: int) -> list[_Line]:
    kinds = [line.kind for line in lines[i : i + 3]] + ["", "", ""]
    if kinds[0] == "kicker" and kinds[1] in ("short", "title"):
        return lines[i : i + 3] if kinds[2] == "subtitle" else lines[i : i + 2]
    if kinds[1] == "subtitle" and _could_be_main_title(lines[i]):
        return lines[i : i + 2]
    if kinds[0] in ("title", "subtitle"):
        return lines[i : i + 1]
    return []


def _could_be_main_title(line: _Line) -> bool:
    return line.kind in ("short", "title", "body") and len(line.text) <= 50 and not layout.ends_sentence(line.text)


class _Builder:
    """Assigns lines to articles in one pass; see the module docstring."""

    def __init__(self):
        self.articles: list[_Article] = []
        self.current: _Article | None = None
        self.pending_title: list[_Line] | None = None  # a title block inside an unfinished sentence
        self.held_captions: list[_Line] = []  # photo captions inside an unfinished sentence
        self.preamble: list[tuple[_Line, str]] = []  # debris before the first article
        self.in_trailer = False  # after an editor or copyright line: short lines are footer too

    def feed(self, item: _Line | list[_Line]) -> None:
        if isinstance(item, list):
            self._title_block(item)
        elif item.kind in DEBRIS:
            self._drop(item, DEBRIS[item.kind])
            self.in_trailer = self.in_trailer or item.kind in ("footer", "editor")
        elif self.in_trailer and item.kind in ("short", "caption", "meta"):
            self._drop(item, "footer")
        elif item.kind in ("meta", "byline", "dateline"):
            self._flush()
            getattr(self, f"_{item.kind}")(item)
        else:
            self.in_trailer = False
            self._text(item)

    def finish(self) -> None:
        self._flush()
        if self.preamble and self.articles:
            self._absorb_preamble(self.articles[0])

    def _drop(self, line: _Line, reason: str) -> None:
        if self.current is None:
            self.preamble.append((line, reason))
        else:
            self.current.own(line, reason)

    def _new_article(self) -> _Article:
        article = _Article(len(self.articles))
        self.articles.append(article)
        if len(self.articles) == 1:
            self._absorb_preamble(article)
        self.current = article
        return article

    def _absorb_preamble(self, article: _Article) -> None:
        for line, reason in self.preamble:
            article.own(line, reason)
        self.preamble = []

    def _open_article(self) -> _Article:
        """The current article if it is still open, else a new one."""
        if self.current is None or self.current.closed:
            return self._new_article()
        return self.current

    def _meta(self, line: _Line) -> None:
        article = self.current
        if article is None or (article.closed and article.paragraphs):
            article = self._new_article()
        article.published = article.published or layout.meta_date(line.text)
        article.source = article.source or layout.meta_source(line.text)
        article.own(line, "header")

    def _byline(self, line: _Line) -> None:
        article = self.current
        if article is None or article.paragraphs or article.closed:
            article = self._new_article()
        article.byline = article.byline or layout.byline_of(line.text)
        article.own(line)

    def _dateline(self, line: _Line) -> None:
        article = self._open_article()
        article.dateline = article.dateline or layout.closing_dateline(line.text)
        article.closed = True
        article.own(line)

    def _title_block(self, block: list[_Line]) -> None:
        self._flush()
        article = self.current
        if article is not None and not article.closed and not article.paragraphs:
            self._give_title(article, block)
        elif article is not None and not article.closed and article.dangling():
            self.pending_title = block
        else:
            self._give_title(self._new_article(), block)

    def _give_title(self, article: _Article, block: list[_Line]) -> None:
        if not article.title:
            if article.provisional_title is not None:
                article.dropped.append(("column_header", article.provisional_title.raw))
                article.provisional_title = None
            article.title = block
            for line in block:
                article.own(line)
            return
        same = _title_text(article.title) == _title_text(block)
        for line in block:
            article.own(line, "repeated_title" if same else "layout_title")

    def _flush(self) -> None:
        """Settle a held title block or captions when something other than running text follows."""
        if self.pending_title is not None:
            block, self.pending_title = self.pending_title, None
            self._give_title(self._new_article(), block)
        if self.held_captions:
            held, self.held_captions = self.held_captions, []
            for line in held:
                self._add_paragraph(self.current, line, "caption")

    def _text(self, line: _Line) -> None:
        if self.pending_title is not None:
            self._continue_after_title(line)
        elif self._is_held_caption(line):
            self.held_captions.append(line)
        elif self.held_captions:
            self._continue_after_captions(line)
        else:
            self._place(line)

    def _place(self, line: _Line) -> None:
        target = self._continuation_of(line)
        if target is not None:
            self._join(target, line)
        else:
            self._add_paragraph(self._open_article(), line, _role(line))

    def _continue_after_title(self, line: _Line) -> None:
        block, self.pending_title = self.pending_title, None
        candidates = [article for article in self._open_articles() if article.dangling()]
        if not candidates:
            self._give_title(self._new_article(), block)
            self._place(line)
            return
        # The title sits where the layout jumped columns: on a tie, prefer another article, the oldest.
        target = max(
            candidates,
            key=lambda a: (self._score(a, line), a is not self.current, -a.number),
        )
        self._give_title(target, block)
        self._join(target, line)

    def _is_held_caption(self, line: _Line) -> bool:
        article = self.current
        if article is None or article.closed or article.dangling() is None:
            return False
        if len(article.dangling().text) < 20:
            return False
        return line.kind == "caption" or layout.is_short_caption(line.text)

    def _continue_after_captions(self, line: _Line) -> None:
        held, self.held_captions = self.held_captions, []
        head = self.current.dangling()
        if not any(caption.kind == "caption" for caption in held):
            for replayed in [*held, line]:  # short sentences without a photo credit were text after all
                self._place(replayed)
            return
        if line.kind == "body" and head is not None:
            self._join(self.current, line)
            head.captions.extend(held)
            return
        for caption in held:
            self._add_paragraph(self.current, caption, "caption")
        self._place(line)

    def _continuation_of(self, line: _Line) -> _Article | None:
        """The open article whose unfinished sentence `line` continues, if any does."""
        current = self.current
        scored = [(self._score(a, line), -a.number, a) for a in self._open_articles() if a.dangling()]
        here = next((score for score, _, article in scored if article is current), 0)
        others = [entry for entry in scored if entry[2] is not current]
        best_other = max(others, key=lambda entry: entry[:2], default=None)
        if best_other and best_other[0] >= 2 and best_other[0] > here:
            return best_other[2]
        if current is not None and not current.closed:
            return current if here >= 1 else None
        return best_other[2] if best_other and best_other[0] >= 1 else None

    def _score(self, article: _Article, line: _Line) -> int:
        head = article.dangling()
        score = layout.continuation_score(head.text, line.text)
        last = head.pieces[-1]
        if article is self.current and not line.gap and line.index == last.index + 1 and len(last.text) >= 20:
            score += 1  # a hard-wrapped paragraph
        return score

    def _open_articles(self) -> list[_Article]:
        return [article for article in self.articles if not article.closed]

    def _join(self, article: _Article, line: _Line) -> None:
        article.dangling().pieces.append(line)
        article.own(line)
        self.current = article

    def _add_paragraph(self, article: _Article, line: _Line, role: str) -> None:
        article.own(line)
        previous = article.paragraphs[-1] if article.paragraphs else None
        if role == "heading" and not article.paragraphs and not article.title and article.provisional_title is None:
            article.provisional_title = line
        elif role == "heading" and previous and previous.role == "heading" and _adjacent(previous.pieces[-1], line):
            previous.pieces.append(line)
        else:
            article.paragraphs.append(_Paragraph(line, role))


def _adjacent(before: _Line, after: _Line) -> bool:
    return not after.gap and after.index == before.index + 1


def _role(line: _Line) -> str:
    if line.kind == "caption":
        return "caption"
    if line.kind in ("short", "title", "subtitle", "kicker"):
        return "heading"
    return "body"


def _title_text(block: list[_Line]) -> str:
    return "".join(line.text for line in block)


def _line_owners(articles: list[_Article], count: int) -> list[_Article | None]:
    """The article of every line; a blank line belongs with the line before it."""
    owners: list[_Article | None] = [None] * count
    for article in articles:
        for index in article.indices:
            owners[index] = article
    first = next((owner for owner in owners if owner is not None), None)
    previous = first
    for index, owner in enumerate(owners):
        if owner is None:
            owners[index] = previous
        previous = owners[index]
    return owners


def _draft(article: _Article, raw_lines: list[str], owners: list[_Article | None], file_script: str) -> ArticleDraft:
    originals = [(piece, role) for original, role in _paragraph_originals(article) for piece in _bounded(original)]
    originals, repeated = _without_repeats(originals, file_script)
    script = detect_script("\n".join(original for original, _ in originals))
    paragraphs = [
        ParagraphDraft(position, original, _normalized(original, script), role)
        for position, (original, role) in enumerate(originals)
    ]
    title_original = "".join(line.raw.strip() for line in article.title) or (
        article.provisional_title.raw.strip() if article.provisional_title else ""
    )
    title = _TITLE_TAG.sub("", _normalized(title_original, script))
    dateline, byline = _dateline_and_byline(article, paragraphs)
    body = title + "\n" + "\n".join(paragraph.text for paragraph in paragraphs)
    is_aid, aid_score = aid_relevance(body)
    own_lines = [raw for raw, owner in zip(raw_lines, owners, strict=True) if owner is article]
    return ArticleDraft(
        title=title,
        title_original=title_original,
        publisher=_publisher(article.source, dateline, byline),
        published=article.published,
        dateline=dateline,
        byline=byline,
        script=script,
        original_text="\n".join(own_lines).strip("\n"),
        paragraphs=paragraphs,
        is_aid=is_aid,
        aid_score=aid_score,
        dropped=article.dropped + repeated,
    )


def _paragraph_originals(article: _Article) -> list[tuple[str, str]]:
    originals = []
    for paragraph in article.paragraphs:
        separator = " " if paragraph.role == "heading" else ""
        originals.append((separator.join(piece.raw.strip() for piece in paragraph.pieces), paragraph.role))
        originals.extend((caption.raw.strip(), "caption") for caption in paragraph.captions)
    return originals


def _bounded(original: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """A paragraph longer than `limit` in pieces ending at a sentence or clause end where one is near.

    Only hostile or broken files have such paragraphs (a whole page on one line); finding figures costs time
    in proportion to the paragraph's length for each figure, so pieces keep an import's time linear.
    """
    pieces = []
    while len(original) > limit:
        cut = _cut_point(original, limit)
        pieces.append(original[:cut])
        original = original[cut:]
    pieces.append(original)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    for pattern in _BREAKS:
        ends = [match.end() for match in pattern.finditer(text, limit // 2, limit)]
        if ends:
            return ends[-1]
    cut = limit
    while cut > limit // 2 and _NUMBER_CHAR.match(text[cut - 1]) and _NUMBER_CHAR.match(text[cut]):
        cut -= 1  # never through a number
    return cut


def _without_repeats(
    originals: list[tuple[str, str]], script: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Drop a paragraph that repeats an earlier one, or is a cut-off copy of one.

    Paragraphs are compared in the file's script, so each is converted once, not tested for its own script.
    """
    kept, dropped, seen = [], [], set()
    by_opening: dict[str, list[str]] = {}  # earlier keys by their first 10 characters: no quadratic scan
    for original, role in originals:
        key = _NOT_TEXT.sub("", _normalized(original, script))
        cut_off_copy = len(key) >= 10 and any(earlier.startswith(key) for earlier in by_opening.get(key[:10], ()))
        if key and (key in seen or cut_off_copy):
            dropped.append(("repeated_paragraph", original))
            continue
        seen.add(key)
        by_opening.setdefault(key[:10], []).append(key)
        kept.append((original, role))
    return kept, dropped


def _dateline_and_byline(article: _Article, paragraphs: list[ParagraphDraft]) -> tuple[str, str]:
    dateline, byline = article.dateline, article.byline
    body = [paragraph.text for paragraph in paragraphs if paragraph.role == "body"]
    if body:
        opening, opening_byline = layout.opening_dateline(body[0])
        dateline = dateline or opening
        byline = byline or opening_byline
    for text in reversed(body):
        byline = byline or layout.trailing_byline(text)
    return dateline, byline


def _publisher(source: str, dateline: str, byline: str) -> str:
    if source:
        return layout.agency(source) or source
    return layout.agency(dateline) or layout.agency(byline)


_AID_CORE = re.compile("援疆|对口支援|对口援建|对口帮扶|受援|援建")
_AID_CONTEXT = re.compile("指挥部|前指|工作组|干部人才")
AID_THRESHOLD = 5.0
# The wording of a statistical communiqué or an economic report: its numbers are the area's own, even where it
# thanks the donors once (在对口支援省市的大力援助下，全年实现生产总值…).
_STATISTICS = re.compile("比上年|同比|增加值|生产总值|统计公报|国民经济|百分点")
STATISTICS_MIN, STATISTICS_PER_AID_WORD = 6, 2
# A gift whose giver is a place in Xinjiang (博州党委、政府捐赠的65吨牛肉; 喀什地区向武汉捐赠): aid in the
# reverse direction, to a donor province, whatever the article says about the aid Xinjiang had received.
_GIFT = re.compile("捐(?:赠|款|助|资)")
_NOT_A_GIVER = re.compile("[向为给对在到赴]$")
GIVER_REACH = 14
GIFTS_FROM_XINJIANG = 2


def aid_relevance(text: str) -> tuple[bool, float]:
    """(is about counterpart aid to Xinjiang, weighted keyword hits per 1000 characters).

    Places are the gazetteer's recipient areas (Xinjiang, its prefectures, counties and 兵团 units), matched as
    extraction matches them, so 哈密瓜 or 第一师范 is no place. Statistical reports and gifts from Xinjiang to a
    donor are not about aid to Xinjiang, however many aid words they use.
    """
    core = len(_AID_CORE.findall(text))
    mentions = Gazetteer.load().area_mentions(text)
    places = len(mentions)
    weight = 3 * core + len(_AID_CONTEXT.findall(text)) + 0.5 * places
    score = round(weight * 1000 / max(len(text), 500), 2)
    in_xinjiang = "援疆" in text or places > 0
    statistics = len(_STATISTICS.findall(text))
    if statistics >= STATISTICS_MIN and statistics >= STATISTICS_PER_AID_WORD * core:
        return False, score
    if _gifts_from_xinjiang(text, mentions) >= GIFTS_FROM_XINJIANG:
        return False, score
    return (score >= AID_THRESHOLD and core > 0 and in_xinjiang), score


def _gifts_from_xinjiang(text: str, mentions) -> int:
    """Gifts whose giver is a place in Xinjiang: the place, then 捐赠/捐款 in the same clause, with no place of
    Xinjiang between them to receive it ('新疆温州商会向阿克苏地区…捐资' is a gift to Xinjiang).

    Names written one after the other are one place ('新疆博州党委捐赠' gives, '向新疆巴州捐赠' receives); each
    gift counts once."""
    chains: list[list] = []
    for mention in mentions:
        if chains and chains[-1][-1].end == mention.start:
            chains[-1].append(mention)
        else:
            chains.append([mention])
    gifts: set[int] = set()
    for chain in chains:
        start, end = chain[0].start, chain[-1].end
        if _NOT_A_GIVER.search(text[max(0, start - 1):start]):
            continue
        clause = re.split("[。；，,;]", text[end:end + GIVER_REACH])[0]
        gift = _GIFT.search(clause)
        if gift and not any(end <= other.start < end + gift.start() for other in mentions):
            gifts.add(end + gift.start())
    return len(gifts)
