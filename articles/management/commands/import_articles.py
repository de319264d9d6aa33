"""Import article files: split, extract figures, write them; report every file that fails."""

import collections
import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError

from articles.gazetteer_sync import ensure_gazetteer
from articles.loader import ImportStats, Loader
from articles.nearcopies import with_shingles
from articles.text.decode import UnreadableFile
from articles.text.pipeline import prepare, process_path
from articles.text.sources import collect_files, file_digest, source_names
from articles.warm import warm_pages

# Files parsed per task in a parsing process.
FILES_PER_TASK = 8
# prctl option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
# Without --workers, imports of this many files or more are parsed in parallel, by at most this many processes.
PARALLEL_FROM_FILES = 100
MAX_DEFAULT_WORKERS = 8


class Command(BaseCommand):
    help = "Import news files (files or folders, recursively) and extract their aid figures."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders of article text")
        parser.add_argument(
            "--workers", type=int, default=None,
            help="Processes that parse files (default: one per CPU core for 100 files or more, else 1)",
        )
        parser.add_argument("--no-progress", action="store_true", help="Never draw the progress bar")
        parser.add_argument("--no-warm", action="store_true",
                            help="Do not render the main pages into the shared cache after a change")

    def handle(self, *args, paths, workers, no_progress, no_warm, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more")
        started = time.perf_counter()
        files, problems = collect_files(paths)
        stats = ImportStats()
        stats.failed.extend(problems)
        warnings: list[tuple[str, str]] = []
        ensure_gazetteer()
        loader = Loader()
        names = source_names(files, paths)
        known = loader.imported_files()
        max_bytes = settings.AIDMAP_MAX_FILE_BYTES
        # Files already imported byte for byte are skipped before parsing, even if moved or renamed.
        digests = {path: file_digest(path, max_bytes) for path in files} if known else {}
        unchanged = _already_imported(files, names, digests, known)
        jobs = [(path, names[path]) for path in files if path not in unchanged]
        stats.files = stats.files_unchanged = len(unchanged)
        progress = Progress(len(jobs), self.stderr, enabled=not no_progress and sys.stderr.isatty())
        workers = workers or _default_workers(len(jobs))
        try:
            with _interrupted_by_sigterm(), loader.batches():
                for path, outcome in self._process(jobs, workers):
                    if isinstance(outcome, UnreadableFile):
                        stats.failed.append((path, str(outcome)))
                    else:
                        warnings.extend((path, warning) for warning in outcome.warnings)
                        try:
                            stats.merge(loader.load_file(outcome))
                        except Exception as error:  # one bad file must not stop the others
                            stats.failed.append((path, f"could not be stored, nothing of it was written: {error!r}"))
                    progress.step()
        except KeyboardInterrupt as stop:
            raise CommandError(f"Interrupted ({stop or 'Ctrl-C'}) after {progress.count} of {len(jobs)} files; the "
                               f"files since the last commit were rolled back. Run the same import again to finish.")
        progress.done()
        self._report(stats, warnings, time.perf_counter() - started)
        if stats.files > stats.files_unchanged and not no_warm:  # the loader wrote, so the cached pages are gone
            self._report_warming(warm_pages())
        if stats.files > stats.files_unchanged and getattr(caches["default"], "unreachable", False):
            self.stderr.write("WARNING the shared cache (Redis) was unreachable, so the cached pages could not be "
                              "invalidated: once it is back, restart it or FLUSHDB its database (it holds nothing "
                              "else), or pages from before this import may be served for up to an hour.")
        if stats.failed:
            raise CommandError(f"{len(stats.failed)} file(s) failed; see the messages above.")

    def _process(self, jobs, workers):
        """(path, ProcessedFile or UnreadableFile) in input order; parsing spread over processes."""
        max_bytes = settings.AIDMAP_MAX_FILE_BYTES
        if workers == 1:
            for job in jobs:
                yield job[0], _safe_process(job, max_bytes)
            return
        # Files go to the processes in small chunks (one task per file cost the writer's process ~2 ms of
        # hand-over per file), and at most two chunks per process are parsed ahead of the writer: memory stays
        # flat whatever the corpus size.
        chunks = [jobs[i : i + FILES_PER_TASK] for i in range(0, len(jobs), FILES_PER_TASK)]
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context(), initializer=_die_with_parent,
                                   initargs=(os.getpid(),))
        try:
            ahead = collections.deque()
            for chunk in chunks:
                ahead.append(pool.submit(_safe_process_all, chunk, max_bytes))
                if len(ahead) > 2 * workers:
                    yield from ahead.popleft().result()
            for future in ahead:
                yield from future.result()
        except BaseException:  # interrupted, or the writer stopped reading: the parsing is not needed any more
            _stop_at_once(pool)
            raise
        pool.shutdown()

    def _report(self, stats: ImportStats, warnings: list[tuple[str, str]], seconds: float):
        for path, warning in warnings:
            self.stderr.write(f"WARNING {path}: {warning}")
        for path, reason in stats.failed:
            self.stderr.write(f"FAILED {path}: {reason}")
        self.stdout.write(
            f"Imported {_count(stats.files, 'file')} ({stats.files_unchanged} unchanged), "
            f"{_count(stats.articles, 'article')} ({stats.articles_unchanged} unchanged), "
            f"{_count(stats.paragraphs, 'paragraph')}, metrics +{stats.metrics_created} "
            f"~{stats.metrics_updated} -{stats.metrics_removed}, "
            f"{stats.curated_flagged} curated flagged stale, {stats.near_copies} near-copies linked, "
            f"{len(stats.failed)} failed, in {seconds:.1f} s"
        )

    def _report_warming(self, report):
        for failure in report.failures:
            self.stderr.write(f"WARMING FAILED {failure}")
        self.stdout.write(report.summary)


