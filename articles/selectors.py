"""The read queries behind the dashboard: totals of counted figures, pairings and articles, one function per question.

Every total is one aggregate query over the counted metrics that a `Scope` (as the metric explorer's query
parameters) selects, together with the duplicates that report the same facts: a fact is summed once, and the
articles of the fact and of its duplicates are its sources. Groups are always split by kind and unit family
where values are summed, so unlike things are never added.
"""

import hashlib
import json
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from . import formatting
from .cache import cached
from .choices import AreaLevel, Kind, Stage
from .filters import MetricFilterSet
from .models import VERIFIED, Article, Metric, Pairing, Paragraph, Province, RecipientArea, SourceFile

# A chart element standing for up to this many metrics links to `/metrics/?ids=…`; a bigger one links to the
# explorer's equivalent filter, which keeps the address short.
LINK_IDS = 300
ROOT_LEVELS = {AreaLevel.REGION, AreaLevel.CORPS}
FACT = Q(duplicate_of__isnull=True)
# Marks the bucket of an area's own figures (those not in any child area); slugs never start with it.
SELF_BUCKET = "="

# Each grouping dimension: the metric field it reads and the explorer filter that selects one of its values.
DIMENSIONS = {
    "province": ("province__slug", "province"),
    "kind": ("kind", "kind"),
    "unit_family": ("unit_family", "unit_family"),
    "sector": ("sector", "sector"),
    "year": ("year_end", None),
    "area": ("area__slug", "area"),
    "stage": ("stage", "stage"),
}


class JoinedIds(Aggregate):
    """The group's metric ids joined by commas (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        # A copy with its own template: passing template= here clashes with the one a FILTER clause adds.
        clone = self.copy()
        clone.function = "STRING_AGG"
        clone.template = "%(function)s(CAST(%(expressions)s AS text), ',')"
        return clone.as_sql(compiler, connection, **extra)


@dataclass(frozen=True)
class Total:
    """The total of one group of counted figures of a single kind and unit family."""

    group: dict
    value: Decimal
    figures: int
    sources: int
    more_than: int
    about: int
    year_from: int | None
    year_to: int | None
    mixed_periods: bool
    url: str
    # Of the figures summed, those a curator verified or edited (`/metrics/?verified=1` of the same group).
    verified_value: Decimal = Decimal(0)
    verified_figures: int = 0

    @property
    def verified_share(self) -> float:
        """How much of the total rests on checked figures: by value, or by count where values cannot be summed
        (shares) or sum to nothing."""
        if self.value and self.group.get("unit_family") not in formatting.NON_ADDITIVE_FAMILIES:
            return float(self.verified_value / self.value)
        return self.verified_figures / self.figures if self.figures else 0.0

    @property
    def sign(self) -> str:
        """'≈' if any member is approximate, else '≥' if any is a lower bound (多/余/超), else ''."""
        if self.about:
            return formatting.ABOUT
        return formatting.MORE_THAN if self.more_than else ""

    @property
    def kind_label(self) -> str:
        kind = self.group.get("kind")
        return Kind(kind).label if kind in Kind.values else (kind or "")

    @property
    def period(self) -> str:
        years = [year for year in (self.year_from, self.year_to) if year is not None]
        if not years:
            return ""
        first, last = min(years), max(years)
        return str(last) if first == last else f"{first}–{last}"

    def __getattr__(self, name):
        # Templates read group values as attributes: total.kind, total.province…
        group = self.__dict__.get("group") or {}
        if name in group:
            return group[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class Scope:
    """Which figures a question covers: what every scoped selector receives.

    A new way of narrowing every total is one more field here and one more filter in `filters()`: each page
    passes its scope through unchanged.

    `stage` is the one stage a page's totals are for: every page's scope has one (`views` reads it from the
    request, default achieved). A scope without one covers every stage: only questions that show no sum use
    it (which donors have figures at all), or those that group by stage (`totals_by_stage_*`).
    """

    verified: bool = False
    provinces: tuple[str, ...] = ()
    area: str | None = None
    kind: str | None = None
    stage: str | None = None

    def filters(self) -> dict:
        """The scope as the explorer's query parameters, without empty values (also its cache key)."""
        return clean_scope({
            "verified": "1" if self.verified else None, "province": list(self.provinces),
            "area": self.area, "kind": self.kind, "stage": self.stage,
        })

    def narrowed(self, **fields) -> "Scope":
        return replace(self, **fields)


