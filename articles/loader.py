"""Pipeline output into the database: idempotent, one savepoint per file, curation never lost.

The import and its reconciliation with what curators did; near-copies are articles/nearcopies.py's, the fast
multi-row INSERT articles/rows.py's.
"""

import contextlib
import hashlib
import sys
from copy import copy as shallow_copy
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .cache import bump_data_version
from .choices import PublishedFrom
from .figure_fields import EXTRACTED
from .models import Article, Metric, Paragraph, Province, RecipientArea, SourceFile
from .nearcopies import NearCopies
from .plans import link_plans
from .rows import create_rows, insert_rows
from .text.extract import MetricDraft
from .text.find import find_all
from .text.pipeline import ProcessedArticle, ProcessedFile

# After an import that wrote this many files, the planner's statistics are refreshed (see refresh_planner_statistics).
ANALYZE_AFTER_FILES = 100
# Files written per transaction by Loader.batches(): fewer commits (each one an fsync), short enough locks.
BATCH_FILES = 50


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


class BatchNotWritten(RuntimeError):
    """A batch's transaction failed to commit: every file in it is missing from the database."""


class GazetteerIndex:
    """Slug → primary key look-ups for donors and areas, read once per import."""

    def __init__(self):
        self.provinces = dict(Province.objects.values_list("slug", "pk"))
        self.areas = dict(RecipientArea.objects.values_list("slug", "pk"))


