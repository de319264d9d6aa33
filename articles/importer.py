"""An import run: the files, web archives and web pages to read, those already imported, the parsing processes,
and the loader's batches.

import_articles is its command line; the parsing runs in a pool of forked processes for a large import, the
writing in this one (articles/loader.py). Web pages are fetched by articles/collect/ before the writing starts.
"""

import collections
import contextlib
import ctypes
import dataclasses
import gc
import hashlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings

from .collect.fetch import Policy
from .collect.origin import WebSource
from .collect.warc import ArchiveUnreadable, archive_pages, is_archive
from .collect.web import WebCollector, with_page_date
from .gazetteer_sync import ensure_gazetteer
from .loader import ImportStats, Loader
from .nearcopies import with_shingles
from .text.decode import UnreadableFile
from .text.pipeline import prepare, process_bytes, process_path, read_file
from .text.sources import collect_files, file_digest, read_address_list, source_names, web_source_name

# Files parsed per task in a parsing process.
FILES_PER_TASK = 8
# prctl option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
# Without `workers`, imports of this many files or more are parsed in parallel, by at most this many processes.
PARALLEL_FROM_FILES = 100
MAX_DEFAULT_WORKERS = 8


class ImportInterrupted(Exception):
    """Ctrl-C or SIGTERM stopped the import; the message says how far it got and what to do."""


@dataclass
class WebRequest:
    """What an import reads from the web besides files: addresses, files listing addresses, feeds; how politely."""

    urls: list[str] = field(default_factory=list)
    address_files: list[str] = field(default_factory=list)  # one address a line, `#` comments
    feeds: list[str] = field(default_factory=list)
    rate: float = 1.0  # requests a second to one host
    timeout: float = 20.0  # seconds

    def __bool__(self):
        return bool(self.urls or self.address_files or self.feeds)


@dataclass
class ImportRun:
    stats: ImportStats = field(default_factory=ImportStats)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, what the pipeline noticed)
    seconds: float = 0.0

    @property
    def wrote(self) -> bool:
        return self.stats.files > self.stats.files_unchanged


def import_files(paths: list[str], workers: int | None = None, on_start: Callable[[int], None] = lambda total: None,
                 on_file: Callable[[], None] = lambda: None, web: WebRequest | None = None) -> ImportRun:
    """Import the files (or folders, recursively) at `paths`, the pages of the web archives among them, and the
    pages `web` asks for; every file or address that fails is in stats.failed.

    Files already imported byte for byte are skipped before parsing, even if moved or renamed; so are pages whose
    address was imported with the same bytes. `on_start` gets the number of files and addresses to read,
    `on_file` is called after each one. Raises ImportInterrupted on Ctrl-C or SIGTERM, after rolling back the
    files since the last commit.
    """
    started = time.perf_counter()
    run = ImportRun()
    web = web or WebRequest()
    files, problems = collect_files(paths)
    run.stats.failed.extend(problems)
    archives = [path for path in files if is_archive(path)]
    files = [path for path in files if not is_archive(path)]
    urls = list(web.urls)
    for address_file in web.address_files:
        listed, unreadable = read_address_list(address_file)
        urls.extend(listed)
        run.stats.failed.extend(unreadable)
    urls = list(dict.fromkeys(urls))  # each address once
    ensure_gazetteer()
    loader = Loader()
    names = source_names(files, paths)
    known = loader.imported_files()
    max_bytes = settings.AIDMAP_MAX_FILE_BYTES
    digests = {path: file_digest(path, max_bytes) for path in files} if known else {}
    unchanged = _already_imported(files, names, digests, known)
    jobs = [(path, names[path]) for path in files if path not in unchanged]
    run.stats.files = run.stats.files_unchanged = len(unchanged)
    done = 0
    try:
        with _interrupted_by_sigterm():
            # Fetched before the writing starts: a transaction open while the network is waited on would hold
            # SQLite's write lock (and curators' saves) for minutes at one request a second.
            pages = _fetch(WebRequest(urls, [], web.feeds, web.rate, web.timeout), known, max_bytes)
        on_start(len(jobs) + len(archives) + len(pages))
        with _interrupted_by_sigterm(), loader.batches():
            for path, outcome in _process(jobs, workers or _default_workers(len(jobs))):
                _load(loader, run, path, outcome)
                done += 1
                on_file()
            for archive in archives:
                for label, outcome in _archive_pages(archive, max_bytes):
                    _load_page(loader, run, label, outcome, known)
                done += 1
                on_file()
            for label, outcome in pages:
                _load_page(loader, run, label, _kept_page(outcome, max_bytes), known)
                done += 1
                on_file()
    except KeyboardInterrupt as stop:
        raise ImportInterrupted(
            f"Interrupted ({stop or 'Ctrl-C'}) after {done} of {len(jobs)} files; the files since the last commit "
            f"were rolled back. Run the same import again to finish."
        ) from stop
    run.seconds = time.perf_counter() - started
    return run


