"""A saved HTML news page to plain article text: the main text, with the page's title and date line before it.

trafilatura finds the article among navigation, related-news lists and footers. It drops the header line that
carries the date and source (`时间：2025年07月08日 来源：石河子日报`), and its own date guess is unreliable on
Chinese pages, so the title and that line are taken from the page's visible text and put back in front, where
the splitter reads them. Without trafilatura, or when it finds nothing, the visible text is used whole; the
splitter's layout rules drop the debris then. Markup never reaches the result.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from . import layout
from .normalize import normalize

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
# Never article text, even where trafilatura falls back to the whole page (a short article).
_PRUNED = ["//header", "//nav", "//footer", "//aside", "//form"]


def html_to_text(markup: str) -> str:
    """The article text of an HTML page, one block per line, ending with a newline ('' when it has none)."""
    page = _VisibleText.lines_of(markup)
    main = _main_text(markup)
    if not main:
        return _joined(page.lines)
    head = [line for line in (page.heading, _meta_line(page.lines)) if line and line not in main]
    return _joined([*head, *main.split("\n")])


def visible_text(markup: str) -> str:
    """Every visible line of a page: no scripts, styles, navigation, headers, footers, forms or tags."""
    return _joined(_VisibleText.lines_of(markup).lines)


def _main_text(markup: str) -> str:
    try:
        import trafilatura
    except ImportError:  # an optional dependency: the visible text serves then
        return ""
    text = trafilatura.extract(
        markup, include_comments=False, include_tables=True, include_images=False, include_links=False,
        output_format="txt", deduplicate=False, prune_xpath=_PRUNED,
    )
    return (text or "").strip()


def _meta_line(lines: list[str]) -> str:
    """The page's first date-and-source line."""
    return next((line for line in lines if layout.is_meta(normalize(line).text)), "")


def _joined(lines: list[str]) -> str:
    kept = [line.strip() for line in lines if line.strip()]
    return "\n".join(kept) + "\n" if kept else ""


class _VisibleText(HTMLParser):
    SKIP = frozenset(
        {"script", "style", "nav", "noscript", "template", "svg", "iframe", "head", "select", "button", "header",
         "footer", "aside", "form", "object", "canvas", "math"}
    )
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "blockquote", "h1", "h2", "h3",
         "h4", "h5", "h6", "dt", "dd", "dl", "figure", "figcaption", "pre", "hr", "main", "title", "center", "td",
         "th", "address"}
    )
    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "embed", "source"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        self._skipping: list[str] = []
        self._heading: list[str] | None = None
        self.heading = ""  # the first <h1>

    @classmethod
    def lines_of(cls, markup: str) -> _VisibleText:
        parser = cls()
        parser.feed(markup)
        parser.close()
        return parser

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in "".join(self._pieces).split("\n")]

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self._skipping.clear()  # an unclosed <head> ends where the body begins
        elif tag in self.SKIP and tag not in self.VOID:
            self._skipping.append(tag)
        elif tag in self.BLOCKS:
            self._pieces.append("\n")
        if tag == "h1" and not self.heading and not self._skipping:
            self._heading = []

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._pieces.append("\n")

    def handle_endtag(self, tag):
        if tag in self._skipping:
            while self._skipping.pop() != tag:
                pass
        elif tag in self.BLOCKS and not self._skipping:
            self._pieces.append("\n")
        if tag == "h1" and self._heading is not None:
            self.heading, self._heading = "".join(self._heading).strip(), None

    def handle_data(self, data):
        if not self._skipping:
            text = _SPACES.sub(" ", data)
            self._pieces.append(text)
            if self._heading is not None:
                self._heading.append(text)
