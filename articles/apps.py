"""The articles app: imported news, their paragraphs and the aid figures found in them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Aid articles and figures")

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the system checks, connects cache invalidation)
