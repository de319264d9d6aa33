"""What an anonymous request may store in the shared cache: nothing when it is invalid, and only keys of
canonical, valid parameters otherwise, so that no request can change a page for others or grow the cache."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.cache import data_version
from articles.selectors import count_key
from tests.factories import make_sample_world

pytestmark = pytest.mark.django_db

# Invalid (400) requests, one per page that can refuse its parameters.
INVALID = [
    "/metrics/?o=bogus", "/metrics/?year_min=abc", "/metrics/?kind=bogus", "/metrics/?ids=x",
    "/metrics/?format=csv&o=bogus", "/compare/?province=bad!", "/compare/?kind=bogus", "/articles/?year=abc",
    "/articles/?o=bogus",
]
# Each page with its parameters, each given a value that differs from request to request (`{i}`): unknown
# choices, names that match nothing, free text and numbers.
VARYING = {
    "/": {"map_kind": "kind{i}", "verified": "{i}", "other": "{i}"},
    "/compare/": {"province": "donor-{i}", "unit": "unit{i}", "kind": "kind{i}", "verified": "{i}"},
    "/provinces/jiangsu/": {"kind": "kind{i}", "unit": "unit{i}", "verified": "{i}"},
    "/areas/xinjiang/": {"kind": "kind{i}", "unit": "unit{i}", "verified": "{i}"},
    "/metrics/": {
        "q": "text{i}", "ids": "{i}", "province": "donor-{i}", "area": "area-{i}", "unit_family": "family{i}",
        "value_min": "{i}", "value_max": "1{i}", "o": "order{i}", "kind": "kind{i}", "page": "{i}",
        "verified": "{i}", "counted": "{i}",
    },
    "/articles/": {"q": "text{i}", "province": "donor-{i}", "area": "area-{i}", "publisher": "publisher{i}",
                   "page": "{i}", "o": "order{i}"},
    "/articles/{article}/": {"metric": "{i}", "text": "text{i}", "verified": "{i}"},
}


@pytest.fixture
def world():
    return make_sample_world()


def stored_keys() -> set:
    """Every key in the default cache, with local memory or with Redis."""
    backend = caches["default"]
    if hasattr(backend, "_cache"):
        return set(backend._cache)
    return set(backend.keys("*"))


@pytest.fixture
def cache_writes(monkeypatch):
    """The keys written to the default cache from now on."""
    backend = caches["default"]
    written = []
    for name in ("set", "add", "set_many", "incr", "decr", "touch"):
        original = getattr(backend, name)

        def record(*args, _original=original, _name=name, **kwargs):
            written.append((_name, args[0] if _name != "set_many" else sorted(args[0])))
            return _original(*args, **kwargs)

        monkeypatch.setattr(backend, name, record)
    return written


def test_an_invalid_sort_does_not_empty_the_explorer(client, world):
    assert client.get("/metrics/", {"o": "bogus"}).status_code == 400
    response = client.get("/metrics/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "<small>8 matches</small>" in response.content.decode()


@pytest.mark.parametrize("url", INVALID)
def test_an_invalid_request_writes_nothing_to_the_cache(client, world, cache_writes, url):
    data_version()
    cache_writes.clear()
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 400
    assert cache_writes == []


@pytest.mark.parametrize("page", VARYING)
def test_requests_with_ever_new_parameter_values_do_not_grow_the_cache(client, world, page):
    url = page.format(article=world.a.pk)

    def send(i):
        for name, value in VARYING[page].items():
            client.get(url, {name: value.format(i=i)})

    client.get(url)
    send(1)
    before = stored_keys()
    for i in range(2, 12):
        send(i)
    assert stored_keys() - before == set()


def test_the_count_of_canonical_filters_is_still_stored(client, world):
    url = "/metrics/?province=jiangsu&kind=funding&year_min=2021&verified=1&o=-value"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url + "&page=2").status_code == 200
    assert not [q for q in queries if q["sql"].startswith("SELECT COUNT(*)")]


def test_only_canonical_filters_have_a_count_key(world):
    assert count_key({"province": ["jiangsu"], "kind": "funding", "year_min": Decimal("2021"), "o": ["-value"],
                      "q": "", "verified": None}) == {"kind": "funding", "province": ["jiangsu"], "year_min": 2021}
    assert count_key({"province": ["jiangsu", "atlantis"]}) is None
    assert count_key({"area": "atlantis"}) is None
    assert count_key({"unit_family": "furlongs"}) is None
    assert count_key({"year_min": Decimal("2021.5")}) is None
    for name, value in [("q", "援疆"), ("ids", [1, 2]), ("value_min", Decimal(1)), ("value_max", Decimal(2))]:
        assert count_key({name: value}) is None
