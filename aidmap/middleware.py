"""Site-wide request and response rules: only the site's own scripts run; no NUL character reaches a view."""

from django.http import HttpResponseBadRequest

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