class Loader:
    def __init__(self):
        self.index = GazetteerIndex()
        self._draft_columns = draft_columns(self.index)
        self.near_copies = NearCopies()
        self._batch_files: int | None = None  # files written in the open batch transaction, None outside one
        self._bump_registered = False
        self._new_articles: list[Article] = []  # created in the open transaction, history rows not yet written

    @contextlib.contextmanager
    def batches(self, size: int = BATCH_FILES):
        """Write the files given to load_file inside it in transactions of `size` files.

        Each file still gets its own savepoint, so one that fails leaves the database as it was before that
        file while the rest of its batch is kept. The cached pages are invalidated after each commit.
        """
        self._batch_size, self._files_written = size, 0
        self._begin_batch()
        try:
            yield self
        except BaseException:
            self._end_batch(*sys.exc_info())
            raise
        self._link_plans()
        self._end_batch(None, None, None)
        if self._files_written >= ANALYZE_AFTER_FILES:
            refresh_planner_statistics()

    def _begin_batch(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._batch_files, self._batch_names, self._bump_registered = 0, [], False

    def _end_batch(self, *exc_info):
        self._batch_files = None
        if exc_info[0] is None:
            self._write_history()
        else:
            self._new_articles.clear()
        self._atomic.__exit__(*exc_info)

    def _link_plans(self):
        """Plans and their deliveries, linked once per run in its last transaction, when the run wrote a file.

        Once, not per batch: linking reads every plan of the table, so per batch an import's cost would grow
        with the square of its size.
        """
        if self._files_written and link_plans() and not self._bump_registered:
            transaction.on_commit(bump_data_version)
            self._bump_registered = True

    def _write_history(self):
        """The 'created' history rows of the articles written since the last call, in one insert."""
        if self._new_articles:
            Article.history.bulk_history_create(self._new_articles, default_change_reason="import")
            self._new_articles.clear()

    def load_file(self, processed: ProcessedFile) -> ImportStats:
        """Write one processed file; unchanged files and articles are left alone."""
        kept_articles = len(self._new_articles)
        try:
            with transaction.atomic():
                stats = self._load_file(processed)
        except BaseException:
            del self._new_articles[kept_articles:]  # rolled back with the file
            raise
        changed = not stats.files_unchanged
        if self._batch_files is None:
            self._write_history()
            if changed:
                bump_data_version()
            return stats
        if changed and not self._bump_registered:
            transaction.on_commit(bump_data_version)
            self._bump_registered = True
        self._files_written += changed
        self._batch_files += 1
        self._batch_names.append(processed.name)
        if self._batch_files >= self._batch_size:
            self._commit_batch()
        return stats

    def _commit_batch(self):
        names = self._batch_names
        try:
            self._end_batch(None, None, None)
        except Exception as error:
            raise BatchNotWritten(
                f"committing the last {len(names)} files failed ({error!r}); none of them was written, "
                f"import them again: {', '.join(names)}"
            ) from error
        finally:
            self._begin_batch()

    def _load_file(self, processed: ProcessedFile) -> ImportStats:
        stats = ImportStats(files=1)
        source, unchanged, fresh = self._source_file(processed)
        if unchanged:
            stats.files_unchanged = 1
            return stats
        for position, item in enumerate(processed.articles):
            stats.merge(self._load_article(source, position, item, fresh, processed.origin))
        if not fresh:
            self._drop_vanished_articles(source, len(processed.articles))
            source.sha256 = processed.sha256
            source.save(update_fields=["sha256", "size", "encoding", "path", "imported_at"])
        return stats

    def imported_files(self) -> dict[str, set[str]]:
        """The names of the files imported with their articles, by the SHA-256 of their bytes.

        A file counts only once its articles are committed with it (in its own savepoint), so a file of an
        import killed half-way is either here whole or not at all."""
        files: dict[str, set[str]] = {}
        rows = SourceFile.objects.exclude(sha256="").filter(articles__isnull=False).values_list("sha256", "name")
        for sha256, name in rows.distinct():
            files.setdefault(sha256, set()).add(name)
        return files

    def _source_file(self, processed: ProcessedFile) -> tuple[SourceFile, bool, bool]:
        """The file's row, whether it is unchanged, and whether it is new (so it holds no articles yet)."""
        # Most files of a large import are new: a plain look-up of the name first (the ORM's cost more than
        # running it), and the row itself only when there is one.
        with transaction.get_connection().cursor() as cursor:
            table = cursor.db.ops.quote_name(SourceFile._meta.db_table)
            cursor.execute(f"SELECT id FROM {table} WHERE name = %s", [processed.name])
            found = cursor.fetchone()
        source = SourceFile.objects.get(pk=found[0]) if found else None
        if source and source.sha256 == processed.sha256 and source.articles.exists():
            return source, True, False
        if source is None:
            # Written whole at once: if the file fails, its savepoint takes the row away with its articles.
            (source,) = create_rows(SourceFile, [{
                "name": processed.name, "path": processed.path, "sha256": processed.sha256, "size": processed.size,
                "encoding": processed.encoding,
            }])
            return source, False, True
        source.path, source.size, source.encoding = processed.path, processed.size, processed.encoding
        return source, False, False

    def _load_article(self, source: SourceFile, position: int, item: ProcessedArticle, fresh: bool,
                      origin=None) -> ImportStats:
        stats = ImportStats(articles=1)
        article = None if fresh else Article.objects.filter(source_file=source, position=position).first()
        if article and article.content_hash == item.content_hash:
            stats.articles_unchanged = 1
            return stats
        # No savepoint of its own: a failing article fails its whole file, whose savepoint (load_file) undoes it.
        # PostgreSQL slows down once a transaction holds more than 64 subtransactions; a batch holds one per file.
        is_new = article is None
        article = self._save_article(source, position, item, article, origin)
        if is_new:
            paragraphs = self._create_paragraphs(article, item)
            stats.merge(self._create_metrics(article, paragraphs, item.metrics))
        else:
            paragraphs = self._save_paragraphs(article, item)
            stats.merge(self._save_metrics(article, paragraphs, item.metrics))
            self._drop_surplus_paragraphs(article, len(item.draft.paragraphs))
        stats.paragraphs = len(item.draft.paragraphs)
        self.near_copies.save_sketch(article, item.sketch, replace=not is_new)
        stats.near_copies = self.near_copies.link(article, item, is_new)
        return stats

    def _save_article(self, source, position, item: ProcessedArticle, article: Article | None, origin=None) -> Article:
        draft = item.draft
        values = {
            "title": draft.title[:500], "title_original": draft.title_original[:500],
            "publisher": draft.publisher[:100],
            "dateline": draft.dateline[:200], "byline": draft.byline[:200],
            "original_text": draft.original_text, "content_hash": item.content_hash,
            "script": draft.script, "is_aid": draft.is_aid, "aid_score": draft.aid_score,
            **provenance(origin, draft.published),
        }
        if article is None:
            # No post_save, so no history row per article here: the loader writes the rows
            # of all new articles in one statement per batch (see _write_history), which costs far less.
            (article,) = create_rows(Article, [dict(source_file_id=source.pk, position=position, **values)])
            created = shallow_copy(article)  # as created: a near-copy link may change the article before then
            created._history_date = timezone.now()
            self._new_articles.append(created)
            return article
        kept = set(article.curated_fields) | ({"published_from"} if "published" in article.curated_fields else set())
        for name, value in values.items():
            if name not in kept:
                setattr(article, name, value)
        article.save()
        return article

    def _create_paragraphs(self, article: Article, item: ProcessedArticle) -> dict[int, Paragraph]:
        """A new article's paragraphs in one insert (primary keys come back from it)."""
        created = Paragraph.objects.bulk_create([
            Paragraph(article=article, position=draft.position, original_text=draft.original, text=draft.text,
                      role=draft.role)
            for draft in item.draft.paragraphs
        ])
        return {p.position: p for p in created}

    def _create_metrics(
        self, article: Article, paragraphs: dict[int, Paragraph], drafts: list[MetricDraft]
    ) -> ImportStats:
        """A new article's figures in one insert: nothing to match, nothing curated yet."""
        rows = []
        for draft in drafts:
            paragraph = paragraphs[draft.paragraph]
            rows.append(dict(
                article_id=article.pk, extraction_key=extraction_key(paragraph.text, draft),
                **self._metric_values(paragraph, draft),
            ))
        insert_rows(Metric, rows)
        return ImportStats(metrics_created=len(rows))

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

    def _save_metrics(
        self, article: Article, paragraphs: dict[int, Paragraph], drafts: list[MetricDraft]
    ) -> ImportStats:
        stats = ImportStats()
        existing = list(article.metrics.select_related("paragraph"))
        kept = kept_targets(article)
        curated = [m for m in existing if m.is_curated or m.pk in kept]
        automatic = {m.extraction_key: m for m in existing if not (m.is_curated or m.pk in kept)}
        stats.curated_flagged = self._relocate_curated(curated, paragraphs)
        # A curator owns the figure at each span of a curated figure; another with the same number text in the
        # same paragraph ("80%用于县及县以下、80%用于民生") is a figure of its own.
        claimed = {}
        for metric in curated:
            if not metric.stale:
                claimed.setdefault(metric.paragraph.position, []).append((metric.start, metric.end))
        wanted, to_create, to_update = set(), [], []
        now = timezone.now()
        for draft in drafts:
            if any(start < draft.end and draft.start < end for start, end in claimed.get(draft.paragraph, ())):
                continue  # a curator owns this figure
            key = extraction_key(paragraphs[draft.paragraph].text, draft)
            wanted.add(key)
            metric = automatic.get(key) or Metric(article=article, extraction_key=key)
            before = _metric_state(metric)
            self._fill_metric(metric, paragraphs[draft.paragraph], draft)
            if metric.pk is None:
                to_create.append(metric)
            elif _metric_state(metric) != before:
                # A new updated_at tells a curator's open form that the figure changed under it (optimistic locking).
                metric.updated_at = now
                to_update.append(metric)
        removed = [m.pk for key, m in automatic.items() if key not in wanted]
        release_duplicates(removed)
        Metric.objects.filter(pk__in=removed).delete()
        Metric.objects.bulk_create(to_create)
        Metric.objects.bulk_update(to_update, [*METRIC_FIELDS, "updated_at"])
        stats.metrics_created, stats.metrics_updated, stats.metrics_removed = (
            len(to_create), len(to_update), len(removed),
        )
        return stats

    def _fill_metric(self, metric: Metric, paragraph: Paragraph, draft: MetricDraft) -> None:
        metric.paragraph = paragraph
        for name, value in self._metric_values(paragraph, draft).items():
            setattr(metric, name, value)

    def _metric_values(self, paragraph: Paragraph, draft: MetricDraft) -> dict:
        """The extracted values of a figure's row, by field attname (see figure_fields.EXTRACTED)."""
        values = {"paragraph_id": paragraph.pk}
        for attname, attribute, slugs, longest in self._draft_columns:
            value = getattr(draft, attribute)
            if slugs is not None:
                value = slugs.get(value)
            elif longest:
                value = value[:longest]
            values[attname] = value
        return values

    def _relocate_curated(self, curated: list[Metric], paragraphs: dict[int, Paragraph]) -> int:
        """Point curated figures at their number in the new text; flag those that vanished.

        Each occurrence of a number is claimed by one figure at most: those still standing on their number claim
        first, then the others take the nearest free occurrence, so two figures never come to cover the same
        characters (a curator's "3" moved onto another curated "3" would count it twice).
        """
        flagged = 0
        claimed: dict[int, list[tuple[int, int]]] = {}

        def still_in_place(metric: Metric) -> bool:
            paragraph = paragraphs.get(metric.paragraph.position, metric.paragraph)
            return paragraph.text[metric.start:metric.end] == metric.number_text

        for metric in sorted(curated, key=lambda m: not still_in_place(m)):
            paragraph = paragraphs.get(metric.paragraph.position, metric.paragraph)
            span = find_near(paragraph.text, metric.number_text, metric.start, claimed.get(paragraph.pk, ()))
            if span is None:
                paragraph, span = find_in_article(paragraphs, metric.number_text, claimed)
            before = (metric.paragraph_id, metric.start, metric.end, metric.stale)
            if span is None:
                metric.stale = True
                flagged += 1
            else:
                metric.paragraph, (metric.start, metric.end), metric.stale = paragraph, span, False
                claimed.setdefault(paragraph.pk, []).append(span)
            if (metric.paragraph_id, metric.start, metric.end, metric.stale) != before:
                metric.save(update_fields=["paragraph", "start", "end", "stale", "updated_at"])
        return flagged

    def _drop_surplus_paragraphs(self, article: Article, count: int) -> None:
        """Paragraphs past the new end of the article, unless a (stale) curated figure still cites one."""
        article.paragraphs.filter(position__gte=count, metrics__isnull=True).delete()

    def _drop_vanished_articles(self, source: SourceFile, count: int) -> None:
        """Articles a shorter re-imported file no longer holds, unless a curator worked on them."""
        for article in source.articles.filter(position__gte=count):
            if not article.metrics.curated().exists() and not kept_targets(article):
                release_duplicates(list(article.metrics.values_list("pk", flat=True)))
                article.metrics.all().delete()
                article.delete()


def provenance(origin, text_date) -> dict:
    """An article's date and where it was read, and for a page from the web or an archive (an
    articles.collect.origin.Origin) its addresses, status, fetch or capture time and content type.

    The text's own date comes first; a page's metadata (or its feed item) next; an archive's capture date last.
    """
    if origin is None:
        return {"published": text_date, "published_from": PublishedFrom.TEXT if text_date else ""}
    if text_date:
        published, read_from = text_date, PublishedFrom.TEXT
    elif origin.published:
        published, read_from = origin.published, PublishedFrom.METADATA
    elif origin.captured:
        published, read_from = origin.fetched_at.date(), PublishedFrom.CAPTURE
    else:
        published, read_from = None, ""
    return {
        "published": published, "published_from": read_from, "url": origin.url[:2048],
        "requested_url": origin.requested_url[:2048], "http_status": origin.status, "fetched_at": origin.fetched_at,
        "content_type": origin.content_type[:100],
    }


def refresh_planner_statistics() -> None:
    """ANALYZE, so the query planner knows how the tables grew; on PostgreSQL VACUUM too.

    Without statistics SQLite looked up a donor's articles through all of the donor's figures instead of each
    article's, and PostgreSQL's estimates stayed far off until autovacuum came round. VACUUM marks the new rows'
    pages all-visible, which index-only scans need: without it the explorer's deepest page read its ids from
    the table instead of from its index. VACUUM cannot run inside a transaction; there (in tests) ANALYZE
    alone. What each costs and saves: docs/benchmarks.md.
    """
    connection = transaction.get_connection()
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


# What a re-import updates on a figure no curator has touched: every extracted field.
METRIC_FIELDS = [f.name for f in EXTRACTED]


METRIC_ATTNAMES = [Metric._meta.get_field(name).attname for name in METRIC_FIELDS]


def draft_columns(index: GazetteerIndex) -> list[tuple[str, str, dict | None, int | None]]:
    """(attname, MetricDraft attribute, slug → key table or None, longest text) of each extracted field but the
    paragraph, whose key the loader knows (the draft holds its position)."""
    slugs = {Province: index.provinces, RecipientArea: index.areas}
    columns = []
    for figure_field in EXTRACTED:
        field = Metric._meta.get_field(figure_field.name)
        if field.related_model is Paragraph:
            continue
        table = slugs[field.related_model] if field.is_relation else None
        columns.append((field.attname, figure_field.draft, table, getattr(field, "max_length", None)))
    return columns


def _metric_state(metric: Metric) -> list:
    return [getattr(metric, name) for name in METRIC_ATTNAMES]


def extraction_key(paragraph_text: str, draft: MetricDraft) -> str:
    raw = f"{paragraph_text}\x00{draft.start}\x00{draft.number_text}"
    return hashlib.sha1(raw.encode()).hexdigest()


def find_near(text: str, needle: str, start: int, taken=()) -> tuple[int, int] | None:
    """The occurrence of `needle` in `text` nearest to `start` that overlaps no span in `taken`."""
    positions = [
        at for at in find_all(text, needle)
        if not any(at < end and begin < at + len(needle) for begin, end in taken)
    ]
    if not positions:
        return None
    best = min(positions, key=lambda p: abs(p - start))
    return best, best + len(needle)


def find_in_article(paragraphs: dict[int, Paragraph], needle: str, claimed=None):
    for position in sorted(paragraphs):
        paragraph = paragraphs[position]
        span = find_near(paragraph.text, needle, 0, (claimed or {}).get(paragraph.pk, ()))
        if span:
            return paragraph, span
    return None, None


def kept_targets(article: Article) -> set[int]:
    """The article's figures that a curated figure (here or elsewhere) is a duplicate of, or the delivery of
    (articles/plans.py): kept like curated ones."""
    curated = Metric.objects.curated()
    return set(
        curated.filter(duplicate_of__article=article).values_list("duplicate_of_id", flat=True)
    ) | set(curated.filter(fulfilled_by__article=article).values_list("fulfilled_by_id", flat=True))


def release_duplicates(metric_ids: list[int]) -> None:
    """Figures pointing at figures about to be deleted stand alone again, with a history row saying why.

    Only automatic links (near-copies) reach here: targets of curated figures are kept (kept_targets).
    """
    rows = list(Metric.objects.filter(duplicate_of_id__in=metric_ids).exclude(pk__in=metric_ids))
    now = timezone.now()
    for metric in rows:
        metric.duplicate_of_id, metric.updated_at = None, now
    bulk_update_with_history(
        rows, Metric, ["duplicate_of", "updated_at"], default_change_reason="import: the figure it repeated is gone",
        default_date=now,
    )


