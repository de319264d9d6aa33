"""Keep cached pages honest: any change to the data bumps the data version."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .cache import bump_data_version
from .models import Article, Metric, Pairing, Paragraph, Province, RecipientArea

WATCHED = (Article, Metric, Pairing, Paragraph, Province, RecipientArea)


@receiver(post_save)
@receiver(post_delete)
def invalidate_cached_pages(sender, **kwargs):
    if sender in WATCHED and not kwargs.get("raw"):
        bump_data_version()