EVERYTHING = Scope()


# Links ---------------------------------------------------------------------------------------------------

def paragraph_link(article_id: int, position: int, metric_id: int | None = None, verified: bool = False) -> str:
    """The paragraph in the reader, with the figure `metric_id` emphasised."""
    query = {"metric": metric_id} if metric_id else {}
    if verified:
        query["verified"] = "1"
    url = reverse("articles:article", args=[article_id])
    return f"{url}{'?' + urlencode(query) if query else ''}#p-{position}"


def metrics_link(ids: list[int], params: dict | None = None, verified: bool = False) -> str:
    """The explorer showing exactly these metrics: by ids, or by the equivalent filter for big groups."""
    url = reverse("articles:metrics")
    if params is not None and len(ids) > LINK_IDS:
        query = {**params, "counted": "1"}
    else:
        query = {"ids": ",".join(str(i) for i in sorted(ids))}
    if verified:
        query["verified"] = "1"
    return url + "?" + urlencode(query, doseq=True, safe=",")


# The aggregate -------------------------------------------------------------------------------------------

def clean_scope(filters: dict | None) -> dict:
    """Explorer filters without empty values, in a stable order (they are also a cache key)."""
    clean = {}
    for key, value in sorted((filters or {}).items()):
        if isinstance(value, (list, tuple)):
            value = sorted(str(v) for v in value if v not in (None, ""))
        if value not in (None, "", []):
            clean[key] = value
    return clean


def counted_facts(filters: dict):
    """The counted metrics the filters select; invalid filters are a programming error here."""
    filterset = MetricFilterSet(filters, queryset=Metric.objects.counted())
    if not filterset.is_valid():
        raise ValueError(f"Invalid metric scope {filters!r}: {filterset.errors.as_json()}")
    return filterset.qs


def _of_fact(expression_for):
    """The value for the fact a member reports: its own, or that of the metric it duplicates."""
    return Case(When(FACT, then=expression_for("")), default=expression_for("duplicate_of__"))


def _bucket(buckets: dict[str, list[int]]):
    def expression(prefix):
        whens = [When(**{f"{prefix}area_id__in": ids}, then=Value(slug)) for slug, ids in buckets.items()]
        nothing = Value(None, output_field=CharField())
        return Case(*whens, default=nothing, output_field=CharField()) if whens else nothing
    return expression


def _field(path):
    return lambda prefix: F(prefix + path)


def _members(filters: dict):
    """The filters' counted facts and the non-rejected duplicates that report them.

    A member's fact is its `duplicate_of`, or itself when it has none, so one IN over that expression selects
    both (facts are never rejected). The planner runs it as a single hash semi-join; the equivalent
    `pk IN facts OR duplicate_of IN facts` scanned every figure against two hashed subplans
    (slower: docs/benchmarks.md).
    """
    fact_ids = counted_facts(filters).values("pk")
    return (
        Metric.objects.not_rejected()
        .annotate(fact_id=Coalesce("duplicate_of_id", "id"))
        .filter(fact_id__in=fact_ids)
    )


def _totals(filters: dict, by: tuple[str, ...], buckets: dict[str, list[int]] | None = None) -> list[Total]:
    """One aggregate query: totals of the counted figures the filters select, grouped by the `by` dimensions.

    `by` names DIMENSIONS, or "bucket" for the area buckets given (slug → area ids).
    """
    filters = clean_scope(filters)
    members = _members(filters)
    groups = {
        f"g_{name}": _of_fact(_bucket(buckets) if name == "bucket" else _field(DIMENSIONS[name][0]))
        for name in by
    }
    rows = members.annotate(**groups).values(*groups).order_by().annotate(**_aggregates())
    return [_total(row, by, filters) for row in rows]


