"""Each main page runs a fixed, small number of SQL queries: at most 15, the same with 10 and 1,000 articles."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import bulk_articles, make_sample_world

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
PAGES = [
    "/",
    "/compare/",
    "/compare/?province=jiangsu&province=shanghai&kind=jobs",
    "/provinces/jiangsu/",
    "/areas/xinjiang/",
    "/areas/yili/",
    "/metrics/",
    "/metrics/?province=shanghai&kind=funding&o=-value&page=2",
    "/metrics/?format=csv",
    "/articles/",
    "/articles/?q=援疆&page=2",
    "/articles/{article}/",
    "/?verified=1",
]


def queries_per_page(client, world) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        url = page.format(article=world.a.pk)
        cache.clear()  # a cold cache: the most queries a page ever runs
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_main_pages_run_a_fixed_small_number_of_queries(client):
    world = make_sample_world()
    bulk_articles(7, world)  # with the sample world's three aid articles: 10
    small = queries_per_page(client, world)
    bulk_articles(990, world, start=7)
    large = queries_per_page(client, world)
    assert max(small.values()) <= MAX_QUERIES, small
    assert large == small


def test_a_warm_cache_saves_the_aggregate_queries(client):
    world = make_sample_world()
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) <= 2, [q["sql"][:80] for q in queries]
    assert world  # the sample world is what the page aggregated
