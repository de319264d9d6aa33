"""Pipeline output into the database: idempotent, one savepoint per article, curation never lost."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from .cache import bump_data_version
from .choices import Status
from .models import Article, ArticleSketch, Metric, Paragraph, Province, RecipientArea, SourceFile
from .text.dedupe import NEAR_DUPLICATE, containment, shingles
from .text.extract import MetricDraft
from .text.pipeline import ProcessedArticle, ProcessedFile

# Shared sketch values a candidate needs before the full containment check runs.
MIN_SHARED_SKETCH = 3


@dataclass
class ImportStats:
    files: int = 0
    files_unchanged: int = 0
    articles: int = 0
    articles_unchanged: int = 0
    paragraphs: int = 0
    metrics_created: int = 0
    metrics_updated: int = 0
    metrics_removed: int = 0
    curated_flagged: int = 0
    near_copies: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: "ImportStats") -> None:
        for name, value in vars(other).items():
            if name == "failed":
                self.failed.extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)


class GazetteerIndex:
    """Slug → primary key look-ups for donors and areas, read once per import."""

    def __init__(self):
        self.provinces = dict(Province.objects.values_list("slug", "pk"))
        self.areas = dict(RecipientArea.objects.values_list("slug", "pk"))


class Loader:
    def __init__(self):
        self.index = GazetteerIndex()

    def load_file(self, processed: ProcessedFile) -> ImportStats:
        """Write one processed file; unchanged files and articles are left alone."""
        stats = ImportStats(files=1)
        source, unchanged = self._source_file(processed)
        if unchanged:
            stats.files_unchanged = 1
            return stats
        with transaction.atomic():
            for position, item in enumerate(processed.articles):
                stats.merge(self._load_article(source, position, item))
            self._drop_vanished_articles(source, len(processed.articles))
            source.sha256 = processed.sha256
            source.save(update_fields=["sha256", "size", "encoding", "path", "imported_at"])
        bump_data_version()
        return stats

    def _source_file(self, processed: ProcessedFile) -> tuple[SourceFile, bool]:
        source = SourceFile.objects.filter(name=processed.name).first()
        if source and source.sha256 == processed.sha256 and source.articles.exists():
            return source, True
        if source is None:
            source = SourceFile.objects.create(
                name=processed.name, path=processed.path, sha256="", size=processed.size,
                encoding=processed.encoding,
            )
        source.path, source.size, source.encoding = processed.path, processed.size, processed.encoding
        return source, False

    def _load_article(self, source: SourceFile, position: int, item: ProcessedArticle) -> ImportStats:
        stats = ImportStats(articles=1)
        article = Article.objects.filter(source_file=source, position=position).first()
        if article and article.content_hash == item.content_hash:
            stats.articles_unchanged = 1
            return stats
        with transaction.atomic():
            article = self._save_article(source, position, item, article)
            paragraphs = self._save_paragraphs(article, item)
            stats.paragraphs = len(item.draft.paragraphs)
            stats.merge(self._save_metrics(article, paragraphs, item.metrics))
            self._drop_surplus_paragraphs(article, len(item.draft.paragraphs))
            self._save_sketch(article, item.sketch)
            stats.near_copies = self._link_near_copies(article)
        return stats

    def _save_article(self, source, position, item: ProcessedArticle, article: Article | None) -> Article:
        draft = item.draft
        values = dict(
            title=draft.title[:500], title_original=draft.title_original[:500],
            publisher=draft.publisher[:100], published=draft.published,
            dateline=draft.dateline[:200], byline=draft.byline[:200],
            original_text=draft.original_text, content_hash=item.content_hash,
            script=draft.script, is_aid=draft.is_aid, aid_score=draft.aid_score,
        )
        if article is None:
            return Article.objects.create(source_file=source, position=position, **values)
        for name, value in values.items():
            setattr(article, name, value)
        article.save()
        return article

    def _save_paragraphs(self, article: Article, item: ProcessedArticle) -> dict[int, Paragraph]:
        existing = {p.position: p for p in article.paragraphs.all()}
        fresh, changed = [], []
        for draft in item.draft.paragraphs:
            paragraph = existing.get(draft.position)
            if paragraph is None:
                fresh.append(Paragraph(article=article, position=draft.position,
                                       original_text=draft.original, text=draft.text, role=draft.role))
            elif (paragraph.text, paragraph.original_text, paragraph.role) != (draft.text, draft.original, draft.role):
                paragraph.text, paragraph.original_text, paragraph.role = draft.text, draft.original, draft.role
                changed.append(paragraph)
        Paragraph.objects.bulk_create(fresh)
        Paragraph.objects.bulk_update(changed, ["text", "original_text", "role"])
        return {p.position: p for p in article.paragraphs.all()}

    def _save_metrics(self, article: Article, paragraphs: dict[int, Paragraph], drafts: list[MetricDraft]) -> ImportStats:
        stats = ImportStats()
        existing = list(article.metrics.select_related("paragraph"))
        curated = [m for m in existing if is_curated(m)]
        automatic = {m.extraction_key: m for m in existing if not is_curated(m)}
        stats.curated_flagged = self._relocate_curated(curated, paragraphs)
        claimed = {(m.paragraph.position, m.number_text, m.start) for m in curated}
        claimed |= {(m.paragraph.position, m.number_text) for m in curated}
        wanted, to_create, to_update = set(), [], []
        for draft in drafts:
            if (draft.paragraph, draft.number_text, draft.start) in claimed or \
                    (draft.paragraph, draft.number_text) in claimed:
                continue  # a curator owns this figure
            key = extraction_key(paragraphs[draft.paragraph].text, draft)
            wanted.add(key)
            metric = automatic.get(key) or Metric(article=article, extraction_key=key)
            self._fill_metric(metric, paragraphs[draft.paragraph], draft)
            (to_update if metric.pk else to_create).append(metric)
        removed = [m.pk for key, m in automatic.items() if key not in wanted]
        Metric.objects.filter(pk__in=removed).delete()
        Metric.objects.bulk_create(to_create)
        Metric.objects.bulk_update(to_update, METRIC_FIELDS)
        stats.metrics_created, stats.metrics_updated, stats.metrics_removed = (
            len(to_create), len(to_update), len(removed),
        )
        return stats

    def _fill_metric(self, metric: Metric, paragraph: Paragraph, draft: MetricDraft) -> None:
        metric.paragraph = paragraph
        metric.start, metric.end = draft.start, draft.end
        metric.number_text, metric.quote = draft.number_text[:64], draft.quote
        metric.value, metric.value_high = draft.value, draft.value_high
        metric.unit, metric.unit_family, metric.approx = draft.unit, draft.unit_family, draft.approx
        metric.kind, metric.sector = draft.kind, draft.sector
        metric.province_id = self.index.provinces.get(draft.province)
        metric.donor_city_id = self.index.provinces.get(draft.donor_city)
        metric.area_id = self.index.areas.get(draft.area)
        metric.period = draft.period[:64]
        metric.year_start, metric.year_end = draft.year_start, draft.year_end
        metric.confidence = draft.confidence

    def _relocate_curated(self, curated: list[Metric], paragraphs: dict[int, Paragraph]) -> int:
        """Point curated figures at their number in the new text; flag those that vanished."""
        flagged = 0
        for metric in curated:
            paragraph = paragraphs.get(metric.paragraph.position, metric.paragraph)
            span = find_near(paragraph.text, metric.number_text, metric.start)
            if span is None:
                paragraph, span = find_in_article(paragraphs, metric.number_text)
            if span is None:
                metric.stale = True
                flagged += 1
            else:
                metric.paragraph, (metric.start, metric.end), metric.stale = paragraph, span, False
            metric.save(update_fields=["paragraph", "start", "end", "stale", "updated_at"])
        return flagged

    def _drop_surplus_paragraphs(self, article: Article, count: int) -> None:
        """Paragraphs past the new end of the article, unless a (stale) curated figure still cites one."""
        article.paragraphs.filter(position__gte=count, metrics__isnull=True).delete()

    def _save_sketch(self, article: Article, values: list[int]) -> None:
        ArticleSketch.objects.filter(article=article).delete()
        ArticleSketch.objects.bulk_create(ArticleSketch(article=article, value=v) for v in values)

    def _link_near_copies(self, article: Article) -> int:
        """Link the article and an earlier near-copy; the copy's figures then point at the original's."""
        values = [v for v in ArticleSketch.objects.filter(article=article).values_list("value", flat=True)]
        shared = Counter(
            ArticleSketch.objects.filter(value__in=values).exclude(article=article)
            .values_list("article_id", flat=True)
        )
        candidates = [pk for pk, count in shared.most_common(5) if count >= MIN_SHARED_SKETCH]
        if not candidates:
            return 0
        own = shingles(article_body(article))
        for other in Article.objects.filter(pk__in=candidates):
            theirs = shingles(article_body(other))
            if containment(own, theirs) >= NEAR_DUPLICATE or containment(theirs, own) >= NEAR_DUPLICATE:
                copy, original = (article, other) if len(own) <= len(theirs) else (other, article)
                link_copy(copy, original)
                return 1
        return 0

    def _drop_vanished_articles(self, source: SourceFile, count: int) -> None:
        """Articles a shorter re-imported file no longer holds, unless a curator worked on them."""
        for article in source.articles.filter(position__gte=count):
            if not article.metrics.curated().exists():
                article.metrics.all().delete()
                article.delete()


METRIC_FIELDS = [
    "paragraph", "start", "end", "number_text", "quote", "value", "value_high", "unit",
    "unit_family", "approx", "kind", "sector", "province", "donor_city", "area", "period",
    "year_start", "year_end", "confidence",
]


def is_curated(metric: Metric) -> bool:
    return metric.status != Status.EXTRACTED or metric.origin != "extracted" or metric.merged_by_curator


def extraction_key(paragraph_text: str, draft: MetricDraft) -> str:
    raw = f"{paragraph_text}\x00{draft.start}\x00{draft.number_text}"
    return hashlib.sha1(raw.encode()).hexdigest()


def find_near(text: str, needle: str, start: int) -> tuple[int, int] | None:
    """The occurrence of `needle` in `text` nearest to `start`."""
    positions, index = [], text.find(needle)
    while index != -1:
        positions.append(index)
        index = text.find(needle, index + 1)
    if not positions:
        return None
    best = min(positions, key=lambda p: abs(p - start))
    return best, best + len(needle)


def find_in_article(paragraphs: dict[int, Paragraph], needle: str):
    for position in sorted(paragraphs):
        span = find_near(paragraphs[position].text, needle, 0)
        if span:
            return paragraphs[position], span
    return None, None


def article_body(article: Article) -> str:
    return "\n".join(article.paragraphs.values_list("text", flat=True))


def link_copy(copy: Article, original: Article) -> None:
    """Mark `copy` as a near-copy of `original` and its figures as second reports of the original's."""
    if original.duplicate_of_id == copy.pk:
        original.duplicate_of = None
        original.save(update_fields=["duplicate_of"])
    if copy.duplicate_of_id != original.pk:
        copy.duplicate_of = original
        copy.save(update_fields=["duplicate_of"])
    originals = {}
    for metric in original.metrics.counted():
        originals.setdefault((metric.number_text, metric.unit_family, str(metric.value)), metric)
    for metric in copy.metrics.filter(duplicate_of__isnull=True, merged_by_curator=False):
        target = originals.get((metric.number_text, metric.unit_family, str(metric.value)))
        if target is not None:
            metric.duplicate_of = target
            metric.save(update_fields=["duplicate_of"])
