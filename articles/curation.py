"""Curators' decisions on metrics: locating a figure they add, the edited rule, merges and bulk changes."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from . import figure_fields
from .cache import bump_data_version
from .choices import Origin, Status
from .models import Metric, Paragraph
from .text.find import find_all
from .text.numbers import Quantity, parse_quantity
from .text.sentences import sentence_around

# Fields that state the fact itself; changing one of them turns an extracted or verified figure into an edited one.
FACT_FIELDS = figure_fields.FACT_FIELDS

# Article fields a curator may correct; a re-import keeps the ones they changed (Article.curated_fields).
ARTICLE_FIELDS = ("title", "title_original", "publisher", "published", "dateline", "byline", "is_aid", "duplicate_of")

# Higher ranks win the canonical place in a merge.
STATUS_RANK = {Status.VERIFIED: 3, Status.EDITED: 2, Status.EXTRACTED: 1, Status.REJECTED: 0}

# Characters that make a match part of a longer number: "3亿" inside "13亿" is not the figure "3亿".
_NUMBER_BEFORE = set("0123456789０１２３４５６７８９.．,零〇一二两三四五六七八九十百千万亿点")
_DIGITS = set("0123456789０１２３４５６７８９")

STATUS_RULE_HELP = _(
    "Changing the figure (number, value, unit, approximation, kind, sector, stage, donor, area or period) "
    "sets the status to “edited”, unless you set the status to “verified” or “rejected” yourself in the "
    "same save: your choice then stands. A rejected figure stays rejected when you edit it, until you "
    "change its status. Verified and edited figures are kept as they are by every re-import."
)


class CurationError(ValueError):
    """A curator's request that cannot be carried out; the message says why and what to do."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def figure_occurrences(text: str, number_text: str) -> list[int]:
    """Start offsets of `number_text` in `text` where it stands alone, not inside a longer number."""
    return [at for at in find_all(text, number_text) if _stands_alone(text, at, number_text)]


def _stands_alone(text: str, at: int, number_text: str) -> bool:
    end = at + len(number_text)
    inside_before = at > 0 and text[at - 1] in _NUMBER_BEFORE and number_text[0] in _NUMBER_BEFORE
    inside_after = (
        end < len(text) and number_text[-1] in _DIGITS
        and (text[end] in _DIGITS or (text[end] in ".．" and text[end + 1:end + 2] in _DIGITS))
    )
    return not (inside_before or inside_after)


