"""Export benchmark: the full CSV export over HTTP, against Datasette's CSV of the same SQLite file, with the
peak memory of the gunicorn worker that streamed it.

`fill` writes a benchmark database of generated figures (the gazetteer's donors and areas, one article per 20
figures, the fast INSERT of articles/rows.py); `run` then, on that file and in one run:

- aidmap: gunicorn (gunicorn.conf.py, production settings, one worker) serving `/metrics/?format=csv`, read to
  the end over one connection; rows, bytes, seconds, and the worker's peak RSS (VmHWM; a fresh worker each time);
- Datasette, from its own virtualenv under bench/out/ (created and installed on first use, not a project
  dependency), serving the same file read-only: the whole `articles_metric` table as CSV (`_stream=on`), raw
  and with its foreign keys expanded to labels (`_labels=on`), the nearest to aidmap's joined columns.

    python bench/bench_export.py fill --database bench/out/export-200k.sqlite3 --figures 200000
    python bench/bench_export.py run --database bench/out/export-200k.sqlite3
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATASETTE_VENV = OUT / "datasette-venv"
FIGURES_PER_ARTICLE = 20
PARAGRAPHS_PER_ARTICLE = 5


# Filling a benchmark database -----------------------------------------------------------------------------------

def fill(database: Path, figures: int, seed: int) -> None:
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidmap.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from articles.choices import Kind, Sector, Stage, Status
    from articles.gazetteer_sync import ensure_gazetteer
    from articles.models import Article, Metric, Paragraph, Province, RecipientArea, SourceFile
    from articles.rows import create_rows, insert_rows

    call_command("migrate", verbosity=0)
    ensure_gazetteer()
    rng = random.Random(seed)
    donors = list(Province.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    areas = list(RecipientArea.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    articles = -(-figures // FIGURES_PER_ARTICLE)
    made = 0
    for first in range(0, articles, 1000):
        with transaction.atomic():
            files = create_rows(SourceFile, [
                {"name": f"bench/{n:07d}.txt", "path": f"bench/{n:07d}.txt", "sha256": f"{n:064x}", "size": 4000,
                 "encoding": "utf-8"} for n in range(first, min(first + 1000, articles))
            ])
            made_articles = create_rows(Article, [
                {"source_file_id": f.pk, "position": 0, "title": f"援疆工作成效显著——第{f.pk}篇综述",
                 "publisher": rng.choice(["新疆日报", "天山网", "人民网"]),
                 "published": date(2015, 1, 1) + timedelta(days=rng.randrange(3650)), "original_text": "…",
                 "content_hash": f"{f.pk:064x}", "script": "simplified"} for f in files
            ])
            paragraphs = create_rows(Paragraph, [
                {"article_id": a.pk, "position": p, "original_text": PARAGRAPH, "text": PARAGRAPH}
                for a in made_articles for p in range(PARAGRAPHS_PER_ARTICLE)
            ])
            rows = []
            for paragraph in paragraphs:
                for _ in range(FIGURES_PER_ARTICLE // PARAGRAPHS_PER_ARTICLE):
                    if made + len(rows) >= figures:
                        break
                    amount = rng.randrange(1, 99999)
                    rows.append({
                        "article_id": paragraph.article_id, "paragraph_id": paragraph.pk, "start": 6, "end": 12,
                        "number_text": f"{amount}万元", "quote": QUOTE.format(amount), "value": Decimal(amount * 10000),
                        "unit": "元", "unit_family": "money", "approx": "exact", "kind": rng.choice(Kind.values),
                        "sector": rng.choice(Sector.values), "stage": rng.choice(Stage.values),
                        "province_id": rng.choice(donors), "area_id": rng.choice(areas),
                        "period": "2021—2023年", "year_start": 2021, "year_end": 2023,
                        "confidence": round(rng.random(), 4),
                        "status": rng.choice([Status.EXTRACTED] * 8 + [Status.VERIFIED, Status.REJECTED]),
                    })
            insert_rows(Metric, rows)
            made += len(rows)
        print(f"\r{made:,} figures, {time.perf_counter() - started:.0f} s", end="", flush=True)
    print(f"\n{database}: {Metric.objects.count():,} figures, {Metric.objects.not_rejected().count():,} exported, "
          f"{database.stat().st_size / 1e6:.0f} MB")


PARAGRAPH = "江苏今年投入援疆资金12亿元，实施项目86个，用于伊宁县民生、教育、医疗和产业发展，带动就业3000多人。"
QUOTE = "今年投入援疆资金{}万元，实施民生项目，带动就业3000多人。"


# Running -------------------------------------------------------------------------------------------------------

def django_env(database: Path, port: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database.resolve()}",
        "PRODUCTION": "1",
        "SECRET_KEY": "bench-only-key-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(OUT / "staticfiles"),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("REDIS_URL", None)
    return env


def wait_for(port: int, path: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    stop(server)
    raise SystemExit(f"nothing answered on port {port}; see {log}")


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    server.wait(timeout=30)


def download(port: int, path: str, headers: dict | None = None) -> dict:
    """GET path to the end, counting bytes and lines; the time to the first byte and to the last."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept-Encoding": "identity", **(headers or {})})
    response = connection.getresponse()
    first, broken = None, False
    size = lines = 0
    try:
        while chunk := response.read(1 << 16):
            first = first or time.perf_counter()
            size += len(chunk)
            lines += chunk.count(b"\n")
    except http.client.IncompleteRead as error:  # the server broke the connection: a failed download
        size, lines, broken = size + len(error.partial), lines + error.partial.count(b"\n"), True
    elapsed = time.perf_counter() - started
    connection.close()
    return {"path": path, "status": "broken" if broken else response.status, "seconds": round(elapsed, 2),
            "first_byte_ms": round(((first or time.perf_counter()) - started) * 1000), "mb": round(size / 1e6, 1),
            "lines": lines}