def _aggregates() -> dict:
    """What a total sums and counts over its group's members (facts and the duplicates that report them)."""
    return {
        "total": Sum("value", filter=FACT),
        "figures": Count("pk", filter=FACT),
        "verified_value": Sum("value", filter=FACT & VERIFIED),
        "verified_figures": Count("pk", filter=FACT & VERIFIED),
        "more_than": Count("pk", filter=FACT & Q(approx="more_than")),
        "about": Count("pk", filter=FACT & Q(approx="about")),
        "sources": Count("article", distinct=True),
        "start_min": Min(Coalesce("year_start", "year_end"), filter=FACT),
        "start_max": Max(Coalesce("year_start", "year_end"), filter=FACT),
        "end_min": Min("year_end", filter=FACT),
        "end_max": Max("year_end", filter=FACT),
        "undated": Count("pk", filter=FACT & Q(year_end__isnull=True)),
        "ids": JoinedIds("pk", filter=FACT),
        "first_article": Min("article_id", filter=FACT),
        "first_position": Min("paragraph__position", filter=FACT),
    }


def _total(row: dict, by: tuple[str, ...], filters: dict) -> Total:
    group = {name: row[f"g_{name}"] for name in by}
    ids = [int(i) for i in (row["ids"] or "").split(",") if i]
    verified = bool(filters.get("verified"))
    if row["figures"] == 1:
        url = paragraph_link(row["first_article"], row["first_position"], ids[0] if ids else None, verified)
    else:
        url = metrics_link(ids, _permalink_params(filters, group), verified)
    undated = row["undated"]
    mixed = (
        row["start_min"] != row["start_max"]
        or row["end_min"] != row["end_max"]
        or 0 < undated < row["figures"]
    )
    return Total(
        group=group,
        value=row["total"] if row["total"] is not None else Decimal(0),
        figures=row["figures"],
        sources=row["sources"],
        more_than=row["more_than"],
        about=row["about"],
        year_from=row["start_min"],
        year_to=row["end_max"],
        mixed_periods=mixed,
        url=url,
        verified_value=row["verified_value"] if row["verified_value"] is not None else Decimal(0),
        verified_figures=row["verified_figures"],
    )


def _permalink_params(filters: dict, group: dict) -> dict | None:
    """The explorer filter equal to this group, or None where a dimension has no exact filter."""
    params = {key: value for key, value in filters.items() if key != "verified"}
    for name, value in group.items():
        if name == "bucket":
            if value is None or value.startswith(SELF_BUCKET):
                return None
            params["area"] = value
        elif name == "year":
            if value is None:
                return None
            params["year_min"] = params["year_max"] = value
        else:
            if value is None:
                return None
            params[DIMENSIONS[name][1]] = value
    return params


def key_digest(value) -> str:
    """A short cache key for any JSON-able value (scopes, choices)."""
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _cached_totals(name: str, scope: Scope, by: tuple[str, ...], buckets=None) -> list[Total]:
    filters = scope.filters()
    return cached(f"{name}:{key_digest([filters, by, buckets])}", lambda: _totals(filters, by, buckets))


# Totals, by question -------------------------------------------------------------------------------------

def totals_by_province(scope: Scope) -> list[Total]:
    """Per donor province, kind and unit family: the overview's headline comparisons and /compare/."""
    return _cached_totals("by-province", scope, ("province", "kind", "unit_family"))


def totals_by_sector_and_province(scope: Scope) -> list[Total]:
    """Per sector and donor province, kind and unit family: /compare/'s grouped bars."""
    return _cached_totals("by-sector-province", scope, ("sector", "province", "kind", "unit_family"))


def totals_by_kind(scope: Scope) -> list[Total]:
    """Per kind and unit family: a donor's or an area's totals."""
    return _cached_totals("by-kind", scope, ("kind", "unit_family"))


def totals_by_sector(scope: Scope) -> list[Total]:
    """Per sector, kind and unit family: a donor's or an area's sector breakdown."""
    return _cached_totals("by-sector", scope, ("sector", "kind", "unit_family"))


def totals_by_year(scope: Scope) -> list[Total]:
    """Per year (the end of the period a figure covers), kind and unit family: figures over time."""
    return _cached_totals("by-year", scope, ("year", "kind", "unit_family"))


def totals_by_prefecture(scope: Scope) -> list[Total]:
    """Per prefecture-level area (prefecture, prefecture-level city, 兵团 division), kind and unit family."""
    return _cached_totals("by-prefecture", scope, ("bucket", "kind", "unit_family"), prefecture_buckets())