def _fork_context():
    """Forked parsing processes share the pipeline's dictionaries, loaded once here (pipeline.prepare), instead
    of each loading its own; gc.freeze keeps the collector from touching, and so copying, those pages.
    Elsewhere than Linux, the platform's default way of starting processes."""
    if sys.platform != "linux":
        return None
    prepare()
    gc.freeze()
    return multiprocessing.get_context("fork")


@contextlib.contextmanager
def _interrupted_by_sigterm():
    """SIGTERM stops the import as Ctrl-C does (KeyboardInterrupt): the open batch is rolled back and the
    parsing processes are stopped, instead of the process vanishing and leaving them running."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    if threading.current_thread() is not threading.main_thread():  # call_command from a thread: no signals
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _die_with_parent(parent: int) -> None:
    """Set up a parsing process: the kernel kills it when the import's process dies, even by SIGKILL
    (Linux's PR_SET_PDEATHSIG); Ctrl-C and SIGTERM are the writer's to handle, which stops it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _stop_at_once(pool: ProcessPoolExecutor) -> None:
    """Kill the parsing processes now rather than waiting for the files they were given (shutdown would)."""
    # ProcessPoolExecutor.kill_workers() comes with Python 3.14; until then its own table of processes.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _default_workers(files: int) -> int:
    """One parsing process per core for a large import; none for a few files, where starting processes (each
    loads jieba's dictionary, about a second) costs more than it saves."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, MAX_DEFAULT_WORKERS) if files >= PARALLEL_FROM_FILES else 1


def _already_imported(files, names, digests, known: dict[str, set[str]]) -> set[str]:
    """The files whose bytes are in the database under their own name, or under a name that this import no
    longer holds (the file was moved or renamed).

    A copy with the same bytes beside the file it copies is a source of its own, as in a first import: an
    import killed after the first of them must still write the others when it is run again.
    """
    unchanged = {path for path in files if names[path] in known.get(digests.get(path), ())}
    present = set(names.values())
    vanished = {digest: sorted(set(old) - present) for digest, old in known.items()}
    for path in files:
        if path not in unchanged and vanished.get(digests.get(path)):
            vanished[digests[path]].pop()
            unchanged.add(path)
    return unchanged


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _safe_process_all(jobs: list[tuple[str, str]], max_bytes: int) -> list[tuple[str, object]]:
    return [(job[0], _safe_process(job, max_bytes)) for job in jobs]


def _safe_process(job: tuple[str, str], max_bytes: int):
    path, name = job
    try:
        return with_shingles(process_path(path, max_bytes, name=name))
    except UnreadableFile as error:
        return error
    except Exception as error:  # a pipeline bug on one file is reported, not fatal
        return UnreadableFile(f"could not be processed: {error!r}")


class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int, stream, enabled: bool):
        self.total, self.stream, self.enabled, self.count = total, stream, enabled, 0

    def step(self):
        self.count += 1
        if self.enabled:
            filled = int(30 * self.count / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}", ending="")
            self.stream.flush()

    def done(self):
        if self.enabled:
            self.stream.write("")
