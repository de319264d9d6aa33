"""Conditional requests: an answer's ETag and Last-Modified follow the data version the page cache keys on
(articles/cache.py), so a client that asks again after no import or curation gets a 304 without a query.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from ..cache import data_version

# Every answer may be kept by any cache, but checked before each use: a curator's change shows at once.
CACHE_CONTROL = "public, no-cache"
# How long the time a data version was first served is kept; a version lives until the next import or curation.
STAMP_TIMEOUT = 7 * 24 * 3600


def revalidated(run):
    """Wrap an API operation: 304 when the client holds this data version's answer, else validators on a 200.

    The version counter alone would repeat after the cache is emptied (it starts again at 1), so the ETag also
    holds the time the version was first served, to the microsecond (to the second, it is the Last-Modified).
    That time is stored only after a 200: a refused request writes nothing to the shared cache.
    """

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        version = data_version()
        key = f"aidmap:{version}:api-last-modified"
        stamp = cache.get(key)
        if stamp is not None:
            answer = get_conditional_response(request, etag=_etag(version, stamp), last_modified=int(stamp))
            if answer is not None:
                return _validated(answer, version, stamp)
        response = run(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if stamp is None:
            cache.add(key, time.time(), STAMP_TIMEOUT)
            stamp = cache.get(key) or time.time()
        return _validated(response, version, stamp)

    return wrapper


def _etag(version: int, stamp: float) -> str:
    return f'"{version}-{stamp:.6f}"'


def _validated(response, version: int, stamp: float):
    response["ETag"] = _etag(version, stamp)
    response["Last-Modified"] = http_date(int(stamp))
    response["Cache-Control"] = CACHE_CONTROL
    return response
