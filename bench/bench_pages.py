"""Page benchmark: latency of every main page through real HTTP against gunicorn, then wrk load.

Starts gunicorn (gunicorn.conf.py, production settings, 2 workers) on --port against an imported benchmark
database, with Redis as the cache when --redis is given (its database is flushed first). For each page:
the first request after the flush (cold: aggregates computed), then --repeat requests over one keep-alive
connection: p50 and p95, and the size of the HTML (chart data is inline JSON in it). Then wrk for --seconds
on the overview and a filtered explorer page. Prints Markdown and writes bench/out/pages-<label>.json.

    python bench/bench_pages.py --database sqlite:///$PWD/bench/out/bench.sqlite3 --redis redis://127.0.0.1:6379/14
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}


def django_env(database: str, redis: str | None, port: int, workers: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "PRODUCTION": "1",
        "SECRET_KEY": "bench-only-key-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(OUT / "staticfiles"),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = redis
    return env


def pick_pages(env: dict) -> dict[str, str]:
    """The pages to time, with the busiest donor and area and a typical article of this database."""
    script = """
import json, os, django; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidmap.settings"); django.setup()
from django.db.models import Count
from articles.models import Article, Metric, RecipientArea
from articles.selectors import prefecture_level_areas
top = Metric.objects.counted().values("province__slug").annotate(n=Count("pk")).order_by("-n")[0]
prefectures = [a["id"] for a in prefecture_level_areas()]
busiest_area = (Metric.objects.counted().filter(area_id__in=RecipientArea.objects.filter(parent_id__in=prefectures))
    .values("area__parent__slug").annotate(n=Count("pk")).order_by("-n")[0])
total = Metric.objects.not_rejected().count()
filtered = Metric.objects.not_rejected().filter(province__slug=top["province__slug"], kind="funding").count()
ids = list(Article.objects.about_aid().order_by("pk").values_list("pk", flat=True))
print(json.dumps({"province": top["province__slug"], "area": busiest_area["area__parent__slug"],
    "pages": -(-total // 50), "filtered_pages": -(-filtered // 50), "article": ids[len(ids) // 2]}))
"""
    found = json.loads(subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                                      capture_output=True, text=True).stdout)
    filtered = f"/metrics/?province={found['province']}&kind=funding"
    return {
        "/": "/",
        "/compare/": "/compare/",
        "/provinces/<slug>/": f"/provinces/{found['province']}/",
        "/areas/<slug>/": f"/areas/{found['area']}/",
        "/metrics/ first page": "/metrics/",
        f"/metrics/ deep page ({found['pages']})": f"/metrics/?page={found['pages']}",
        "/metrics/ filtered": filtered,
        f"/metrics/ filtered, deep page ({found['filtered_pages']})": f"{filtered}&page={found['filtered_pages']}",
        "/articles/<id>/": f"/articles/{found['article']}/",
    }


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    with open(OUT / "gunicorn.log", "w") as log:  # the server writes to its own copy of the descriptor
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        )
    for _ in range(100):
        try:
            get(port, "/static/css/site.css")
            return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn did not answer on port {port}; see {OUT / 'gunicorn.log'}")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if own:
        connection.close()
    return response.status, body, elapsed, dict(response.getheaders())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_pages(port: int, pages: dict[str, str], repeat: int) -> dict:
    results = {}
    for name, path in pages.items():
        status, body, cold, _ = get(port, path)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        times = []
        for _ in range(repeat):
            status, body, elapsed, _ = get(port, path, connection)
            times.append(elapsed * 1000)
        connection.close()
        results[name] = {
            "path": path, "status": status, "cold_ms": round(cold * 1000), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1), "kb": round(len(body) / 1024),
        }
        row = results[name]
        print(f"| {name} | {row['status']} | {row['cold_ms']} | {row['p50_ms']} | {row['p95_ms']} | {row['kb']} |",
              flush=True)
    return results


def static_headers(port: int) -> dict:
    manifest = json.loads((OUT / "staticfiles" / "staticfiles.json").read_text())["paths"]
    hashed = "/static/" + manifest["css/site.css"]
    _, _, _, plain = get(port, "/static/css/site.css")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", hashed, headers={**HEADERS, "Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    keep = ("Cache-Control", "Content-Encoding", "Content-Length", "Vary")
    return {
        "hashed": {"path": hashed, **{k: v for k, v in response.getheaders() if k in keep}},
        "unhashed": {"path": "/static/css/site.css", **{k: v for k, v in plain.items() if k in keep}},
    }


def wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    script = OUT / "wrk-https.lua"
    script.write_text('wrk.headers["X-Forwarded-Proto"] = "https"\n')
    output = subprocess.run(
        ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1])
    latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", output))
    return {"path": path, "requests": total, "req_per_s": rate, "socket_errors": socket_errors,
            "non_2xx": non_2xx, "latency": latency, "raw": output}


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--redis", default=None, help="REDIS_URL for the cache (flushed first); default local memory")
    parser.add_argument("--port", type=int, default=18231)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--label", default=None)
    options = parser.parse_args(argv)
    label = options.label or ("sqlite" if options.database.startswith("sqlite") else "postgresql")
    env = django_env(options.database, options.redis, options.port, options.workers)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    pages = pick_pages(env)
    if options.redis:
        flush_redis(options.redis)
    results = {"label": label, "cache": "redis" if options.redis else "locmem", "load_before": load_average()}
    server = start_gunicorn(env, options.port)
    try:
        print(f"\n{label}, cache {results['cache']}, gunicorn {options.workers} workers, "
              f"load {results['load_before']}\n")
        print("| page | status | cold ms | p50 ms | p95 ms | HTML KB |\n|---|---|---|---|---|---|")
        results["pages"] = time_pages(options.port, pages, options.repeat)
        results["static"] = static_headers(options.port)
        print(json.dumps(results["static"], indent=1))
        results["load_mid"] = load_average()
        results["wrk"] = []
        for path in ("/", pages["/metrics/ filtered"]):
            outcome = wrk(options.port, path, options.seconds, options.connections)
            outcome["load_after"] = load_average()
            results["wrk"].append(outcome)
            print(f"wrk {path}: {outcome['req_per_s']} req/s, {outcome['requests']} requests, "
                  f"{outcome['socket_errors']} socket errors, {outcome['non_2xx']} non-2xx, "
                  f"latency {outcome['latency']}, load {outcome['load_after']}", flush=True)
    finally:
        stop(server)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"pages-{label}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
