"""The second review's queues and decisions: who verified a figure, which figures wait for a second curator or a
third look, and recording each round (the third look's decision goes through articles/curation.py)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import curated_source, curation
from ..choices import Status
from ..models import Metric, Province, RecipientArea
from .models import CODED_FIELDS, FigureReview, Round, attname, codes_of

CHECKED = {Status.VERIFIED, Status.EDITED}


class ReviewError(ValueError):
    """A review that cannot be recorded; the message says why."""


def enabled() -> bool:
    return settings.AIDMAP_SECOND_REVIEW


@dataclass(frozen=True)
class Verification:
    """Who made a figure verified (or edited) and when, read from its history; `user_id` None when unknown."""

    user_id: int | None
    at: datetime


def verifications(metric_ids) -> dict[int, Verification]:
    """For each figure, the curator who checked it: the first history record of its latest run of checked
    statuses (a figure un-verified and verified again was checked by whoever did it the second time)."""
    records = (
        Metric.history.filter(id__in=list(metric_ids)).order_by("id", "history_date", "history_id")
        .values_list("id", "status", "history_user_id", "history_date")
    )
    found: dict[int, Verification | None] = {}
    for metric_id, status, user_id, at in records:
        current = found.get(metric_id)
        if status not in CHECKED:
            found[metric_id] = None
        elif current is None:
            found[metric_id] = Verification(user_id, at)
        elif current.user_id is None and user_id is not None:
            found[metric_id] = Verification(user_id, current.at)
    return {metric_id: v for metric_id, v in found.items() if v is not None}


def proposal(metric: Metric) -> dict | None:
    """What the extractor reads at the figure's span, run again on its article's stored paragraphs, donor and area
    as ids; None where it reads nothing there (a figure a curator added, or rules changed since).

    Not the figure's first history row: an import writes none for a figure (articles/rows.py), so that row may
    already hold the first curator's choices, which the second curator must not see.
    """
    position = metric.paragraph.position
    _, readings = next(curated_source.readings([metric.article_id]))
    reading = next((r for r in readings if r.paragraph == position and r.start < metric.end and metric.start < r.end),
                   None)
    if reading is None:
        return None
    codes = {name: reading.values[name] for name in CODED_FIELDS}
    codes["province"] = Province.objects.filter(slug=codes["province"]).values_list("pk", flat=True).first()
    codes["area"] = RecipientArea.objects.filter(slug=codes["area"]).values_list("pk", flat=True).first()
    return codes


# Queues ------------------------------------------------------------------------------------------------------

def _reviewed(round_: int):
    return Exists(FigureReview.objects.filter(metric=OuterRef("pk"), round=round_))


def awaiting_second(user, limit: int = 50) -> list[Metric]:
    """Checked figures no second curator has coded yet and that `user` did not check (as far as their history
    says): lowest confidence first."""
    candidates = (
        Metric.objects.verified().filter(stale=False).exclude(_reviewed(Round.SECOND))
        .select_related("article", "paragraph").order_by("confidence", "pk")
    )
    chosen = []
    # Read in pages: a curator's own verifications are skipped, and they may fill a page.
    for offset in range(0, 10 * limit, limit):
        page = list(candidates[offset:offset + limit])
        checked_by = verifications(m.pk for m in page)
        chosen += [m for m in page if m.pk not in checked_by or checked_by[m.pk].user_id != user.pk]
        if len(chosen) >= limit or len(page) < limit:
            break
    return chosen[:limit]


def second_review_count() -> int:
    """Checked figures without a second coding (anyone's)."""
    return Metric.objects.verified().filter(stale=False).exclude(_reviewed(Round.SECOND)).count()


def rounds(metric_ids) -> dict[int, dict[int, FigureReview]]:
    """metric id → round → its review."""
    found: dict[int, dict[int, FigureReview]] = {}
    for review in FigureReview.objects.filter(metric_id__in=list(metric_ids)).select_related(
            "reviewer", "province", "area"):
        found.setdefault(review.metric_id, {})[review.round] = review
    return found


def disagreements() -> list[int]:
    """Ids of the figures whose first and second codings differ and that no third look has decided yet."""
    return list(
        FigureReview.objects.filter(round=Round.SECOND).exclude(differs_on="")
        .exclude(Exists(FigureReview.objects.filter(metric=OuterRef("metric"), round=Round.THIRD)))
        .order_by("metric_id").values_list("metric_id", flat=True)
    )


def differing(first, second) -> list[str]:
    """The coded fields on which two codings (reviews or figures) differ."""
    a, b = codes_of(first), codes_of(second)
    return [name for name in CODED_FIELDS if a[name] != b[name]]


def double_coded():
    """Every figure coded in both round 1 and round 2, with its reviews: what agreement is measured on."""
    ids = FigureReview.objects.filter(round=Round.SECOND).values_list("metric_id", flat=True)
    return rounds(ids)


# Decisions ---------------------------------------------------------------------------------------------------

def record_second(metric: Metric, user, codes: dict) -> FigureReview:
    """Record `user`'s blind coding of a checked figure, with the first curator's as it stands (round 1).

    Returns the round-2 review; the caller tells agreement from `differing`. Raises ReviewError when the mode is
    off, the figure is not checked, `user` checked it, or another curator coded it first.
    """
    if not enabled():
        raise ReviewError(_("Second review is off (AIDMAP_SECOND_REVIEW)."))
    if metric.status not in CHECKED:
        raise ReviewError(_("Figure #%(pk)s is not verified: only verified figures get a second review.")
                          % {"pk": metric.pk})
    # Without a verification in its history (set by a query, not by a curator's save), whoever checked it is
    # unknown: any curator may review it.
    checked = verifications([metric.pk]).get(metric.pk) or Verification(None, metric.updated_at)
    if checked.user_id == user.pk:
        raise ReviewError(_("You verified figure #%(pk)s yourself: a second curator has to review it.")
                          % {"pk": metric.pk})
    now = timezone.now()
    try:
        with transaction.atomic():
            first = FigureReview.objects.create(metric=metric, reviewer_id=checked.user_id, round=Round.FIRST,
                                                decided_at=checked.at, **_columns(codes_of(metric)))
            second = FigureReview(metric=metric, reviewer=user, round=Round.SECOND, decided_at=now, **_columns(codes))
            second.differs_on = ",".join(differing(first, second))
            second.save()
            return second
    except IntegrityError:
        raise ReviewError(_("Another curator reviewed figure #%(pk)s a moment ago.") % {"pk": metric.pk}) from None


def record_third(metric: Metric, user, codes: dict) -> FigureReview:
    """Record the third look's decision and apply it to the figure through curation.update_metrics (history, the
    edited rule, re-imports keep it). Raises ReviewError unless the figure waits for a third look and `user` is
    neither of its first two curators."""
    if not enabled():
        raise ReviewError(_("Second review is off (AIDMAP_SECOND_REVIEW)."))
    reviews = rounds([metric.pk]).get(metric.pk, {})
    if Round.THIRD in reviews or Round.SECOND not in reviews or not reviews[Round.SECOND].differs_on:
        raise ReviewError(_("Figure #%(pk)s is not waiting for a third look.") % {"pk": metric.pk})
    if user.pk in {reviews[Round.FIRST].reviewer_id, reviews[Round.SECOND].reviewer_id}:
        raise ReviewError(_("You coded figure #%(pk)s already: a third curator decides.") % {"pk": metric.pk})
    changes = _columns(codes, ids=True)
    if metric.donor_city_id and metric.donor_city.parent_id != changes["province"]:
        changes["donor_city"] = None
    try:
        with transaction.atomic():
            review = FigureReview.objects.create(metric=metric, reviewer=user, round=Round.THIRD,
                                                 decided_at=timezone.now(), **_columns(codes))
            curation.update_metrics(Metric.objects.filter(pk=metric.pk), changes, user=user, reason="third look")
    except IntegrityError:
        raise ReviewError(_("Another curator decided figure #%(pk)s a moment ago.") % {"pk": metric.pk}) from None
    return review


def _columns(codes: dict, ids: bool = False) -> dict:
    """Coded values (donor and area as ids) as FigureReview's columns, or as Metric field names for update_metrics."""
    return {(name if ids else attname(name)): codes[name] for name in CODED_FIELDS}
