"""What a line of a news file is: navigation, footer, header, byline, dateline, title, caption or text.

Patterns see the normalized line (simplified script, full-width Chinese punctuation), so one pattern covers
both scripts and both punctuation styles.
"""

from __future__ import annotations

import datetime
import re

# A line of a page that ends on these ends a paragraph (not the sentence rule: …, and no newline).
LINE_CLOSING_MARKS = "。！？…；"
CLOSERS = "”’」』）】》"
NAME = r"[\u4e00-\u9fff·]{2,8}"
AGENCIES = (
    "新华社", "中新社", "中新网", "中国新闻网", "新华网", "人民网", "人民日报", "央视网", "央视新闻", "中央广电总台",
    "光明日报", "经济日报", "中国日报", "新疆日报", "兵团日报", "天山网", "国际在线", "澎湃新闻", "中国青年报",
)
_AGENCY = "|".join(sorted(AGENCIES, key=len, reverse=True))

_NAVIGATION = re.compile(
    r"上一版|下一版|本版大图|本版导航|各版导航|视觉导航|标题导航|以往报纸|往期回顾|返回目录|返回顶部|返回首页"
    r"|[大中小]字号|字号：|打印本页|关闭窗口|【打印】|【关闭】|【纠错】|扫一扫|手机看|阅读全文|^打印$|^关闭$"
)
_SHARE = re.compile(r"^分享|分享到|分享让更多人|^(收藏|点赞|评论|转发)$")
_BREADCRUMB = re.compile(r"(?:>>|>|»|＞)")
_SITE_NAME = re.compile(f"^(?:[\\w·]{{1,4}}网|{_AGENCY}|首页)$")
_FOOTER_STRONG = re.compile(r"copyright|©|all rights reserved|版权所有|icp|公网安备|信息网络传播视听节目许可证", re.I)
_FOOTER_WEAK = re.compile(
    r"未经授权|禁止转载|不得转载|转载请注明|不代表.{0,20}观点|本网站所刊载|技术支持|新闻热线|总机|举报电话|违法和不良信息"
    r"|联系电话|联系我们|关于我们|网站地图|\d{3,4}-\d{7,8}"
)
_EDITOR = re.compile(r"^[（【\[]?\s*(?:责编|责任编辑|编辑|主编|审核|校对|编审|值班编辑|监制|美编|终审|初审)："
                     r"[^。]{0,40}[）】\]]?$")
PAGE_JUMP = re.compile(r"[（(]\s*(?:下转|上接|转第|接第|转|接)\s*第?\s*[\d一二三四五六七八九十]{1,3}\s*版\s*[）)]")
_TRAILING_JUMP = re.compile(f"\\s*{PAGE_JUMP.pattern}\\s*$")
_LEADING_JUMP = re.compile(f"^\\s*{PAGE_JUMP.pattern}\\s*")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})")
_META_WORD = re.compile(r"来源|时间|发布|日期|稿源|作者|浏览|阅读|\d{1,2}:\d{2}")
_SOURCE = re.compile(r"(?:来源|稿源|出处)：\s*([^\s|｜丨/]{2,20})")
_CLOSING_DATELINE = re.compile(r"^（([^（）]{2,30}电|完)）$")
_OPENING_DATELINE = re.compile(
    f"^((?:{_AGENCY}|本报)[\\u4e00-\\u9fff]{{0,12}}?(?:\\d{{1,2}}月\\d{{1,2}}日)?电"
    r"|[\u4e00-\u9fff]{2,12}?\d{1,2}月\d{1,2}日电|本报(?:[\u4e00-\u9fff]{2,6})?讯)"
    r"\s*(?:（([^（）]{1,40})）)?"
)
_BYLINE = re.compile(
    f"^(?:(?:(?:{_AGENCY}|本报)(?:特约)?记者|记者|通讯员|特约记者)(?!手记|观察|调查|探访|走访|专访|连线|体验)[ ：/]*"
    f"|(?:文/图|文图|文|图)[：/ ]+){NAME}(?:[ 、，]+{NAME})*$"
)
_BYLINE_IN_PARENS = re.compile(f"^（((?:(?:{_AGENCY}|本报)(?:特约)?)?记者[^（）]{{1,40}})）$")
_TRAILING_BYLINE = re.compile(f"（((?:(?:{_AGENCY}|本报)(?:特约)?)?记者[^（）]{{1,40}})）$")
_CAPTION = re.compile(f"(?:[。\\s/（]\\s*{NAME}\\s*/?\\s*摄|记者[^（）]{{1,20}}摄|新华社发)）?$|^图为")
_UNIT_START = re.compile(r"^[万亿千百元人次个家所项吨亩公里米倍%]")
_NUMBER_UNIT_START = re.compile(r"^\d+(?:\.\d+)?(?:%|万|亿|千|百|多|余|个|人|元|家|项|吨|亩|公里|米|平方米|倍)")
_NUMBER_END = re.compile(r"[\d零一二三四五六七八九十百千万]+[多余近约]?$")
_TRAILING_PARENS = re.compile(r"(?:（[^（）]*）)+$")


