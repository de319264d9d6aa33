"""A curator's decisions on the review screen: verify, reject, edit and undo, each saved with who and when.

The rules are the admin's (articles/curation.py): a save is refused when someone else saved the figure after
the page showed it (edit_conflict), an edit that changes the fact marks the figure edited (status_after_edit),
and every save keeps its history record (django-simple-history) with the curator and a reason starting
"review:", which undo looks for.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import curation
from ..choices import Status
from ..models import Metric
from . import claims
from .forms import ReviewEditForm

REASON_PREFIX = "review: "
UNDO_REASON = REASON_PREFIX + "undo"
# What undo puts back: the decision and every fact an edit may have changed.
RESTORED_FIELDS = ("status", *sorted(Metric._meta.get_field(name).attname for name in curation.FACT_FIELDS))


class DecisionRefused(Exception):
    """A decision that was not saved; the message says why and what to do. `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.status = status


def _check_claim(metric_id: int, user) -> None:
    other = claims.holder(metric_id, user)
    if other is not None:
        raise DecisionRefused(_("%(user)s is reviewing figure #%(pk)s right now; it was left as it is.") % {
            "user": other.get_username(), "pk": metric_id})


def _check_seen(metric_id: int, seen_text: str) -> None:
    seen = curation.parse_seen(seen_text)
    if seen is None:
        raise DecisionRefused(_("seen: the page sent no valid time the figure was shown; reload the page."), 400)
    conflict = curation.edit_conflict(metric_id, seen)
    if conflict:
        raise DecisionRefused(str(conflict))


def _save(metric: Metric, user, reason: str, fields) -> Metric:
    metric._history_user = user
    metric._change_reason = REASON_PREFIX + reason
    metric.save(update_fields=[*fields, "updated_at"])
    return metric


def decide(metric: Metric, status: str, user, seen_text: str) -> Metric:
    """Verify or reject the figure as the page showed it."""
    if status not in (Status.VERIFIED, Status.REJECTED):
        raise DecisionRefused(f"status: {status!r} is not a review decision", 400)
    with transaction.atomic():
        _check_claim(metric.pk, user)
        _check_seen(metric.pk, seen_text)
        metric.refresh_from_db()
        metric.status = status
        return _save(metric, user, status, ["status"])


def edit(metric: Metric, data, user) -> tuple[Metric | None, dict]:
    """Save the small edit form: the admin form's validation and conflict check; (figure, {}) or (None, errors)."""
    with transaction.atomic():
        _check_claim(metric.pk, user)
        form = ReviewEditForm(data, instance=metric)
        if not form.is_valid():
            return None, form.errors.get_json_data()
        changed = form.changed_facts()
        edited = form.save(commit=False)
        edited.status = curation.status_after_edit(
            form.initial["status"], form.initial["status"], bool(curation.FACT_FIELDS & set(changed))
        )
        return _save(edited, user, "edit", [*changed, "status"]), {}


def undo(metric: Metric, user, seen_text: str) -> Metric:
    """Put back the figure as it was before this curator's last review decision on it."""
    with transaction.atomic():
        _check_claim(metric.pk, user)
        _check_seen(metric.pk, seen_text)
        latest, before = (list(metric.history.order_by("-history_date", "-history_id")[:2]) + [None, None])[:2]
        decided_here = (
            latest is not None and latest.history_user_id == user.pk
            and (latest.history_change_reason or "").startswith(REASON_PREFIX)
            and latest.history_change_reason != UNDO_REASON
        )
        if not decided_here or before is None:
            raise DecisionRefused(_("Figure #%(pk)s has no decision of yours from the review screen to undo.") % {
                "pk": metric.pk})
        metric.refresh_from_db()
        for name in RESTORED_FIELDS:
            setattr(metric, name, getattr(before, name))
        return _save(metric, user, "undo", list(RESTORED_FIELDS))
