"""The slowest SQL of each main page, with its query plan: which selector query costs what, and why.

Renders each page in-process with the cache off (every aggregate computed), times every query, and prints
the plan (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite) of those over --min-ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aidmap_bench python bench/explain_pages.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidmap.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="Pages (default: the benchmark's pages)")
    parser.add_argument("--min-ms", type=float, default=20)
    options = parser.parse_args(argv)
    sys.argv = sys.argv[:1]
    from bench.bench_pages import pick_pages  # noqa: E402  (same pages as the latency benchmark)

    paths = options.paths or list(pick_pages(dict(os.environ)).values())
    client = Client()
    with override_settings(CACHES=NO_CACHE, SECURE_SSL_REDIRECT=False):
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                try:
                    response = client.get(path, secure=True)
                except Exception as error:  # a page broken by work in progress: say so, go on with the others
                    print(f"\n## {path}: {error!r}")
                    continue
                total = (time.perf_counter() - started) * 1000
            sql_ms = sum(float(q["time"]) * 1000 for q in queries.captured_queries)
            print(f"\n## {path}: {response.status_code}, {total:.0f} ms, {len(queries)} queries, "
                  f"{sql_ms:.0f} ms in SQL")
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
                ms = float(query["time"]) * 1000
                if ms < options.min_ms:
                    break
                print(f"\n### {ms:.0f} ms\n```sql\n{query['sql'][:1500]}\n```\n```\n{explain(query['sql'])}\n```")


if __name__ == "__main__":
    main()