def kind_of(text: str) -> str:
    """The kind of one normalized, non-blank line."""
    short = len(text) <= 40
    if short and (_NAVIGATION.search(text) or _SITE_NAME.match(text) or _is_breadcrumb(text)):
        return "navigation"
    if short and _SHARE.search(text):
        return "share"
    if (len(text) <= 200 and _FOOTER_STRONG.search(text)) or (len(text) <= 80 and _FOOTER_WEAK.search(text)):
        return "footer"
    if _EDITOR.match(text):
        return "editor"
    if PAGE_JUMP.fullmatch(text):
        return "page_jump"
    if is_meta(text):
        return "meta"
    if _CLOSING_DATELINE.match(text):
        return "dateline"
    if len(text) <= 40 and (_BYLINE.match(text) or _BYLINE_IN_PARENS.match(text)):
        return "byline"
    return _kind_of_text(text)


def _kind_of_text(text: str) -> str:
    if text.endswith("——") and len(text) <= 60:
        return "kicker"
    if len(text) <= 100 and _CAPTION.search(text):
        return "caption"
    if ends_sentence(text) or "，" in text:
        return "body"
    if text.startswith(("——", "--")) and len(text) <= 50:
        return "subtitle"
    if "——" in text[2:] and len(text) <= 60 and quotes_balanced(text):
        return "title"
    if len(text) <= 30 and quotes_balanced(text) and not re.search(r"[、；]|：$", text):
        return "short"  # a colon inside is fine: 双河市：援疆项目为城市发展添动能
    return "body"


def _is_breadcrumb(text: str) -> bool:
    parts = _BREADCRUMB.split(text)
    return len(parts) >= 2 and all(len(part.strip()) <= 15 for part in parts)


def is_meta(text: str) -> bool:
    """A header line: a full date with a source or time (`时间:2025年07月08日 来源:…`), or a source alone."""
    if len(text) > 100 or ends_sentence(text) or "，" in text:
        return False
    if _DATE.search(text):
        rest = _DATE.sub("", text)
        return bool(_META_WORD.search(text)) or len(rest.strip()) <= 4
    return bool(re.match(r"^(?:来源|稿源)：", text)) and len(text) <= 40


def meta_date(text: str) -> datetime.date | None:
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def meta_source(text: str) -> str:
    match = _SOURCE.search(text)
    return match.group(1) if match else ""


def closing_dateline(text: str) -> str:
    match = _CLOSING_DATELINE.match(text)
    return match.group(1) if match and match.group(1) != "完" else ""


def opening_dateline(text: str) -> tuple[str, str]:
    """(dateline, byline) opening a paragraph: `中新网新疆新闻9月20日电（霍然 魏路）…`."""
    match = _OPENING_DATELINE.match(text)
    if not match or len(match.group(1)) < 3:
        return "", ""
    return match.group(1), (match.group(2) or "").strip()


def byline_of(text: str) -> str:
    """The byline of a byline line, without parentheses."""
    match = _BYLINE_IN_PARENS.match(text)
    return re.sub(r"\s+", " ", match.group(1) if match else text).strip()


def trailing_byline(text: str) -> str:
    """`（记者晋帅妮）` closing a paragraph."""
    match = _TRAILING_BYLINE.search(text)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


def agency(text: str) -> str:
    """The news agency a source, dateline or byline starts with ('' if none is known)."""
    match = re.match(_AGENCY, text)
    return match.group() if match else ""


def split_page_jumps(raw: str) -> tuple[str, list[str]]:
    """The raw line without `(下转二版)`-style markers at its ends, and the markers."""
    markers = []
    for pattern in (_TRAILING_JUMP, _LEADING_JUMP):
        match = pattern.search(raw)
        if match and match.group().strip() != raw.strip():
            markers.append(match.group().strip())
            raw = raw[: match.start()] + raw[match.end() :]
    return raw, markers


def ends_sentence(text: str) -> bool:
    """Whether the text ends a sentence (ignoring closing quotes and a trailing parenthesis like a byline)."""
    text = _TRAILING_PARENS.sub("", text.rstrip()).rstrip(CLOSERS + " ")
    return bool(text) and text[-1] in LINE_CLOSING_MARKS


def quotes_balanced(text: str) -> bool:
    return text.count("“") == text.count("”")


def opens_quote(text: str) -> bool:
    return text.count("“") > text.count("”")


def closes_unopened_quote(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth -= 1
            if depth < 0:
                return True
    return False


def continuation_score(head: str, line: str) -> int:
    """How strongly `line` reads as the rest of the unfinished sentence `head`; 0 means no sign."""
    score = 0
    if opens_quote(head) and closes_unopened_quote(line):
        score += 3
    if _NUMBER_END.search(head) and _UNIT_START.match(line):
        score += 3
    elif _NUMBER_UNIT_START.match(line) and not _NUMBER_END.search(head):
        score += 2
    if line[:1] in "，、；：。”’）":
        score += 2
    if head.endswith(("，", "、")):
        score += 1
    return score


def is_short_caption(text: str) -> bool:
    """A photo caption without a credit: one short sentence."""
    return len(text) <= 40 and text.endswith("。") and text.count("。") == 1 and not re.search(r"[，；：“”]", text)