def totals_by_child_area(area_slug: str, scope: Scope) -> list[Total]:
    """Per child area of an area (each with the areas below it) and the area itself, kind and unit family."""
    tree = area_tree()
    area = next((a for a in tree.values() if a["slug"] == area_slug), None)
    if area is None:
        return []
    buckets = {tree[child]["slug"]: subtree_ids(child) for child in area["children"]}
    buckets[SELF_BUCKET + area_slug] = [area["id"]]
    totals = _cached_totals("by-child", scope.narrowed(area=area_slug), ("bucket", "kind", "unit_family"), buckets)
    return totals


def totals_by_stage_and_province(scope: Scope) -> list[Total]:
    """Per stage, donor province, kind and unit family, whatever the scope's stage: what a page shows beside
    its own stage's totals (planned against achieved; a donor that has only planned figures)."""
    return _cached_totals("by-stage-province", scope.narrowed(stage=None), ("stage", "province", "kind", "unit_family"))


def totals_by_stage_and_kind(scope: Scope) -> list[Total]:
    """Per stage, kind and unit family, whatever the scope's stage: a donor's or an area's other stages."""
    return _cached_totals("by-stage-kind", scope.narrowed(stage=None), ("stage", "kind", "unit_family"))


def group_link(scope: Scope, total: Total) -> str:
    """The explorer filtered by name to exactly a total's figures (`?province=…&kind=…&stage=…&counted=1`).

    `total` is one of this scope's totals, grouped by dimensions that each have a filter (not by bucket or year).
    """
    filters = scope.filters()
    params = _permalink_params(filters, total.group)
    if params is None:
        raise ValueError(f"No explorer filter is equal to the group {total.group!r}")
    query = {**params, "counted": "1", **({"verified": "1"} if filters.get("verified") else {})}
    return reverse("articles:metrics") + "?" + urlencode(clean_scope(query), doseq=True)


def donor_flows(scope: Scope) -> dict:
    """Donor province → prefecture flows: counted funding where the donor has any, else the number of figures.

    Returns {"family": the funding unit family used, "funding": [Total], "figures": [Total]}, each Total
    grouped by province and bucket (prefecture slug).
    """
    buckets = prefecture_buckets()
    by = ("province", "bucket", "unit_family")
    funding = _cached_totals("flows-funding", scope.narrowed(kind=Kind.FUNDING), by, buckets)
    figures = _cached_totals("flows-figures", scope, ("province", "bucket"), buckets)
    family = dominant_family(funding)
    return {
        "family": family,
        "funding": [t for t in funding if t.unit_family == family],
        "figures": figures,
    }


def dominant_family(totals: list[Total]) -> str | None:
    """The unit family with the most figures among these totals (the one a chart of them should show)."""
    counts = {}
    for total in totals:
        family = total.group.get("unit_family")
        counts[family] = counts.get(family, 0) + total.figures
    return max(counts, key=lambda f: (counts[f], f or "")) if counts else None


# What the data holds -------------------------------------------------------------------------------------

def data_summary(scope: Scope = EVERYTHING) -> dict:
    """Articles, publishers, source files, date range, counted figures and the share of them verified.

    Of the scope only what narrows every figure applies (verified only, the stage): the summary covers all
    donors and areas. `unknown` counts the counted figures of unknown stage, in no stage's totals.
    """
    verified, stage = scope.verified, scope.stage

    def compute():
        articles = Article.objects.about_aid().aggregate(
            articles=Count("pk"), publishers=Count("publisher", distinct=True),
            first=Min("published"), last=Max("published"),
        )
        counted = Metric.objects.counted()
        if verified:
            counted = counted.verified()
        in_stage = Q(stage=stage) if stage else Q()
        metrics = counted.aggregate(
            metrics=Count("pk", filter=in_stage) if stage else Count("pk"),
            verified=Count("pk", filter=in_stage & VERIFIED),
            unknown=Count("pk", filter=Q(stage=Stage.UNKNOWN)),
        )
        share = metrics["verified"] / metrics["metrics"] if metrics["metrics"] else 0
        # Held figures of every stage: see `held_count`.
        return {**articles, **metrics, "files": SourceFile.objects.count(), "verified_share": share,
                "held": Metric.objects.held().count()}

    return cached(f"summary:{int(verified)}:{stage or ''}", compute)


