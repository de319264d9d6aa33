"""Plans and their delivery: a planned or committed figure linked to the later achieved figure that reports it done.

Issue 12: a figure that moves from planned to achieved in a later article is counted once, as the achieved one;
the plan stays, shown as its plan (Metric.fulfilled_by; counted() leaves it out). The loader calls link_plans()
once per import run that wrote a file. Conservative: a link only where donor, area, kind, unit family and
period all agree and are known, the delivery was published later, and its value is close. A curator's link or
unlink (articles/curation.py) makes both figures curated, and this module leaves curated figures alone.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Abs
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .choices import Stage
from .models import Metric

PLAN_STAGES = (Stage.PLANNED, Stage.COMMITTED)
# A delivery is within this many percent of its plan's value. Reports round (近5亿元 for 4.8亿) and budgets move
# a little between plan and delivery; a wider band would take another project of the same donor, area and year
# for this one's delivery (issue 12: when in doubt, no link).
CLOSE_PERCENT = 10
# What a plan and its delivery agree on, all of it known: a missing donor, area or year links nothing.
SAME = ("province", "area", "kind", "unit_family", "year_start", "year_end")


def link_plans() -> int:
    """Link each plan no curator decided on to its delivery; release links that no longer hold. Returns how
    many plans changed.

    One statement finds, for every such plan, whether its present link still holds and the best delivery
    (nearest in value, then the earliest published). A link that still holds is kept even when a nearer
    delivery appears: a plan once linked stays with its delivery.
    """
    nearest = _deliveries(depth=2).order_by().annotate(
        least=models.Func(F("gap"), function="MIN", output_field=models.DecimalField()),
    ).values("least")
    # SQLite refuses a reference to the outer row in a subquery's ORDER BY: the nearest gap is found first.
    best = _deliveries().filter(gap=Subquery(nearest)).order_by("article__published", "pk").values("pk")[:1]
    candidates = _plans().order_by().annotate(
        still_holds=Exists(_deliveries().filter(pk=OuterRef("fulfilled_by"))),
        best=Subquery(best, output_field=models.BigIntegerField()),
    )
    changes = {}
    for pk, current, still_holds, best in candidates.values_list("pk", "fulfilled_by_id", "still_holds", "best"):
        wanted = current if current is not None and still_holds else best
        if wanted != current:
            changes[pk] = wanted
    _write(changes)
    return len(changes)


def _plans():
    """Planned and committed figures that only the extractor has decided on and that would be counted.

    The conditions of MetricQuerySet.counted() but the link itself, which is what is being decided; an
    uncurated figure is neither rejected nor verified, so held means a hold reason.
    """
    known = {f"{name}__isnull": False for name in SAME}
    return Metric.objects.uncurated().filter(
        stage__in=PLAN_STAGES, duplicate_of__isnull=True, article__is_aid=True, stale=False, hold_reason="",
        article__published__isnull=False, **known,
    )


def _deliveries(depth: int = 1):
    """Counted achieved figures that may deliver the plan of the query `depth` levels out, with `gap`, their
    distance in value."""

    def outer(name):
        ref = name
        for _ in range(depth):
            ref = OuterRef(ref)
        return ref

    same = {name: outer(name) for name in SAME}
    distance = Abs(F("value") - outer("value"))
    # Compared as |A - P| * 100 <= P * CLOSE_PERCENT: whole-number factors keep the boundary exact.
    return (
        Metric.objects.counted()
        .filter(stage=Stage.ACHIEVED, article__published__gt=outer("article__published"), **same)
        .annotate(
            gap=models.ExpressionWrapper(distance, output_field=models.DecimalField()),
            gap_percent=models.ExpressionWrapper(distance * Value(Decimal(100)), output_field=models.DecimalField()),
            allowed=models.ExpressionWrapper(outer("value") * Value(Decimal(CLOSE_PERCENT)),
                                             output_field=models.DecimalField()),
        )
        .filter(gap_percent__lte=F("allowed"))
    )


def _write(changes: dict[int, int | None]) -> None:
    """Store the new links, with a history row each and a new updated_at (a curator's open form then sees it)."""
    if not changes:
        return
    rows = list(Metric.objects.filter(pk__in=changes))
    now = timezone.now()
    for metric in rows:
        metric.fulfilled_by_id, metric.updated_at = changes[metric.pk], now
    reasons = {True: "import: linked to the later figure that delivers it",
               False: "import: its delivery no longer matches"}
    for linked, reason in reasons.items():
        batch = [m for m in rows if (m.fulfilled_by_id is not None) == linked]
        bulk_update_with_history(
            batch, Metric, ["fulfilled_by", "updated_at"], default_change_reason=reason, default_date=now,
            batch_size=500,
        )
