"""Export every metric that is not rejected, as JSON lines, CSV or xlsx."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.export import iter_csv, iter_jsonl, iter_records, write_xlsx
from articles.models import Metric

WRITERS = {"jsonl": iter_jsonl, "csv": iter_csv}


class Command(BaseCommand):
    help = (
        "Write every non-rejected metric, one record each, to stdout or --output. Each record's url is absolute "
        "with --site-url or the SITE_URL setting; without either it is the site-relative path (/articles/…)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=[*sorted(WRITERS), "xlsx"], default="jsonl")
        parser.add_argument("--output", help="File to write (default: standard output; xlsx needs a file)")
        parser.add_argument(
            "--site-url", default=None,
            help="The site's address (https://host) that makes each url absolute; default: the SITE_URL setting, "
                 "and without it the site-relative path",
        )

    def handle(self, *args, format, output, site_url, **options):
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx writes a workbook: give --output FILE.xlsx")
        root = (site_url if site_url is not None else settings.SITE_URL).rstrip("/")
        counter = Counter(iter_records(Metric.objects.not_rejected(), root))
        if not output:
            sys.stdout.writelines(WRITERS[format](counter))
            self.stderr.write(f"Exported {counter.count} metrics.")
            return
        partial = f"{output}.partial"  # a failed export never leaves a half-written file behind
        try:
            if format == "xlsx":
                with open(partial, "wb") as handle:
                    write_xlsx(counter, handle)
            else:
                with open(partial, "w", encoding="utf-8", newline="") as handle:
                    handle.writelines(WRITERS[format](counter))
            os.replace(partial, output)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror or error}") from error
        self.stdout.write(f"Exported {counter.count} metrics to {output}.")


class Counter:
    """Passes records through and counts them."""

    def __init__(self, records):
        self.records, self.count = records, 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            yield record