def figure_count():
    """An article's number of non-rejected figures, as a correlated subquery.

    Counted per row kept, after ordering and slicing, so a newest-first page walks the index
    `article_aid_newest_first` and counts for its rows only (a joined Count() grouped every article first).
    """
    figures = (
        Metric.objects.not_rejected().filter(article=OuterRef("pk"))
        .order_by().values("article").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(figures, output_field=IntegerField()), 0)


def latest_articles(limit: int = 8) -> list[Article]:
    return list(
        Article.objects.about_aid().select_related("source_file")
        .order_by(F("published").desc(nulls_last=True), "-id")
        .annotate(figures=figure_count())[:limit]
    )


# Donors and areas ----------------------------------------------------------------------------------------

def donor_provinces() -> list[Province]:
    """All top-level donors (19 援疆省市), in slug order."""
    return cached("donors", lambda: list(Province.objects.filter(parent__isnull=True).order_by("slug")))


def province_by_slug(slug: str) -> Province | None:
    """A top-level donor by its slug, or by a city team's slug (→ its province)."""
    province = Province.objects.select_related("parent").filter(slug=slug).first()
    return province.top if province else None


def province_pairings(province: Province) -> list[Pairing]:
    return list(
        Pairing.objects.filter(Q(province=province) | Q(province__parent=province))
        .select_related("area__parent", "province__parent").order_by("area__slug")
    )


def area_tree() -> dict[int, dict]:
    """Every recipient area as a plain dict (id, slug, names, level, parent, children, coordinates)."""

    def compute():
        rows = RecipientArea.objects.values(
            "id", "slug", "name_zh", "name_en", "level", "parent_id", "longitude", "latitude",
        ).order_by("slug")
        tree = {row["id"]: {**row, "children": []} for row in rows}
        for row in tree.values():
            if row["parent_id"] in tree:
                tree[row["parent_id"]]["children"].append(row["id"])
        return tree

    return cached("area-tree", compute)


def subtree_ids(area_id: int) -> list[int]:
    tree = area_tree()
    ids, frontier = [], [area_id]
    while frontier:
        ids.extend(frontier)
        frontier = [child for node in frontier for child in tree[node]["children"]]
    return ids


def ancestors(area_id: int) -> list[dict]:
    """The areas above this one, nearest first."""
    tree = area_tree()
    chain, node = [], tree[area_id]["parent_id"]
    while node in tree and len(chain) < 8:
        chain.append(tree[node])
        node = tree[node]["parent_id"]
    return chain


def prefecture_level_areas() -> list[dict]:
    """Prefectures, prefecture-level cities and 兵团 divisions: the children of the region and the corps."""
    tree = area_tree()
    return [
        area for area in tree.values()
        if (area["parent_id"] in tree and tree[area["parent_id"]]["level"] in ROOT_LEVELS)
        or (area["parent_id"] is None and area["level"] not in ROOT_LEVELS)
    ]


def prefecture_buckets() -> dict[str, list[int]]:
    return {area["slug"]: subtree_ids(area["id"]) for area in prefecture_level_areas()}


def area_by_slug(slug: str) -> dict | None:
    return next((area for area in area_tree().values() if area["slug"] == slug), None)


def area_pairings(area_id: int) -> list[Pairing]:
    """The pairings of an area, of the areas above it and of those below it."""
    ids = subtree_ids(area_id) + [a["id"] for a in ancestors(area_id)]
    return list(
        Pairing.objects.filter(area_id__in=ids).select_related("province__parent", "area").order_by("area__slug")
    )


def map_pairings() -> list[dict]:
    """Every pairing with its area's coordinates: the map's donor-coloured markers."""
    return cached("map-pairings", lambda: list(
        Pairing.objects.filter(province__parent__isnull=True).values(
            "province__slug", "area__slug", "area__name_zh", "area__name_en",
            "area__longitude", "area__latitude", "area_id",
        ).order_by("province__slug", "area__slug")
    ))


# Articles ------------------------------------------------------------------------------------------------

def articles_with_metrics(scope: Scope, limit: int = 20) -> list[Article]:
    """The newest aid articles holding a non-rejected metric of the scope (a donor's or an area's)."""
    metrics = scope_queryset(scope).filter(article=OuterRef("pk"))
    return cached(f"scope-articles:{key_digest([scope.filters(), limit])}", lambda: list(
        Article.objects.about_aid().filter(Exists(metrics)).select_related("source_file")
        .order_by(F("published").desc(nulls_last=True), "-id")[:limit]
    ))