def locate_figure(paragraph: Paragraph, number_text: str, occurrence: int | None = None) -> Span:
    """The span of `number_text` in the paragraph's text; `occurrence` (1 = first) picks one of several.

    Raises CurationError naming the number and the paragraph when it is absent, only part of a longer
    number, or ambiguous without `occurrence`.
    """
    text = paragraph.text
    starts = figure_occurrences(text, number_text)
    if not starts:
        if number_text and number_text in text:
            raise CurationError(
                f"“{number_text}” occurs in paragraph {paragraph} only inside a longer number; "
                "enter the whole number as written."
            )
        raise CurationError(
            f"“{number_text}” does not occur in paragraph {paragraph}; copy the number exactly as the "
            "paragraph text writes it (digits, 万/亿 and unit included)."
        )
    if occurrence is None:
        if len(starts) > 1:
            sentences = "; ".join(
                f"{i}) {sentence_around(text, s, s + len(number_text))}" for i, s in enumerate(starts, 1)
            )
            raise CurationError(
                f"“{number_text}” occurs {len(starts)} times in paragraph {paragraph}: {sentences}. "
                f"Enter which one (1–{len(starts)}) as the occurrence."
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise CurationError(
            f"“{number_text}” occurs {len(starts)} time(s) in paragraph {paragraph}; "
            f"occurrence {occurrence} does not exist."
        )
    start = starts[occurrence - 1]
    return Span(start, start + len(number_text))


def relocate_stale(metric: Metric) -> bool:
    """Point a stale figure at its number in its (possibly newly chosen) paragraph, the occurrence nearest to
    the old span; return whether it was found. A curator's save does this: the figure is counted again."""
    text = metric.paragraph.text
    starts = figure_occurrences(text, metric.number_text)
    if not starts:
        return False
    start = min(starts, key=lambda s: abs(s - metric.start))
    metric.start, metric.end = start, start + len(metric.number_text)
    metric.quote = sentence_around(text, metric.start, metric.end)
    metric.stale = False
    return True


def status_after_edit(current: str, requested: str, fact_changed: bool) -> str:
    """The status a metric gets on save: see STATUS_RULE_HELP, the same rule in words."""
    if requested != current and requested in (Status.VERIFIED, Status.REJECTED):
        return requested
    if not fact_changed:
        return requested
    if current == Status.REJECTED and requested == Status.REJECTED:
        return Status.REJECTED
    return Status.EDITED


def new_curator_metric(paragraph: Paragraph, span: Span, **facts) -> Metric:
    """An unsaved metric a curator adds: span and quote as the extractor would store them, verified."""
    return Metric(
        article_id=paragraph.article_id,
        paragraph=paragraph,
        start=span.start,
        end=span.end,
        quote=sentence_around(paragraph.text, span.start, span.end),
        origin=Origin.CURATOR,
        status=Status.VERIFIED,
        confidence=1.0,
        **facts,
    )


def read_quantity(number_text: str) -> Quantity | None:
    """The parsed quantity of a number as written, or None when it cannot be read."""
    return parse_quantity(number_text)


def as_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def mark_article_fields(article, changed: Iterable[str]) -> None:
    """Record that a curator set these fields of the article (unsaved): re-imports leave them alone."""
    curated = set(article.curated_fields) | (set(changed) & set(ARTICLE_FIELDS))
    article.curated_fields = [name for name in ARTICLE_FIELDS if name in curated]


# --- concurrent edits ----------------------------------------------------------------------------------------

# Fields a change report leaves out: bookkeeping, not the figure.
UNREPORTED_FIELDS = ["updated_at", "created_at", "extraction_key"]


def parse_seen(value: str | None) -> datetime | None:
    """The `updated_at` a curator's page was built from (ISO 8601, as forms carry it), or None."""
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def edit_conflict(metric_id: int, seen: datetime) -> str | None:
    """What changed in the figure since the curator loaded it at `seen` (its updated_at then), or None if nothing.

    Inside a transaction the row is locked until it ends (PostgreSQL), so no save slips in between this check
    and the curator's own save.
    """
    rows = Metric.objects.filter(pk=metric_id)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    current = rows.values_list("updated_at", flat=True).first()
    if current is None or current == seen:
        return None
    changes = "; ".join(describe_changes_since(metric_id, seen)) or _("changed by an import (no field history)")
    return _(
        "Someone else saved figure #%(pk)s after you opened it, so your changes were not saved, to keep theirs: "
        "%(changes)s. Reload the page to see the figure as it is now, then make your change again."
    ) % {"pk": metric_id, "changes": changes}


def describe_changes_since(metric_id: int, seen: datetime) -> list[str]:
    """“who at when: field old → new” for each saved version of the figure newer than `seen`."""
    history = Metric.history.filter(id=metric_id).select_related("history_user").order_by("history_date", "history_id")
    older = history.filter(updated_at__lte=seen).last()
    lines = []
    for record in history.filter(updated_at__gt=seen):
        if older is not None:
            delta = record.diff_against(older, excluded_fields=UNREPORTED_FIELDS)
            fields = ", ".join(
                f"{Metric._meta.get_field(c.field).verbose_name}: {c.old} → {c.new}" for c in delta.changes
            )
        else:
            fields = str(_("created"))
        who = record.history_user or _("an import or script")
        lines.append(f"{who} at {record.history_date:%Y-%m-%d %H:%M:%S}: {fields or _('no field changed')}")
        older = record
    return lines


def not_changed_since(metrics, seen: datetime | None):
    """The metrics no one saved after `seen` (all of them when the page gave no time)."""
    return metrics if seen is None else metrics.filter(updated_at__lte=seen)


# --- bulk changes -----------------------------------------------------------------------------------------

UPDATE_CHUNK = 1000


def update_metrics(metrics, changes: dict, user=None, reason: str = "") -> int:
    """Set `changes` (field name → value or pk) on each metric that differs, with history; return how many.

    The status follows status_after_edit: "status" in `changes` is the curator's explicit decision, a fact
    field changed marks the row edited. Rows are written in chunks with bulk_update_with_history, which
    skips signals, so the cached pages are invalidated here.
    """
    attnames = {name: _attname(name) for name in changes}
    fields = sorted({*attnames.values(), "status", "updated_at"})
    now = timezone.now()
    total = 0
    with transaction.atomic():
        for chunk in _chunks(metrics, UPDATE_CHUNK):
            changed = []
            for metric in chunk:
                differing = {name for name, value in changes.items() if getattr(metric, attnames[name]) != value}
                if not differing:
                    continue
                current = metric.status
                for name in differing:
                    setattr(metric, attnames[name], changes[name])
                metric.status = status_after_edit(
                    current, changes.get("status", current), bool(differing & FACT_FIELDS)
                )
                metric.updated_at = now
                changed.append(metric)
            if changed:
                bulk_update_with_history(
                    changed, Metric, fields, default_user=user, default_change_reason=reason,
                    default_date=now,
                )
                total += len(changed)
    if total:
        bump_data_version()
    return total


def _chunks(queryset, size: int) -> Iterable[list[Metric]]:
    """Lists of at most `size` rows in primary-key order, re-queried per chunk so memory stays flat."""
    queryset = queryset.order_by("pk")
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _attname(name: str) -> str:
    """The column a field name stores: "province" → "province_id"."""
    return Metric._meta.get_field(name).attname


def set_status(metrics, status: str, user=None) -> int:
    """Verify or reject: rows already at `status` are left alone; verify leaves edited rows (already checked)."""
    if status == Status.VERIFIED:
        metrics = metrics.exclude(status=Status.EDITED)
    return update_metrics(metrics, {"status": status}, user=user, reason=f"bulk: {status}")


def set_province(metrics, province, user=None) -> int:
    """Set the donor; a donor city that is not under the new province is cleared."""
    province_id = province.pk if province else None
    count = update_metrics(
        metrics.exclude(donor_city__isnull=True).exclude(donor_city__parent_id=province_id),
        {"province": province_id, "donor_city": None}, user=user, reason="bulk: set province",
    )
    return count + update_metrics(metrics, {"province": province_id}, user=user, reason="bulk: set province")


# --- merges -------------------------------------------------------------------------------------------------


def root_of(metric: Metric) -> Metric:
    """The canonical metric of the fact `metric` reports (itself when it is no duplicate)."""
    seen = {metric.pk}
    while metric.duplicate_of_id is not None:
        if metric.duplicate_of_id in seen:
            raise CurationError(f"Metric #{metric.pk} is part of a duplicate cycle; clear its “duplicate of”.")
        seen.add(metric.duplicate_of_id)
        metric = Metric.objects.select_related("article").get(pk=metric.duplicate_of_id)
    return metric


def canonical_key(metric: Metric):
    """Sort key: the highest status first, then the earliest published article, then the oldest row."""
    published = metric.article.published
    return (-STATUS_RANK.get(metric.status, 0), published is None, published or 0, metric.pk)


def duplicate_target(metric: Metric, target: Metric | None) -> Metric | None:
    """The metric `metric` may point to when a curator says it duplicates `target`: target's root.

    Raises CurationError when that would make a cycle (target is this metric or one of its duplicates).
    """
    if target is None:
        return None
    root = root_of(target)
    if metric.pk is not None and root.pk == metric.pk:
        raise CurationError(
            f"#{target.pk} is this figure or already a duplicate of it; a figure cannot duplicate itself. "
            "Open the other figure to change which one is canonical, or use the merge action."
        )
    return root


def mark_duplicate(metric: Metric, target: Metric | None, user=None) -> list[Metric]:
    """Point `metric` (and the duplicates it had) at `target`'s root, as a curator's merge; save them.

    With target None the metric stands on its own again (still marked as the curator's decision, so a
    re-import does not merge it back). Returns the rows that changed.
    """
    root = duplicate_target(metric, target)
    with transaction.atomic():
        changed = _point(metric, "duplicate_of", root, "merged_by_curator", user)
        changed.extend(keep_root(metric, user))
        changed.extend(repoint_duplicates(metric, user))
    return changed


def keep_root(metric: Metric, user=None) -> list[Metric]:
    """Mark the figure `metric` was merged into as a curator's decision, so that a re-import keeps it."""
    return _mark_decided(metric.duplicate_of_id, "merged_by_curator", user)


def _point(metric: Metric, link: str, target: Metric | None, flag: str, user) -> list[Metric]:
    """Set `metric`'s `link` to `target` as a curator's decision (`flag`); saved only if that changes it."""
    if getattr(metric, f"{link}_id") == (target.pk if target else None) and getattr(metric, flag):
        return []
    setattr(metric, link, target)
    setattr(metric, flag, True)
    _save(metric, user, [link, flag])
    return [metric]


def _mark_decided(metric_id: int | None, flag: str, user) -> list[Metric]:
    """Mark the figure at the other end of a curator's link with `flag`, so that a re-import keeps it too."""
    if metric_id is None:
        return []
    other = Metric.objects.get(pk=metric_id)
    if getattr(other, flag):
        return []
    setattr(other, flag, True)
    _save(other, user, [flag])
    return [other]


def repoint_duplicates(metric: Metric, user=None) -> list[Metric]:
    """When `metric` has become a duplicate, its own duplicates point to its root instead: no chains."""
    if metric.duplicate_of_id is None:
        return []
    children = list(Metric.objects.filter(duplicate_of=metric))
    for child in children:
        child.duplicate_of_id = metric.duplicate_of_id
        child.merged_by_curator = True
        _save(child, user, ["duplicate_of", "merged_by_curator"])
    return children


def merge_metrics(metrics: Iterable[Metric], user=None) -> tuple[Metric, list[Metric]]:
    """Make the given metrics (and the facts they already belong to) one fact; return (canonical, changed).

    The canonical one is chosen by canonical_key among the roots; every other member points straight
    at it, so there is never a chain. Figures in different unit families (money vs people) are refused.
    """
    metrics = list(metrics)
    roots = {}
    for metric in metrics:
        root = root_of(metric)
        roots[root.pk] = root
    members = list(
        Metric.objects.select_related("article")
        .filter(Q(pk__in=roots.keys()) | Q(duplicate_of_id__in=roots.keys()))
        .order_by("pk")
    )
    if len(members) < 2:
        raise CurationError("Select at least two figures that are not already one fact to merge them.")
    families = sorted({m.unit_family for m in members})
    if len(families) > 1:
        raise CurationError(
            f"These figures are in different unit families ({', '.join(families)}), so they cannot be "
            "the same fact; correct the unit first or select figures of one kind."
        )
    canonical = min(roots.values(), key=canonical_key)
    changed = []
    with transaction.atomic():
        # The canonical figure is the curator's decision too: a re-import must keep it, or its duplicates lose it.
        if canonical.duplicate_of_id is not None or not canonical.merged_by_curator:
            canonical.duplicate_of = None  # only set after a broken import; be safe
            canonical.merged_by_curator = True
            _save(canonical, user, ["duplicate_of", "merged_by_curator"])
            changed.append(canonical)
        for member in members:
            if member.pk == canonical.pk:
                continue
            if member.duplicate_of_id == canonical.pk and member.merged_by_curator:
                continue
            member.duplicate_of = canonical
            member.merged_by_curator = True
            _save(member, user, ["duplicate_of", "merged_by_curator"])
            changed.append(member)
    return canonical, changed


def _save(metric: Metric, user, fields: list[str]) -> None:
    """Save with history attributed to `user` (the request's user is used when None, inside the admin)."""
    if user is not None:
        metric._history_user = user
    metric.save(update_fields=[*fields, "updated_at"])


# --- plans and their delivery -------------------------------------------------------------------------------


def plan_target(plan: Metric, delivery: Metric | None) -> Metric | None:
    """The figure a curator may link `plan` to as its delivery (articles/plans.py): any but itself or one that
    already leads back to it, which would make a cycle. Raises CurationError naming the figures."""
    if delivery is None:
        return None
    seen, current = {delivery.pk}, delivery
    while True:
        if plan.pk is not None and current.pk == plan.pk:
            raise CurationError(
                f"#{delivery.pk} is this figure or one that it delivers; a plan cannot be its own delivery. "
                "Enter the id of the later figure that reports this one done."
            )
        if current.fulfilled_by_id is None or current.fulfilled_by_id in seen:
            return delivery
        seen.add(current.fulfilled_by_id)
        current = Metric.objects.get(pk=current.fulfilled_by_id)


def link_plan(plan: Metric, delivery: Metric | None, user=None) -> list[Metric]:
    """Link `plan` to `delivery` (None: the plan stands alone) as a curator's decision; save, return the rows
    that changed. Both figures become curated, so no re-import links, unlinks or deletes them."""
    target = plan_target(plan, delivery)
    with transaction.atomic():
        changed = _point(plan, "fulfilled_by", target, "plan_link_by_curator", user)
        changed.extend(keep_delivery(plan, user))
    return changed


def keep_delivery(plan: Metric, user=None) -> list[Metric]:
    """Mark the figure a curator linked `plan` to as their decision too, so that a re-import keeps it."""
    return _mark_decided(plan.fulfilled_by_id, "plan_link_by_curator", user)


def unlink_plans(metrics, user=None) -> int:
    """Cut the plan links of the given figures both ways: as a plan, and the plans they deliver; return how many
    rows changed. Each row touched is marked as the curator's decision: no re-import links it again."""
    selected = metrics.values("pk")
    rows = Metric.objects.filter(Q(pk__in=selected) | Q(fulfilled_by__in=selected))
    # Read once: the selection may be filtered by updated_at, which each chunk written changes.
    ids = list(rows.exclude(fulfilled_by__isnull=True, plan_link_by_curator=True).values_list("pk", flat=True))
    now = timezone.now()
    total = 0
    with transaction.atomic():
        for at in range(0, len(ids), UPDATE_CHUNK):
            chunk = list(Metric.objects.filter(pk__in=ids[at:at + UPDATE_CHUNK]))
            for metric in chunk:
                metric.fulfilled_by, metric.plan_link_by_curator, metric.updated_at = None, True, now
            bulk_update_with_history(
                chunk, Metric, ["fulfilled_by", "plan_link_by_curator", "updated_at"], default_user=user,
                default_change_reason="unlink plan", default_date=now,
            )
            total += len(chunk)
    if total:
        bump_data_version()
    return total
