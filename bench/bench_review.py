"""Review screen benchmark: keystroke → next figure shown, in Chromium, against gunicorn on a benchmark database.

Copies --database (a SQLite file, e.g. one import_articles filled from bench/generate_corpus.py) to
bench/out/review-run.sqlite3, so the decisions made here leave it as it was; creates a curator with a session
there; starts gunicorn (gunicorn.conf.py, 2 workers, local settings: production's HTTPS-only cookies would not
reach a plain-HTTP 127.0.0.1); and reviews --figures figures of the queue with the keyboard (v, every fourth r)
at two paces: each key pressed as soon as the figure is shown (the server's throughput is then the limit), and
after --read-ms of reading (a curator's pace, which the two figures fetched ahead are meant for). Reports p50
and p95 of the page's own keystroke → figure drawn times (window.reviewTimings, performance.now in
static/js/review.js) and of the server's answers to the next-figure and decision requests (Resource Timing).
Writes bench/out/review.json.

    python bench/bench_review.py --database bench/out/review.sqlite3 --figures 200
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from bench_pages import percentile, start_gunicorn, stop  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CURATOR = "bench-curator"

SETUP = """
import json, os, django; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidmap.settings"); django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from articles.models import Article, Metric, ReviewClaim
from articles.choices import Status
user, _ = User.objects.get_or_create(username=%(name)r, defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="curators"))
ReviewClaim.objects.all().delete()
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()})
session.create()
print(json.dumps({"session": session.session_key, "articles": Article.objects.count(),
                  "figures": Metric.objects.count(),
                  "awaiting": Metric.objects.filter(status=Status.EXTRACTED, stale=False).count()}))
"""

WAIT_SHOWN = "(id) => document.getElementById('review').dataset.shown !== id"
SHOWN = "() => document.getElementById('review').dataset.shown"
SERVER_TIMES = """() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/admin/review/'))
    .map((e) => [new URL(e.name).pathname.split('/').filter(Boolean).slice(2).join('/'),
                 e.responseStart - e.requestStart])"""


def django_env(database: str, port: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database, "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "WEB_CONCURRENCY": "2", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "",
           "GUNICORN_LOG_LEVEL": "warning", "PYTHONWARNINGS": "ignore"}
    env.pop("PRODUCTION", None)
    env.pop("REDIS_URL", None)
    return env


def review(page, url: str, figures: int, read_ms: int) -> dict:
    """Review `figures` figures with the keyboard; the page's timings and the server's answer times."""
    page.goto(url)
    page.evaluate("() => performance.setResourceTimingBufferSize(10000)")  # 250 by default
    page.wait_for_function("() => document.getElementById('review').dataset.state === 'ready'")
    for n in range(figures):
        current = page.evaluate(SHOWN)
        if read_ms:
            page.wait_for_timeout(read_ms)
        page.keyboard.press("r" if n % 4 == 3 else "v")
        page.wait_for_function(WAIT_SHOWN, arg=current, timeout=60_000)
    page.wait_for_function("() => document.getElementById('review').dataset.pending === '0'", timeout=60_000)
    timings = page.evaluate("() => window.reviewTimings")
    server = {}
    for kind, ms in page.evaluate(SERVER_TIMES):
        name = kind.split("/")[-1] if kind.startswith("figure/") else kind
        server.setdefault(name, []).append(ms)
    return {
        "read_ms": read_ms, "figures": figures,
        "shown_ms": summary(timings),
        "server_ms": {name: summary(values) for name, values in sorted(server.items())},
    }


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": round(percentile(values, 0.5), 1), "p95": round(percentile(values, 0.95), 1),
            "max": round(max(values), 1)} if values else {"n": 0}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=OUT / "review.sqlite3", help="SQLite file to copy")
    parser.add_argument("--figures", type=int, default=200)
    parser.add_argument("--read-ms", type=int, default=800)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if not args.database.is_file():
        raise SystemExit(f"--database {args.database}: no such SQLite file; import a corpus into it first")
    run_copy = OUT / "review-run.sqlite3"
    run_copy.unlink(missing_ok=True)
    # SQLite's backup API, not a file copy: the copy then includes what is still in the source's write-ahead log.
    with sqlite3.connect(args.database) as source, sqlite3.connect(run_copy) as target:
        source.backup(target)
    env = django_env(f"sqlite:///{run_copy}", args.port)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    facts = json.loads(subprocess.run([sys.executable, "-c", SETUP % {"name": CURATOR}], cwd=ROOT, env=env,
                                      check=True, capture_output=True, text=True).stdout)
    from playwright.sync_api import sync_playwright

    server = start_gunicorn(env, args.port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            base = f"http://127.0.0.1:{args.port}"
            runs = []
            for read_ms in (0, args.read_ms):
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                context.add_cookies([{"name": "sessionid", "value": facts["session"], "url": base}])
                runs.append(review(context.new_page(), base + "/admin/review/", args.figures, read_ms))
                context.close()
            browser.close()
    finally:
        stop(server)
    result = {**facts, "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "load_avg": os.getloadavg(), "runs": runs}
    result.pop("session")
    (OUT / "review.json").write_text(json.dumps(result, indent=2))
    print_table(result)


def print_table(result: dict) -> None:
    print(f"{result['articles']:,} articles, {result['figures']:,} figures ({result['awaiting']:,} awaiting review), "
          f"{result['measured_at']}, load {result['load_avg'][0]:.2f}\n")
    print("| pace | figures | key → next figure shown p50 / p95 / max | next-figure answer p50 / p95 "
          "| verify p50 / p95 | reject p50 / p95 |")
    print("|---|---|---|---|---|---|")
    for run in result["runs"]:
        pace = "keys as fast as shown" if not run["read_ms"] else f"{run['read_ms']} ms reading each"
        shown = run["shown_ms"]
        print(f"| {pace} | {run['figures']} | {shown['p50']} / {shown['p95']} / {shown['max']} ms "
              f"| {pair(run, 'next')} | {pair(run, 'verify')} | {pair(run, 'reject')} |")


def pair(run: dict, request: str) -> str:
    values = run["server_ms"].get(request, {"n": 0})
    return f"{values['p50']} / {values['p95']} ms" if values["n"] else "—"


if __name__ == "__main__":
    main()
