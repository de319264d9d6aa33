"""Import benchmark: the corpus into a fresh SQLite file or PostgreSQL database, against a bare jieba pass.

Runs, each under /usr/bin/time -v: (1) a bare jieba segmentation of every file's decoded text, in one process
and in --workers processes (the floor); (2) `manage.py import_articles --workers N` into a fresh database;
(3) the same import again, every file unchanged. Prints one Markdown table row per step and writes
bench/out/import-<label>.json. Also samples the summed PSS (proportional set size) of the whole process tree
every 0.2 s: time -v gives the peak RSS of the largest single process only.

    python bench/bench_import.py --database sqlite:///$PWD/bench/out/bench.sqlite3 --workers 2
    python bench/bench_import.py --database postgres://postgres@127.0.0.1:5432/aidmap_bench --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable


def corpus_bytes(corpus: Path) -> tuple[int, int]:
    files = [p for p in corpus.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], url)


def run(command: list[str], database: str, timed: bool = False) -> dict:
    """Run `command` in the project with DATABASE_URL set; with `timed`, under /usr/bin/time -v."""
    env = {**os.environ, "DATABASE_URL": database, "PYTHONWARNINGS": "ignore"}
    env.pop("REDIS_URL", None)
    if timed:
        command = ["/usr/bin/time", "-v", *command]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"tree_rss_kb": 0}
    sampler = threading.Thread(target=_sample_tree_rss, args=(process, peak), daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stdout}\n{stderr[-3000:]}")
    result = {"wall_s": round(elapsed, 2), "stdout": stdout.strip(), "tree_pss_mb": round(peak["tree_rss_kb"] / 1024)}
    if timed:
        result.update(_time_v(stderr))
    return result


def _time_v(stderr: str) -> dict:
    def number(label):
        match = re.search(rf"{re.escape(label)}: ([\d.:]+)", stderr)
        return match.group(1) if match else None

    return {
        "max_rss_mb": round(int(number("Maximum resident set size (kbytes)")) / 1024),
        "user_s": float(number("User time (seconds)")),
        "system_s": float(number("System time (seconds)")),
        "cpu_percent": number("Percent of CPU this job got"),
    }


def _sample_tree_rss(process: subprocess.Popen, peak: dict) -> None:
    while process.poll() is None:
        total = sum(_rss_kb(pid) for pid in _tree(process.pid))
        peak["tree_rss_kb"] = max(peak["tree_rss_kb"], total)
        time.sleep(0.2)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    pids, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        pids.append(pid)
        frontier.extend(children.get(pid, []))
    return pids


def _rss_kb(pid: int) -> int:
    """The process's proportional set size: shared pages (forked code, jieba's dictionary) counted once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of a database this script may wipe")
    parser.add_argument("--corpus", type=Path, default=OUT / "corpus")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default=None, help="Name of the result file (default: the database engine)")
    parser.add_argument("--skip-jieba", action="store_true", help="Do not repeat the jieba floor")
    options = parser.parse_args(argv)
    label = options.label or ("sqlite" if options.database.startswith("sqlite") else "postgresql")
    files, size = corpus_bytes(options.corpus)
    megabytes = size / 1048576
    results = {"label": label, "files": files, "megabytes": round(megabytes, 1), "workers": options.workers,
               "cpus": os.cpu_count(), "steps": {}}
    steps = results["steps"]

    def step(name, command, database=options.database):
        load_before = load_average()
        outcome = run(command, database, timed=True)
        outcome["load_before"], outcome["load_after"] = load_before, load_average()
        steps[name] = outcome
        print(f"| {label} | {name} | {outcome['wall_s']} s | {files / outcome['wall_s']:.0f} files/s | "
              f"{megabytes / outcome['wall_s']:.2f} MB/s | {outcome['max_rss_mb']} MB | {outcome['tree_pss_mb']} MB | "
              f"{outcome['user_s']:.0f}+{outcome['system_s']:.0f} s | "
              f"{outcome['load_before']} → {outcome['load_after']} |",
              flush=True)
        return outcome

    print("| database | step | wall | files/s | MB/s | max RSS (one process) | PSS (all processes) | CPU user+sys "
          "| load avg before → after |")
    print("|---|---|---|---|---|---|---|---|---|")
    jieba = [PYTHON, "bench/jieba_floor.py", str(options.corpus)]
    if not options.skip_jieba:
        step("jieba floor, 1 process", jieba + ["--workers", "1"])
        step(f"jieba floor, {options.workers} processes", jieba + ["--workers", str(options.workers)])
    fresh_database(options.database)
    command = [PYTHON, "manage.py", "import_articles", str(options.corpus), "--workers", str(options.workers),
               "--no-progress", "--no-warm"]  # warming is measured on its own (docs/benchmarks.md)
    first = step(f"import --workers {options.workers}", command)
    step("re-import, all unchanged", command)
    results["summary"] = first["stdout"]
    results["counts"] = json.loads(run([PYTHON, "bench/counts.py"], options.database)["stdout"])
    print(first["stdout"])
    print(json.dumps(results["counts"]))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"import-{label}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
