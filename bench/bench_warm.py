"""Cache warming benchmark: the first view of the main pages after an import, with and without warming.

For each of `--no-warm` and the default (warming): a fresh SQLite database, the Redis database flushed,
gunicorn started (bench_pages' production settings, one worker, primed with one request so the process itself
is warm), then `import_articles CORPUS` while it serves, then one request to each main page (the first view
after the import) and --repeat more to `/`. Prints Markdown.

    python bench/bench_warm.py --corpus seeds --database /tmp/warm.sqlite3 --redis redis://127.0.0.1:6379/12
"""

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import ROOT, django_env, flush_redis, get, load_average, pick_pages, start_gunicorn, stop  # noqa: E402


def import_corpus(env: dict, corpus: str, *options: str) -> dict:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "manage.py", "import_articles", corpus, "--no-progress", *options],
                         cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    warmed = re.search(r"Warmed (\d+) pages, (\d+) failed, in ([\d.]+) s", out)
    return {"wall_s": time.perf_counter() - started,
            "import_s": float(re.search(r"failed, in ([\d.]+) s", out).group(1)),
            "warm": warmed.groups() if warmed else None}


def timed_get(port: int, path: str) -> float:
    status, _body, seconds, _headers = get(port, path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return seconds


def run(mode: str, options, env: dict, pages: dict | None) -> dict:
    database = Path(options.database)
    for stale in database.parent.glob(database.name + "*"):
        stale.unlink()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    flush_redis(options.redis)
    server = start_gunicorn(env, options.port)
    try:
        get(options.port, "/articles/")  # the worker's imports, templates and connection, before the clock
        load_before = load_average()
        result = import_corpus(env, options.corpus, *(["--no-warm"] if mode == "no warming" else []))
        # Chosen from the data, by a process without the shared cache so it fills nothing there.
        pages = pages or {name: path for name, path in pick_pages(django_env(f"sqlite:///{database}", None, 0, 1))
                          .items() if name in ("/", "/compare/", "/provinces/<slug>/", "/areas/<slug>/")}
        first = {name: round(timed_get(options.port, path) * 1000) for name, path in pages.items()}
        again = [timed_get(options.port, "/") * 1000 for _ in range(options.repeat)]
    finally:
        stop(server)
    return {**result, "pages": pages, "first_ms": first, "again_p50_ms": statistics.median(again),
            "load": f"{load_before.split()[0]} → {load_average().split()[0]}"}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--database", required=True, help="a SQLite file, deleted and created for each run")
    parser.add_argument("--redis", required=True)
    parser.add_argument("--port", type=int, default=18232)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args(argv)
    env = django_env(f"sqlite:///{Path(options.database).resolve()}", options.redis, options.port, 1)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    results, pages = {}, None
    for mode in ("no warming", "warming"):
        results[mode] = run(mode, options, env, pages)
        pages = results[mode]["pages"]
    print(f"corpus {options.corpus}, SQLite, Redis, gunicorn with 1 worker; first view after the import, ms:\n")
    print(f"| | import (command) | warming | {' | '.join(f'`{path}`' for path in pages.values())} "
          f"| `/` again, p50 ms | load (1 min) |")
    print("|---" * (len(pages) + 5) + "|")
    for mode, row in results.items():
        warm = f"{row['warm'][0]} pages in {row['warm'][2]} s" if row["warm"] else "—"
        firsts = " | ".join(str(row["first_ms"][name]) for name in pages)
        print(f"| {mode} | {row['import_s']:.1f} s | {warm} | {firsts} | {row['again_p50_ms']:.1f} | {row['load']} |")

if __name__ == "__main__":
    main()
