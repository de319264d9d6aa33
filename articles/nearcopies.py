"""Near-copies: an article's sketch, the earlier articles sharing it, and the link that counts a copy's figures once.

The loader calls NearCopies.save_sketch and NearCopies.link for each article it writes; the shingles are usually
computed ahead, in the parsing processes (with_shingles).
"""

from array import array
from collections import OrderedDict

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from .models import Article, ArticleSketch, Metric, Paragraph
from .rows import insert_rows
from .text.dedupe import is_near_copy, shingles
from .text.pipeline import ProcessedArticle, ProcessedFile

# Shared sketch values a candidate needs before the full containment check runs.
MIN_SHARED_SKETCH = 3
# A sketch value held by this many articles is boilerplate, not evidence of a copy (see NearCopies._candidates).
COMMON_SKETCH_VALUE = 100
# Articles whose shingles stay in memory for near-copy checks (about 6 KB each); older ones are re-read.
SHINGLE_CACHE_SIZE = 20000


class NearCopies:
    """The near-copy checks of one import: the shingles of recent articles, and the sketch values too common to
    point at a copy."""

    def __init__(self):
        self.shingles = ShingleCache(SHINGLE_CACHE_SIZE)
        self.common_values: set[int] = set()  # sketch values too common to point at a copy

    def save_sketch(self, article: Article, values: list[int], replace: bool) -> None:
        if replace:
            ArticleSketch.objects.filter(article=article).delete()
        insert_rows(ArticleSketch, [{"article_id": article.pk, "value": value} for value in values])

    def link(self, article: Article, item: ProcessedArticle, is_new: bool) -> int:
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
            if is_near_copy(own_set, set(theirs)):
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


def _fact_key(number_text: str, unit_family: str, value) -> tuple:
    return number_text, unit_family, str(value)
