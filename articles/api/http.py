"""What every API address answers to: reads only (GET, HEAD, OPTIONS), open to scripts on any site (CORS).

A wrapper around each view rather than django-cors-headers: that middleware adds its header to a POST's answer
as well (its method list shapes only the preflight), and here the whole policy is "GET from anywhere".
"""

import json
from functools import wraps

from django.http import HttpResponse

READ_METHODS = "GET, HEAD, OPTIONS"
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Last-Modified"}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": READ_METHODS,
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def read_only(view):
    """Answer OPTIONS (preflight) and HEAD here, refuse writes with a JSON 405, and open GET answers to every origin."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return _with(HttpResponse(status=204), {**PREFLIGHT_HEADERS, "Allow": READ_METHODS})
        if request.method not in ("GET", "HEAD"):
            body = json.dumps({"detail": f"The API only reads: use GET, not {request.method[:20]}."})
            response = HttpResponse(body, status=405, content_type="application/json")
            return _with(response, {"Allow": READ_METHODS})
        head = request.method == "HEAD"
        if head:
            request.method = "GET"  # the operations are declared for GET; a HEAD gets the same headers
        response = view(request, *args, **kwargs)
        if head and response.content:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return _with(response, CORS_HEADERS)

    return wrapper


def _with(response, headers: dict):
    for name, value in headers.items():
        response[name] = value
    return response
