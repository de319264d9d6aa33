"""One file's bytes in, its articles and their figures out: the whole text pipeline, without Django."""

import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import date

from .decode import UnreadableFile, decode_bytes
from .dedupe import shingles, sketch
from .extract import MetricDraft, extract_article
from .gazetteer import Gazetteer
from .limits import DEFAULT_MAX_FILE_BYTES
from .normalize import detect_script
from .segment import words
from .split import ArticleDraft, split_articles


@dataclass
class ProcessedArticle:
    draft: ArticleDraft
    metrics: list[MetricDraft]
    content_hash: str
    sketch: list[int]
    shingles: set[int] = field(default_factory=set, repr=False)  # of the body, for near-copy checks


@dataclass
class ProcessedFile:
    name: str
    path: str
    sha256: str
    size: int
    encoding: str
    articles: list[ProcessedArticle] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was wrong with a file that could still be read
    origin: object = None  # for a page read from the web or an archive: its articles.collect.origin.Origin


def prepare() -> None:
    """Load what the pipeline builds on first use (jieba's dictionary, the gazetteer, OpenCC), so processes
    forked afterwards share it instead of each loading its own copy (time and memory: docs/benchmarks.md)."""
    words("援疆")
    Gazetteer.load()
    detect_script("援疆資金")


def process_bytes(data: bytes, path: str, name: str | None = None, page_date: date | None = None) -> ProcessedFile:
    """Decode, split and extract one file's content; raises UnreadableFile with the reason.

    `page_date` (a web page's metadata date) dates the figures of an article whose text gives no date: 今年 is
    its year. The article itself keeps the text's date (none); the loader records where its date came from.
    """
    decoded = decode_bytes(data, os.path.basename(path))
    processed = ProcessedFile(
        name=name or os.path.basename(path),
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=decoded.encoding,
        warnings=decoded.warnings(),
    )
    for draft in split_articles(decoded.text):
        processed.articles.append(process_article(draft, page_date))
    if not processed.articles:
        raise UnreadableFile("no article text found in the file")
    return processed


def process_article(draft: ArticleDraft, page_date: date | None = None) -> ProcessedArticle:
    body = "\n".join(p.text for p in draft.paragraphs)
    dated = replace(draft, published=page_date) if page_date and not draft.published else draft
    metrics = extract_article(dated) if draft.is_aid else []
    body_shingles = shingles(body)
    return ProcessedArticle(
        draft=draft,
        metrics=metrics,
        content_hash=hashlib.sha256(f"{draft.title}\n{body}".encode()).hexdigest(),
        sketch=sketch(body_shingles),
        shingles=body_shingles,
    )


def read_file(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> bytes:
    """The file's bytes, or UnreadableFile naming why it cannot be imported.

    A file over `max_bytes` is refused from its size, before any of it is read; at most `max_bytes + 1`
    bytes are ever read, so a file that grows while it is read is refused too.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = b"" if size > max_bytes else handle.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableFile(f"cannot read the file: {error.strerror or error}") from error
    if size > max_bytes or len(data) > max_bytes:
        raise UnreadableFile(
            f"the file is {_size(max(size, len(data)))}, over the limit of {_size(max_bytes)} "
            f"(AIDMAP_MAX_FILE_BYTES={max_bytes}); split it into smaller files or raise the limit"
        )
    return data


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MiB" if count >= 1048576 else f"{count} bytes"


def process_path(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, name: str | None = None) -> ProcessedFile:
    return process_bytes(read_file(path, max_bytes), path, name)
