"""Text pipeline CPU per file, without a database: decode, split, extract and sketch every file of a corpus.

Best of --repeat passes in one process after a warm-up, so that A/B runs of two commits within minutes are
comparable (the host's speed drifts by up to 1.5x over an hour; see docs/benchmarks.md).

    python bench/generate_corpus.py --count 500 --seed 1 --output bench/out/corpus500
    python bench/bench_pipeline.py bench/out/corpus500 --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.text.decode import UnreadableFile  # noqa: E402
from articles.text.pipeline import prepare, process_bytes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    data = [(str(p), p.read_bytes()) for p in files]
    prepare()
    best, figures = float("inf"), 0
    for attempt in range(args.repeat + 1):  # the first pass warms caches and is not counted
        started, figures = time.process_time(), 0
        for path, content in data:
            with contextlib.suppress(UnreadableFile):
                figures += sum(len(a.metrics) for a in process_bytes(content, path).articles)
        if attempt:
            best = min(best, time.process_time() - started)
    print(f"{len(data)} files, {figures} figures: "
          f"{best / len(data) * 1000:.2f} ms CPU per file (best of {args.repeat})")


if __name__ == "__main__":
    main()
