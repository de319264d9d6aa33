"""Totals benchmark: what the verified share (issue 17) costs a page's cold aggregate, on a generated SQLite database.

Builds a fresh database under --out (migrated, the tests' sample world plus --articles bulk articles of two
achieved figures each, a quarter of the funding verified), then runs each selector's aggregate query --repeat
times with and without the two verified-share aggregates, alternately (the machine's load hits both alike), the
cache bypassed. Prints p50 / p95 in ms as Markdown.

    python bench/bench_totals.py --articles 50000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SELECTORS = ("totals_by_province", "totals_by_sector_and_province", "totals_by_prefecture")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--out", default=tempfile.gettempdir(), help="folder of the generated database")
    args = parser.parse_args()

    database = Path(args.out) / f"bench-totals-{os.getpid()}.sqlite3"
    sys.path.insert(0, str(ROOT))
    os.environ.update(DJANGO_SETTINGS_MODULE="aidmap.settings", DATABASE_URL=f"sqlite:///{database}")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from articles import selectors
    from articles.choices import Stage
    from tests.factories import bulk_articles, make_sample_world

    with_share = selectors._aggregates
    without_share = lambda: {k: v for k, v in with_share().items() if not k.startswith("verified_")}  # noqa: E731
    selectors.cached = lambda key, compute, timeout=3600: compute()  # every call computes: a cold page
    selectors._total = lambda row, by, filters: row  # time the query, not the Total objects
    try:
        call_command("migrate", verbosity=0)
        world = make_sample_world()
        for start in range(0, args.articles, 5000):
            bulk_articles(min(5000, args.articles - start), world, start=start + 100)
        scope = selectors.Scope(stage=Stage.ACHIEVED)
        print(f"| selector ({args.articles:,} articles, {2 * args.articles:,} figures) | without share p50 / p95 ms "
              "| with share p50 / p95 ms |\n|---|---|---|")
        for name in SELECTORS:
            times = {without_share: [], with_share: []}
            for _ in range(args.repeat):
                for aggregates in times:
                    selectors._aggregates = aggregates
                    began = time.perf_counter()
                    getattr(selectors, name)(scope)
                    times[aggregates].append((time.perf_counter() - began) * 1000)
            cells = [f"{statistics.median(t):.0f} / {sorted(t)[int(0.95 * (len(t) - 1))]:.0f}" for t in times.values()]
            print(f"| `{name}` | {cells[0]} | {cells[1]} |")
    finally:
        for path in database.parent.glob(database.name + "*"):
            path.unlink()


if __name__ == "__main__":
    main()
