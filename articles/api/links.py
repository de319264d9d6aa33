"""Absolute links in API records: from the SITE_URL setting, else the host the request was made to."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# Reversed once with this stand-in key, which is then replaced per row: reverse() per row would cost more than
# the rest of a 1,000-row page.
_MARK = "987654321"


def site_root(request) -> str:
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def absolute(request, path: str) -> str:
    return site_root(request) + path


def link_pattern(request, name: str) -> str:
    """The absolute URL of the page `name` with `{}` where its one argument (id or slug) goes."""
    return absolute(request, reverse(name, args=[_MARK]).replace(_MARK, "{}"))


def metric_link_pattern(request) -> str:
    """A figure's permalink: its own page once it exists, until then the explorer showing just that figure."""
    try:
        return link_pattern(request, "articles:metric")
    except NoReverseMatch:
        return absolute(request, reverse("articles:metrics") + "?ids={}")
