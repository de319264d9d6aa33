"""The floor for an import: decode every file and segment its whole text with plain jieba, nothing else.

    python bench/jieba_floor.py bench/out/corpus [--workers N]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.text.decode import decode_bytes  # noqa: E402


def _jieba():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment_file(path: str) -> int:
    """Words jieba finds in the file's decoded text (precise mode, HMM on: jieba's defaults)."""
    text = decode_bytes(Path(path).read_bytes(), Path(path).name).text
    return len(_jieba().lcut(text))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    options = parser.parse_args(argv)
    files = sorted(str(p) for p in options.corpus.rglob("*") if p.is_file())
    started = time.perf_counter()
    if options.workers == 1:
        _jieba()
        words = sum(map(segment_file, files))
    else:
        with Pool(options.workers, initializer=_jieba) as pool:
            words = sum(pool.imap_unordered(segment_file, files, chunksize=16))
    print(f"{len(files)} files, {words} words in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
