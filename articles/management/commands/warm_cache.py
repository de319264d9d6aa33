"""Render the main pages into the shared page cache, e.g. after curating in bulk."""

from django.core.management.base import BaseCommand, CommandError

from articles.warm import warm_pages


class Command(BaseCommand):
    help = ("Render the overview, the comparison and each donor's and prefecture's page, in every language, "
            "into the shared cache (Redis), so their first visitor does not wait for the aggregates.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Warm even a per-process cache (local memory), which only this process reads")
        parser.add_argument("--quiet", action="store_true", help="Print only the pages that failed")

    def handle(self, *args, force, quiet, **options):
        report = warm_pages(force=force)
        for failure in report.failures:
            self.stderr.write(f"WARMING FAILED {failure}")
        if not quiet:
            self.stdout.write(report.summary)
        if report.failed:
            raise CommandError(f"{len(report.failed)} page(s) failed to render; see the messages above.")
