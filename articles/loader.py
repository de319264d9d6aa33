"""Pipeline output into the database: idempotent, one savepoint per file, curation never lost."""

import contextlib
import hashlib
import sys
from array import array
from collections import OrderedDict
from copy import copy as shallow_copy
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .cache import bump_data_version
from .figure_fields import EXTRACTED
from .models import Article, ArticleSketch, Metric, Paragraph, Province, RecipientArea, SourceFile
from .text.dedupe import NEAR_DUPLICATE, shingles
from .text.extract import MetricDraft
from .text.pipeline import ProcessedArticle, ProcessedFile

# Shared sketch values a candidate needs before the full containment check runs.
MIN_SHARED_SKETCH = 3
# A sketch value held by this many articles is boilerplate, not evidence of a copy (see Loader._candidates).
COMMON_SKETCH_VALUE = 100
# After an import that wrote this many files, the planner's statistics are refreshed (see refresh_planner_statistics).
ANALYZE_AFTER_FILES = 100
# Files written per transaction by Loader.batches(): fewer commits (each one an fsync), short enough locks.
BATCH_FILES = 50
# Articles whose shingles stay in memory for near-copy checks (about 6 KB each); older ones are re-read.
SHINGLE_CACHE_SIZE = 20000


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
        self.shingles = ShingleCache(SHINGLE_CACHE_SIZE)
        self.common_values: set[int] = set()  # sketch values too common to point at a copy
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
            stats.merge(self._load_article(source, position, item, fresh))
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
            (source,) = create_rows(SourceFile, [dict(
                name=processed.name, path=processed.path, sha256=processed.sha256, size=processed.size,
                encoding=processed.encoding,
            )])
            return source, False, True
        source.path, source.size, source.encoding = processed.path, processed.size, processed.encoding
        return source, False, False

    def _load_article(self, source: SourceFile, position: int, item: ProcessedArticle, fresh: bool) -> ImportStats:
        stats = ImportStats(articles=1)
        article = None if fresh else Article.objects.filter(source_file=source, position=position).first()
        if article and article.content_hash == item.content_hash:
            stats.articles_unchanged = 1
            return stats
        # No savepoint of its own: a failing article fails its whole file, whose savepoint (load_file) undoes it.
        # PostgreSQL slows down once a transaction holds more than 64 subtransactions; a batch holds one per file.
        is_new = article is None
        article = self._save_article(source, position, item, article)
        if is_new:
            paragraphs = self._create_paragraphs(article, item)
            stats.merge(self._create_metrics(article, paragraphs, item.metrics))
        else:
            paragraphs = self._save_paragraphs(article, item)
            stats.merge(self._save_metrics(article, paragraphs, item.metrics))
            self._drop_surplus_paragraphs(article, len(item.draft.paragraphs))
        stats.paragraphs = len(item.draft.paragraphs)
        self._save_sketch(article, item.sketch, replace=not is_new)
        stats.near_copies = self._link_near_copies(article, item, is_new)
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
            # No post_save, so no history row per article here: the loader writes the rows
            # of all new articles in one statement per batch (see _write_history), which costs far less.
            (article,) = create_rows(Article, [dict(source_file_id=source.pk, position=position, **values)])
            created = shallow_copy(article)  # as created: a near-copy link may change the article before then
            created._history_date = timezone.now()
            self._new_articles.append(created)
            return article
        for name, value in values.items():
            if name not in article.curated_fields:
                setattr(article, name, value)
        article.save()
        return article

    def _create_paragraphs(self, article: Article, item: ProcessedArticle) -> dict[int, Paragraph]:
        """A new article's paragraphs in one insert (primary keys come back from it)."""
        created = create_rows(Paragraph, [
            dict(article_id=article.pk, position=draft.position, original_text=draft.original,
                 text=draft.text, role=draft.role)
            for draft in item.draft.paragraphs
        ])
        return {p.position: p for p in created}

    def _create_metrics(self, article: Article, paragraphs: dict[int, Paragraph], drafts: list[MetricDraft]) -> ImportStats:
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

    def _save_metrics(self, article: Article, paragraphs: dict[int, Paragraph], drafts: list[MetricDraft]) -> ImportStats:
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
        """Point curated figures at their number in the new text; flag those that vanished."""
        flagged = 0
        for metric in curated:
            paragraph = paragraphs.get(metric.paragraph.position, metric.paragraph)
            span = find_near(paragraph.text, metric.number_text, metric.start)
            if span is None:
                paragraph, span = find_in_article(paragraphs, metric.number_text)
            before = (metric.paragraph_id, metric.start, metric.end, metric.stale)
            if span is None:
                metric.stale = True
                flagged += 1
            else:
                metric.paragraph, (metric.start, metric.end), metric.stale = paragraph, span, False
            if (metric.paragraph_id, metric.start, metric.end, metric.stale) != before:
                metric.save(update_fields=["paragraph", "start", "end", "stale", "updated_at"])
        return flagged

    def _drop_surplus_paragraphs(self, article: Article, count: int) -> None:
        """Paragraphs past the new end of the article, unless a (stale) curated figure still cites one."""
        article.paragraphs.filter(position__gte=count, metrics__isnull=True).delete()

    def _save_sketch(self, article: Article, values: list[int], replace: bool) -> None:
        if replace:
            ArticleSketch.objects.filter(article=article).delete()
        insert_rows(ArticleSketch, [{"article_id": article.pk, "value": value} for value in values])

    def _link_near_copies(self, article: Article, item: ProcessedArticle, is_new: bool) -> int:
        """Link the article and an earlier near-copy; the copy's figures then point at the original's."""
        own = self.shingles.remember(article.pk, article_shingles(item))
        candidates = self._candidates(article, item.sketch)
        if not candidates:
            return 0
        own_set = set(own)
        for other_pk in candidates:
            theirs = self.shingles.get(other_pk)
            if theirs is None:
                theirs = self.shingles.remember(other_pk, compact(shingles(article_body(other_pk))))
            common = len(own_set.intersection(theirs))
            if common and common >= NEAR_DUPLICATE * min(len(own), len(theirs)):
                other = Article.objects.get(pk=other_pk)
                copy, original = (article, other) if len(own) <= len(theirs) else (other, article)
                # A new article's figures were written a moment ago, without history rows: none to add to.
                link_copy(copy, original, record_history=not (is_new and copy is article))
                return 1
        return 0

    def _candidates(self, article: Article, sketch: list[int]) -> list[int]:
        """Earlier articles sharing at least MIN_SHARED_SKETCH sketch values with this one (five at most).

        A value found in COMMON_SKETCH_VALUE articles or more is boilerplate (a quoted speech, a standard
        closing line), not a sign of copying: it is left out of the vote and of every later query, which
        keeps each look-up bounded instead of growing with the number of articles.
        """
        wanted = [value for value in sketch if value not in self.common_values]
        if len(wanted) < MIN_SHARED_SKETCH:
            return []
        candidates = []
        for is_common, number in self._sketch_holders(wanted, article.pk):
            if is_common:
                self.common_values.add(number)
            else:
                candidates.append(number)
        return sorted(candidates)

    @staticmethod
    def _sketch_holders(values: list[int], article_id: int) -> list[tuple[int, int]]:
        """(1, value) for each of `values` held by COMMON_SKETCH_VALUE other articles or more, then (0, id) for
        the five other articles sharing most of the rest, at least MIN_SHARED_SKETCH.

        One statement, plain SQL (it runs once per imported article, and compiling an ORM query each time cost
        as much as running it): the holders are read once, counted in the database, and only a handful of
        rows come back. MATERIALIZED (SQLite 3.35+, PostgreSQL 12+) keeps them from being read twice.
        """
        connection = transaction.get_connection()
        table = connection.ops.quote_name(ArticleSketch._meta.db_table)
        placeholders = ", ".join(["%s"] * len(values))
        sql = f"""
            WITH holders AS MATERIALIZED (
                SELECT value, article_id FROM {table} WHERE value IN ({placeholders}) AND article_id <> %s
            ), common AS MATERIALIZED (
                SELECT value FROM holders GROUP BY value HAVING COUNT(*) >= %s
            )
            SELECT 1, value FROM common
            UNION ALL
            SELECT 0, article_id FROM (
                SELECT article_id FROM holders WHERE value NOT IN (SELECT value FROM common)
                GROUP BY article_id HAVING COUNT(*) >= %s ORDER BY COUNT(*) DESC, article_id LIMIT 5
            ) AS sharing"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, article_id, COMMON_SKETCH_VALUE, MIN_SHARED_SKETCH])
            return cursor.fetchall()

    def _drop_vanished_articles(self, source: SourceFile, count: int) -> None:
        """Articles a shorter re-imported file no longer holds, unless a curator worked on them."""
        for article in source.articles.filter(position__gte=count):
            if not article.metrics.curated().exists() and not kept_targets(article):
                release_duplicates(list(article.metrics.values_list("pk", flat=True)))
                article.metrics.all().delete()
                article.delete()


class ShingleCache:
    """Compact shingle sets of recently written articles, so near-copy checks need not re-read and re-hash them.

    Values are kept as 32-bit arrays (the top bits of each 63-bit shingle hash): a chance collision between
    two articles' shingles is about one in four billion per pair of shingles, far below the containment
    threshold's resolution.
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[int, array] = OrderedDict()

    def remember(self, pk: int, values: array) -> array:
        self._items[pk] = values
        self._items.move_to_end(pk)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return values

    def get(self, pk: int) -> array | None:
        return self._items.get(pk)


