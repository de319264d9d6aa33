"""Import article files: split, extract figures, write them; report every file that fails."""

import sys

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError

from articles.importer import ImportInterrupted, ImportRun, WebRequest, import_files
from articles.text.sources import split_arguments
from articles.warm import warm_pages


class Command(BaseCommand):
    help = ("Import news (files or folders, recursively; web archives; http(s) addresses; feeds) and extract "
            "their aid figures.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH_OR_URL",
                            help="Files or folders of article text, .warc/.warc.gz/.wacz archives, http(s) addresses")
        parser.add_argument("--urls", action="append", default=[], metavar="FILE",
                            help="A file of http(s) addresses, one a line (# starts a comment)")
        parser.add_argument("--feed", action="append", default=[], metavar="URL",
                            help="An RSS or Atom feed: its items not imported before are fetched and imported")
        parser.add_argument("--rate", type=float, default=1.0,
                            help="Requests a second to one web host, at most (default 1)")
        parser.add_argument("--timeout", type=float, default=20.0,
                            help="Seconds to wait for a web server to connect or send (default 20)")
        parser.add_argument(
            "--workers", type=int, default=None,
            help="Processes that parse files (default: one per CPU core for 100 files or more, else 1)",
        )
        parser.add_argument("--no-progress", action="store_true", help="Never draw the progress bar")
        parser.add_argument("--no-warm", action="store_true",
                            help="Do not render the main pages into the shared cache after a change")

    def handle(self, *args, paths, urls, feed, rate, timeout, workers, no_progress, no_warm, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more")
        if not rate > 0 or not timeout > 0:
            raise CommandError("--rate and --timeout must be more than 0")
        if not (paths or urls or feed):
            raise CommandError("Give at least one file, folder, web archive or http(s) address, --urls FILE or "
                               "--feed URL.")
        paths, addresses = split_arguments(paths)
        web = WebRequest(urls=addresses, address_files=urls, feeds=feed, rate=rate, timeout=timeout)
        progress = Progress(self.stderr, enabled=not no_progress and sys.stderr.isatty())
        try:
            run = import_files(paths, workers, on_start=progress.start, on_file=progress.step, web=web)
        except ImportInterrupted as stop:
            raise CommandError(str(stop)) from stop
        progress.done()
        self._report(run)
        if run.wrote and not no_warm:  # the loader wrote, so the cached pages are gone
            self._report_warming(warm_pages())
        if run.wrote and getattr(caches["default"], "unreachable", False):
            self.stderr.write("WARNING the shared cache (Redis) was unreachable, so the cached pages could not be "
                              "invalidated: once it is back, restart it or FLUSHDB its database (it holds nothing "
                              "else), or pages from before this import may be served for up to an hour.")
        if run.stats.failed:
            raise CommandError(f"{len(run.stats.failed)} file(s) failed; see the messages above.")

    def _report(self, run: ImportRun):
        stats = run.stats
        for path, warning in run.warnings:
            self.stderr.write(f"WARNING {path}: {warning}")
        for path, reason in stats.failed:
            self.stderr.write(f"FAILED {path}: {reason}")
        self.stdout.write(
            f"Imported {_count(stats.files, 'file')} ({stats.files_unchanged} unchanged), "
            f"{_count(stats.articles, 'article')} ({stats.articles_unchanged} unchanged), "
            f"{_count(stats.paragraphs, 'paragraph')}, metrics +{stats.metrics_created} "
            f"~{stats.metrics_updated} -{stats.metrics_removed}, "
            f"{stats.curated_flagged} curated flagged stale, {stats.near_copies} near-copies linked, "
            f"{len(stats.failed)} failed, in {run.seconds:.1f} s"
        )

    def _report_warming(self, report):
        for failure in report.failures:
            self.stderr.write(f"WARMING FAILED {failure}")
        self.stdout.write(report.summary)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, stream, enabled: bool):
        self.total, self.stream, self.enabled, self.count = 0, stream, enabled, 0

    def start(self, total: int):
        self.total = total

    def step(self):
        self.count += 1
        if self.enabled:
            filled = int(30 * self.count / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}", ending="")
            self.stream.flush()

    def done(self):
        if self.enabled:
            self.stream.write("")
