"""Site-wide request and response rules: only the site's own scripts run; no NUL character reaches a view; a
503 while the database is down."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseBadRequest
from django.shortcuts import render

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 30

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Plotly sets inline styles on the elements it draws.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A database that is down, restarting or dropped the connection answers 503 with Retry-After: a fault that
    passes, said as one, instead of a 500 that reads like a bug in the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable for %s: %r", request.path, exception, exc_info=exception)
        response = render(request, "503.html", status=503)  # the template reads nothing from the database
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class RefuseNulMiddleware:
    """Refuse (400) a request with a NUL character in its path, query string or form fields.

    No page has a use for one, and PostgreSQL refuses it in any text it is given: a filter or search
    term holding %00 would otherwise fail deep inside a query (500), in our views and Django's admin alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = nul_field(request)
        if field is not None:
            return HttpResponseBadRequest(
                f"The {field} contains a NUL character (%00), which no page accepts: remove it.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def nul_field(request) -> str | None:
    """Where the request carries a NUL character ("path", "parameter 'q'"), or None."""
    if "\x00" in request.path_info:
        return "path"
    for name, data in (("parameter", request.GET), ("form field", request.POST)):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return f"{name} {key.replace(chr(0), '%00')[:40]!r}"
    return None