def worker_of(master: int) -> int:
    for _ in range(50):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


def memory_kb(pid: int) -> dict:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: int(status[key].split()[0]) for key in ("VmRSS", "VmHWM")}


class RssSampler(threading.Thread):
    """The worker's RSS every 0.2 s, to show that it stays flat (VmHWM gives the peak)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [], threading.Event()

    def run(self):
        while not self.done.wait(0.2):
            try:
                self.samples.append(memory_kb(self.pid)["VmRSS"])
            except (OSError, KeyError):
                return


def thinned(samples: list, count: int) -> list:
    return samples[:: max(1, len(samples) // count)]


def aidmap_export(database: Path, port: int, threads: int, timeout: int, export: str) -> dict:
    env = {**django_env(database, port), "GUNICORN_THREADS": str(threads), "GUNICORN_TIMEOUT": str(timeout)}
    log = OUT / "gunicorn-export.log"
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(log, "w"), start_new_session=True)  # noqa: SIM115
    try:
        wait_for(port, "/static/css/site.css", server, log)
        worker = worker_of(server.pid)
        before = memory_kb(worker)
        sampler = RssSampler(worker)
        sampler.start()
        result = download(port, f"/metrics/?format={export}", {"X-Forwarded-Proto": "https"})
        sampler.done.set()
        after = memory_kb(worker) if Path(f"/proc/{worker}").exists() else {}
        result.update(rows=result["lines"] - 1, worker_rss_before_mb=round(before["VmRSS"] / 1024),
                      worker_peak_rss_mb=round(after.get("VmHWM", 0) / 1024) or None,
                      worker_rss_samples_mb=[round(kb / 1024) for kb in thinned(sampler.samples, 20)],
                      worker_survived=bool(after), gunicorn_threads=threads, gunicorn_timeout=timeout)
        return result
    finally:
        stop(server)


def ensure_datasette() -> Path | None:
    binary = DATASETTE_VENV / "bin" / "datasette"
    if binary.exists():
        return binary
    subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
    installed = subprocess.run([str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", "datasette"],
                               capture_output=True, text=True)
    if installed.returncode != 0:
        print(f"Datasette could not be installed:\n{installed.stderr[-2000:]}")
        return None
    return binary


def datasette_exports(database: Path, port: int, labels: bool) -> list[dict]:
    binary = ensure_datasette()
    if binary is None:
        return []
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.split()[-1]
    log = OUT / "datasette.log"
    server = subprocess.Popen(
        [str(binary), "serve", "-i", str(database), "-p", str(port), "--setting", "max_csv_mb", "0",
         "--setting", "sql_time_limit_ms", "600000"],
        stdout=subprocess.DEVNULL, stderr=open(log, "w"), start_new_session=True,  # noqa: SIM115
    )
    name = database.stem
    results = []
    try:
        wait_for(port, "/-/versions.json", server, log)
        for query in ("_stream=on&_size=max", "_stream=on&_size=max&_labels=on")[: 2 if labels else 1]:
            result = download(port, f"/{name}/articles_metric.csv?{query}")
            result.update(rows=result["lines"] - 1, version=version)
            results.append(result)
    finally:
        stop(server)
    return results


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(database: Path, port: int, threads: int, timeout: int, skip_datasette: bool, xlsx: bool,
        labels: bool) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    env = django_env(database, port)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    results = {"database": str(database), "commit": commit, "load_before": load_average(),
               "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    results["aidmap"] = aidmap_export(database, port, threads, timeout, "csv")
    if xlsx:
        results["aidmap_xlsx"] = aidmap_export(database, port, threads, timeout, "xlsx")
        results["aidmap_xlsx"]["rows"] = results["aidmap"]["rows"]  # the same figures; a zip has no lines
    results["load_mid"] = load_average()
    results["datasette"] = [] if skip_datasette else datasette_exports(database, port + 1, labels)
    results["load_after"] = load_average()
    print(f"\n{database.name} at {commit}, {results['started']}, load {results['load_before']} → "
          f"{results['load_after']}\n")
    print("| export | status | rows | MB | seconds | rows/s | first byte ms | worker peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    xlsx_row = [("aidmap `/metrics/?format=xlsx`", results["aidmap_xlsx"])] if xlsx else []
    for label, row in [("aidmap `/metrics/?format=csv`", results["aidmap"]), *xlsx_row,
                       *((f"Datasette {r['version']} `{r['path'].split('?')[1]}`", r) for r in results["datasette"])]:
        rate = round(row["rows"] / row["seconds"]) if row["seconds"] else 0
        peak = f"{row['worker_peak_rss_mb']} MB" if row.get("worker_peak_rss_mb") else "—"
        print(f"| {label} | {row['status']} | {row['rows']:,} | {row['mb']} | {row['seconds']} | {rate:,} | "
              f"{row['first_byte_ms']} | {peak} |")
    print(f"\naidmap worker RSS (MB) during the export: {results['aidmap']['worker_rss_samples_mb']}")
    (OUT / f"export-{database.stem}.json").write_text(json.dumps(results, indent=2))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    filling = commands.add_parser("fill", help="write a benchmark database of generated figures")
    filling.add_argument("--database", type=Path, required=True)
    filling.add_argument("--figures", type=int, default=200_000)
    filling.add_argument("--seed", type=int, default=1)
    running = commands.add_parser("run", help="time the CSV export of aidmap and of Datasette on that file")
    running.add_argument("--database", type=Path, required=True)
    running.add_argument("--port", type=int, default=18241)
    running.add_argument("--threads", type=int, default=1, help="GUNICORN_THREADS (1: the sync worker)")
    running.add_argument("--timeout", type=int, default=30, help="GUNICORN_TIMEOUT in seconds")
    running.add_argument("--skip-datasette", action="store_true")
    running.add_argument("--no-labels", action="store_true", help="time Datasette's raw CSV only, not _labels=on")
    running.add_argument("--xlsx", action="store_true", help="also time ?format=xlsx (its rows: the lines of the zip)")
    options = parser.parse_args(argv)
    if options.command == "fill":
        fill(options.database, options.figures, options.seed)
    else:
        run(options.database, options.port, options.threads, options.timeout, options.skip_datasette, options.xlsx,
            not options.no_labels)


if __name__ == "__main__":
    main()