ADAPTED_FIELD_TYPES = {"DecimalField", "DateTimeField", "DateField", "TimeField", "JSONField", "UUIDField", "DurationField"}


def refresh_planner_statistics() -> None:
    """ANALYZE, so the query planner knows how the tables grew; on PostgreSQL VACUUM too.

    Without statistics SQLite looked up a donor's articles through all of the donor's figures instead of
    each article's (5 s instead of 17 ms at 10,000 articles), and PostgreSQL's estimates were off by 400x
    until autovacuum came round. About a second at 10,000 articles on either database.

    On PostgreSQL, VACUUM marks the new rows' pages all-visible, which index-only scans need: without it the
    explorer's deepest page read its ids from the table instead of from its index (130 ms instead of 50 ms
    at 10,000 articles), until autovacuum came round, if it is on at all. VACUUM cannot run inside a
    transaction; there (in tests) ANALYZE alone.
    """
    connection = transaction.get_connection()
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


def insert_rows(model, rows: list[dict]) -> None:
    """Insert new rows, given as {field attname: value}, in multi-row statements, without fetching their keys.

    Neither model instances nor bulk_create: building an instance and compiling every value through the ORM's
    expression machinery cost more, for the thousands of figure and sketch rows of an import, than the text
    pipeline itself. A field missing from a row gets what bulk_create would give it (its default, or now for
    auto_now fields), computed once per call; values still pass through get_db_prep_save where the field's
    type needs an adapter.
    """
    table = _RowTable(model)
    with table.connection.cursor() as cursor:
        for _chunk, sql, params in table.statements(rows):
            cursor.execute(sql, params)


