"""The curation desk: the admin for metrics (review queue, bulk actions, merges), articles and the gazetteer."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import accounts, content, gazetteer, lockouts, metrics  # noqa: F401  (register the model admins)

admin.site.site_header = _("aidmap curation desk")
admin.site.site_title = _("aidmap curation")
admin.site.index_title = _("Review figures, articles and the gazetteer")