def _load(loader: Loader, run: ImportRun, path: str, outcome) -> None:
    if isinstance(outcome, UnreadableFile):
        run.stats.failed.append((path, str(outcome)))
        return
    run.warnings.extend((path, warning) for warning in outcome.warnings)
    try:
        run.stats.merge(loader.load_file(outcome))
    except Exception as error:  # one bad file must not stop the others
        run.stats.failed.append((path, f"could not be stored, nothing of it was written: {error!r}"))


def _archive_pages(archive: str, max_bytes: int):
    """(address, WebSource or the reason it failed) for each page of the archive; (archive, reason) when it
    cannot be read at all."""
    try:
        for page in archive_pages(archive, max_bytes):
            if isinstance(page, WebSource):
                yield page.origin.url, with_page_date(page)
            else:
                yield f"{archive}: {page[0]}", page[1]
    except ArchiveUnreadable as error:
        yield archive, str(error)


def _fetch(web: WebRequest, known: dict[str, set[str]], max_bytes: int) -> list[tuple[str, WebSource | str]]:
    """(address, page or the reason it failed) for the addresses, then for each feed's items not imported
    before. The pages' bytes are left in the store (AIDMAP_FETCHED_DIR), to be read again as each is loaded."""
    if not web:
        return []
    seen = set().union(*known.values()) if known else set()
    policy = Policy(rate=web.rate, timeout=web.timeout, max_bytes=max_bytes)
    fetched = []
    with WebCollector(str(settings.AIDMAP_FETCHED_DIR), policy) as collector:
        pages = itertools.chain(collector.pages(web.urls), *(
            collector.feed_pages(feed, seen=lambda url: web_source_name(url) in seen) for feed in web.feeds))
        for label, outcome in pages:
            fetched.append((label, outcome if isinstance(outcome, str) else dataclasses.replace(outcome, body=b"")))
    return fetched


def _kept_page(page: WebSource | str, max_bytes: int) -> WebSource | str:
    """A fetched page with its bytes read back from the store."""
    if isinstance(page, str):
        return page
    try:
        return dataclasses.replace(page, body=read_file(page.path, max_bytes))
    except UnreadableFile as error:
        return f"the fetched copy {page.path}: {error}"


def _load_page(loader: Loader, run: ImportRun, label: str, outcome: WebSource | str, known) -> None:
    """Load one page (skipped when its address was imported with the same bytes), or name why it failed."""
    if isinstance(outcome, str):
        run.stats.failed.append((label, outcome))
        return
    name = web_source_name(outcome.origin.requested_url)
    if name in known.get(hashlib.sha256(outcome.body).hexdigest(), ()):
        run.stats.files += 1
        run.stats.files_unchanged += 1
        return
    try:
        processed = with_shingles(process_bytes(outcome.body, outcome.path, name, page_date=outcome.origin.published))
    except UnreadableFile as error:
        processed = error
    except Exception as error:  # a pipeline bug on one page is reported, not fatal
        processed = UnreadableFile(f"could not be processed: {error!r}")
    else:
        processed.origin = outcome.origin
    _load(loader, run, label, processed)


def _process(jobs, workers):
    """(path, ProcessedFile or UnreadableFile) in input order; parsing spread over processes."""
    max_bytes = settings.AIDMAP_MAX_FILE_BYTES
    if workers == 1:
        for job in jobs:
            yield job[0], _safe_process(job, max_bytes)
        return
    # Files go to the processes in small chunks (one task per file cost the writer more in hand-over than in
    # writing, docs/benchmarks-history.md), and at most two chunks per process are parsed ahead of the writer:
    # memory stays flat whatever the corpus size.
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
    loads jieba's dictionary) costs more than it saves."""
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
