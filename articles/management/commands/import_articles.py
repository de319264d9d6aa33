"""Import article files: split, extract figures, write them; report every file that fails."""

import sys

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError

from articles.importer import ImportInterrupted, ImportRun, import_files
from articles.warm import warm_pages


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
        progress = Progress(self.stderr, enabled=not no_progress and sys.stderr.isatty())
        try:
            run = import_files(paths, workers, on_start=progress.start, on_file=progress.step)
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