def article_for_reader(article_id: int) -> Article | None:
    if not 0 < article_id < 2**63:
        return None
    return Article.objects.select_related("source_file", "duplicate_of").filter(pk=article_id).first()


def reader_paragraphs(article: Article) -> list[Paragraph]:
    """The article's paragraphs, each with `shown_metrics`: its figures in order of position."""
    paragraphs = list(article.paragraphs.order_by("position"))
    metrics = list(
        article.metrics.select_related("duplicate_of__article", "province", "area").order_by("paragraph_id", "start")
    )
    by_paragraph = {}
    for metric in metrics:
        by_paragraph.setdefault(metric.paragraph_id, []).append(metric)
    for paragraph in paragraphs:
        paragraph.shown_metrics = by_paragraph.get(paragraph.pk, [])
    return paragraphs


def other_sources(article: Article) -> list[dict]:
    """Articles reporting the same figures as this one, or copying it, with how many figures they share."""
    shared = {}
    # One query, two indexed look-ups joined by UNION (an OR across both joins scanned every figure): the
    # figures that duplicate one of this article's figures, and the figures this article's figures duplicate.
    own = Metric.objects.filter(article=article)
    elsewhere = Metric.objects.exclude(article=article).order_by()
    copies = elsewhere.filter(duplicate_of__in=own.values("pk"))
    originals = elsewhere.filter(pk__in=own.filter(duplicate_of__isnull=False).values("duplicate_of_id"))
    pairs = copies.values_list("article_id", "pk").union(originals.values_list("article_id", "pk"))
    for other_id, _metric_id in pairs:
        shared[other_id] = shared.get(other_id, 0) + 1
    copy_ids = set(Article.objects.filter(duplicate_of=article).values_list("pk", flat=True))
    if article.duplicate_of_id:
        copy_ids.add(article.duplicate_of_id)
    ids = (set(shared) | copy_ids) - {article.pk}
    others = Article.objects.filter(pk__in=ids).select_related("source_file").order_by("published", "pk")
    return [
        {
            "article": other,
            "shared_figures": shared.get(other.pk, 0),
            "copy": other.pk == article.duplicate_of_id,
            "copied_by": other.duplicate_of_id == article.pk,
        }
        for other in others
    ]


def metric_rows(metrics):
    """The explorer's rows with what each needs to show, in one query per page; `fulfils`: the earliest plan
    the row delivers (articles/plans.py), or None."""
    plans = Metric.objects.filter(fulfilled_by=OuterRef("pk")).order_by("pk").values("pk")[:1]
    return metrics.select_related("article", "paragraph", "province", "donor_city", "area").annotate(
        fulfils=Subquery(plans))


def explorer_order(metrics):
    """The explorer's order: the one asked for, else newest first by id; ties always broken by id.

    The default is a column of the metric table with an index, so a page is read off the primary key instead
    of sorting every figure (ordering by the article's date and the paragraph's position spanned three tables).
    """
    order = list(metrics.query.order_by)
    if not order:
        return metrics.order_by("-id")
    if not {"id", "-id", "pk", "-pk"} & set(order):
        order.append("-id")
    return metrics.order_by(*order)