def create_rows(model, rows: list[dict]) -> list:
    """Insert new rows like insert_rows and return them as instances with their primary keys.

    Multi-row INSERT ... RETURNING: the keys come back in the order of the rows (as bulk_create relies on, on
    both SQLite 3.35+ and PostgreSQL). For the few rows per file that later rows point at (the file, its
    articles, their paragraphs).
    """
    table = _RowTable(model)
    returning = f" RETURNING {table.connection.ops.quote_name(model._meta.pk.column)}"
    created = []
    for chunk, sql, params in table.statements(rows):
        with table.connection.cursor() as cursor:
            cursor.execute(sql + returning, params)
            keys = [key for (key,) in cursor.fetchall()]
        for row, key in zip(chunk, keys, strict=True):
            instance = model(**{**table.defaults, **row})
            instance.pk = key
            instance._state.adding = False
            created.append(instance)
    return created


class _RowTable:
    """What insert_rows and create_rows need to know of a model's table, worked out once per call."""

    def __init__(self, model):
        self.model = model
        self.connection = transaction.get_connection()
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in self.fields]
        # Rows per multi-row INSERT: one round trip and one statement to parse, with bound values far below
        # either database's limit (32,766 on SQLite, 65,535 on PostgreSQL).
        self.rows_per_statement = max(1, 8000 // len(self.fields))
        template = model()
        self.defaults = {f.attname: f.pre_save(template, True) for f in self.fields}
        self.db_defaults = [f.get_db_prep_save(self.defaults[f.attname], self.connection) for f in self.fields]
        # Only these field types change a Python value on its way to the database; the rest pass as they are.
        self.adapters = [f if f.get_internal_type() in ADAPTED_FIELD_TYPES else None for f in self.fields]

    def statements(self, rows: list[dict]):
        """(rows, INSERT statement, its parameters) for each chunk of `rows`."""
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        one_row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        for start in range(0, len(rows), self.rows_per_statement):
            chunk = rows[start : start + self.rows_per_statement]
            sql = f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES {', '.join([one_row] * len(chunk))}"
            yield chunk, sql, [value for row in chunk for value in self._db_values(row)]

    def _db_values(self, row: dict) -> list:
        """The row's values for the INSERT, in column order; defaults (already adapted) for missing fields."""
        if not row.keys() <= self.defaults.keys():
            unknown = sorted(row.keys() - self.defaults.keys())
            raise ValueError(f"{self.model.__name__} has no field {', '.join(unknown)}")
        return [
            default if name not in row
            else row[name] if adapter is None
            else adapter.get_db_prep_save(row[name], self.connection)
            for name, adapter, default in zip(self.names, self.adapters, self.db_defaults)
        ]


def compact(values: set[int]) -> array:
    return array("I", [v >> 31 for v in values])  # order does not matter: only intersected


def article_shingles(item: ProcessedArticle) -> array:
    """The article body's shingles: attached by with_shingles() in a worker process, or computed here."""
    prepared = item.shingles
    if isinstance(prepared, array):
        return prepared
    return compact(prepared or shingles("\n".join(p.text for p in item.draft.paragraphs)))


def with_shingles(processed: ProcessedFile) -> ProcessedFile:
    """Attach each article's compact shingles, so the parsing processes, not the writer, compute them."""
    for item in processed.articles:
        item.shingles = article_shingles(item)
    return processed


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


def article_body(article_id: int) -> str:
    return "\n".join(Paragraph.objects.filter(article_id=article_id).values_list("text", flat=True))


def link_copy(copy: Article, original: Article, record_history: bool = True) -> None:
    """Mark `copy` as a near-copy of `original` and its figures as second reports of the original's.

    An article whose "duplicate of" a curator set keeps it, and is not made a copy of another article.
    """
    if "duplicate_of" in copy.curated_fields and copy.duplicate_of_id != original.pk:
        return
    if original.duplicate_of_id == copy.pk and "duplicate_of" not in original.curated_fields:
        original.duplicate_of = None
        original.save(update_fields=["duplicate_of"])
    if copy.duplicate_of_id != original.pk and "duplicate_of" not in copy.curated_fields:
        copy.duplicate_of = original
        copy.save(update_fields=["duplicate_of"])
    # Plain values and filters on the article's own index: this runs for every near-copy an import finds.
    fact = ("number_text", "unit_family", "value")
    originals = {}
    for pk, *key in original.metrics.counted().order_by("paragraph__position", "start").values_list("pk", *fact):
        originals.setdefault(_fact_key(*key), pk)
    seconds = {}
    # A figure a curator decided on stays as they left it, counted on its own included.
    candidates = copy.metrics.uncurated().filter(duplicate_of__isnull=True).order_by()
    for pk, *key in candidates.values_list("pk", *fact):
        target = originals.get(_fact_key(*key))
        if target is not None:
            seconds[pk] = target
    # One statement for the rows (and one for their history); the loader invalidates the cache after commit.
    if record_history:
        rows = list(Metric.objects.filter(pk__in=seconds))
        for metric in rows:
            metric.duplicate_of_id = seconds[metric.pk]
        bulk_update_with_history(rows, Metric, ["duplicate_of"], batch_size=500)
    else:
        rows = [Metric(pk=pk, duplicate_of_id=target) for pk, target in seconds.items()]
        Metric.objects.bulk_update(rows, ["duplicate_of"], batch_size=500)


def kept_targets(article: Article) -> set[int]:
    """The article's figures that a curated figure (here or elsewhere) is a duplicate of: kept like curated ones."""
    return set(
        Metric.objects.curated().filter(duplicate_of__article=article).values_list("duplicate_of_id", flat=True)
    )


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


def _fact_key(number_text: str, unit_family: str, value) -> tuple:
    return number_text, unit_family, str(value)
