"""Short claims on figures: while a curator has a figure on the review screen, no one else is given it.

A claim is one ReviewClaim row per figure (unique), so taking one is a single UPDATE of an expired or own row,
or else an INSERT that the unique constraint refuses when someone holds it: atomic on SQLite and PostgreSQL
alike, with no read-then-write race.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ReviewClaim

# How long a claim lasts; the page renews it while the figure is shown.
CLAIM_SECONDS = 120


def take(metric_id: int, user) -> bool:
    """Claim (or renew) the figure for `user`; False when someone else holds an unexpired claim on it."""
    now = timezone.now()
    expires = now + timedelta(seconds=CLAIM_SECONDS)
    taken = ReviewClaim.objects.filter(metric_id=metric_id).filter(Q(user=user) | Q(expires_at__lte=now))
    if taken.update(user=user, expires_at=expires):
        return True
    try:
        with transaction.atomic():
            ReviewClaim.objects.create(metric_id=metric_id, user=user, expires_at=expires)
    except IntegrityError:
        return False  # someone holds it (their row exists and is neither ours nor expired)
    return True


def holder(metric_id: int, user):
    """The other user holding an unexpired claim on the figure, or None."""
    claim = (
        ReviewClaim.objects.filter(metric_id=metric_id, expires_at__gt=timezone.now()).exclude(user=user)
        .select_related("user").first()
    )
    return claim.user if claim else None


def release(metric_id: int, user) -> None:
    ReviewClaim.objects.filter(metric_id=metric_id, user=user).delete()


def prune() -> int:
    """Delete expired claims (they are harmless, only taking room); return how many."""
    return ReviewClaim.objects.filter(expires_at__lte=timezone.now()).delete()[0]