class MetricPaginator(Paginator):
    """The explorer's pages: each picks its 50 ids in the index's order first, then joins only those rows.

    A deep page (OFFSET of 200,000) then walks one index instead of joining every row it skips. The number
    of matches is cached per data version under `count_key` (the canonical filters: see `count_key()`), as
    the aggregates are; without one, it is counted each time.
    """

    def __init__(self, metrics, per_page: int, count_key: dict | None):
        super().__init__(metrics, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return self.object_list.count()
        return cached(f"metric-count:{key_digest(self.count_key)}", self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = self.object_list.values("pk")[bottom:top]
        order = self.object_list.query.order_by
        rows = metric_rows(Metric.objects.filter(pk__in=ids).order_by(*order)) if top > bottom else []
        return self._get_page(rows, number, self)


# Filters whose count is never stored: any text or number makes a new one, and each would add a cache key.
UNBOUNDED_FILTERS = {"q", "ids", "value_min", "value_max"}


def count_key(filters: dict) -> dict | None:
    """The explorer's valid, cleaned `filters` as the key of their number of matches, or None: not stored.

    Only canonical filters have a key: the sort left out, every value from a closed set (choices, yes/no,
    whole years, the donors, areas and unit families the data has), so that made-up names and free text
    cannot grow the cache.
    """
    key = {name: value for name, value in filters.items() if name != "o" and value not in (None, "", [])}
    if key.keys() & UNBOUNDED_FILTERS:
        return None
    if not set(key.get("province", [])) <= {p.slug for p in donor_provinces()}:
        return None
    if "area" in key and area_by_slug(key["area"]) is None:
        return None
    if "unit_family" in key and key["unit_family"] not in unit_families():
        return None
    for name in ("year_min", "year_max"):
        if name in key:
            if key[name] != int(key[name]):
                return None
            key[name] = int(key[name])
    return clean_scope(key)


def filter_options() -> dict:
    """The choices of the filter forms that come from the data: donors, areas, publishers, years."""

    def compute():
        years = Metric.objects.not_rejected().aggregate(first=Min("year_end"), last=Max("year_end"))
        publishers = list(
            Article.objects.about_aid().exclude(publisher="").values_list("publisher", flat=True)
            .distinct().order_by("publisher")[:200]
        )
        return {"years": years, "publishers": publishers}

    options = cached("filter-options", compute)
    return {**options, "provinces": donor_provinces(), "areas": area_options()}


def unit_families() -> list[str]:
    """The unit families of the figures (yuan, people, projects…)."""
    return cached("unit-families", lambda: list(
        Metric.objects.order_by("unit_family").values_list("unit_family", flat=True).distinct()
    ))


def area_options() -> list[dict]:
    """Areas in tree order with their depth, for a select list."""
    tree = area_tree()
    order = []

    def walk(area_id, depth):
        order.append({**tree[area_id], "depth": depth, "indent": "\u00a0\u00a0" * depth})
        for child in sorted(tree[area_id]["children"], key=lambda c: tree[c]["slug"]):
            walk(child, depth + 1)

    for root in sorted((a for a in tree.values() if a["parent_id"] not in tree), key=lambda a: a["slug"]):
        walk(root["id"], 0)
    return order


def scope_metrics(scope: Scope, limit: int = 20) -> list[Metric]:
    """The newest non-rejected metrics of a scope (a donor's or an area's), for a short list on its page."""
    metrics = metric_rows(scope_queryset(scope)).order_by(F("year_end").desc(nulls_last=True), "-id")
    return cached(f"scope-metrics:{key_digest([scope.filters(), limit])}", lambda: list(metrics[:limit]))


def held_count(scope: Scope) -> int:
    """How many of a scope's figures are held for review, and so left out of its totals.

    Of every stage: a held figure is in no stage's totals until a curator verifies it, and a curator should
    hear of it whichever stage the page shows.
    """
    scope = scope.narrowed(stage=None)
    held = scope_queryset(scope).filter(pk__in=Metric.objects.held().values("pk"))
    return cached(f"held:{key_digest(scope.filters())}", held.count)


def scope_queryset(scope: Scope):
    """The non-rejected metrics of a scope, with its donor and area given as ids (from the cached gazetteer).

    The explorer's filters reach them through joins and a subquery; with plain ids the database walks the
    indexes `metric_province_latest` and `(area, kind)` (a donor's newest figures; docs/benchmarks.md).
    """
    filters = scope.filters()
    provinces, area_slug = filters.pop("province", None), filters.pop("area", None)
    metrics = MetricFilterSet(filters, queryset=Metric.objects.all()).qs
    if provinces:
        metrics = metrics.filter(province_id__in=[p.pk for p in donor_provinces() if p.slug in provinces])
    if area_slug:
        area = area_by_slug(area_slug)
        metrics = metrics.filter(area_id__in=subtree_ids(area["id"]) if area else [])
    return metrics


def article_list_queryset():
    """Articles with their file and the number of their non-rejected figures."""
    return Article.objects.select_related("source_file").annotate(figures=figure_count()).order_by(
        F("published").desc(nulls_last=True), "-id"
    )
