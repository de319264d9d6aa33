"""Export every metric that is not rejected, as JSON lines or CSV."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.export import iter_csv, iter_jsonl, iter_records
from articles.models import Metric

WRITERS = {"jsonl": iter_jsonl, "csv": iter_csv}


class Command(BaseCommand):
    help = "Write every non-rejected metric, one record each, to stdout or --output."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(WRITERS), default="jsonl")
        parser.add_argument("--output", help="File to write (default: standard output)")

    def handle(self, *args, format, output, **options):
        counter = Counter(iter_records(Metric.objects.not_rejected()))
        lines = WRITERS[format](counter)
        if not output:
            sys.stdout.writelines(lines)
            self.stderr.write(f"Exported {counter.count} metrics.")
            return
        partial = f"{output}.partial"  # a failed export never leaves a half-written file behind
        try:
            with open(partial, "w", encoding="utf-8", newline="") as handle:
                handle.writelines(lines)
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
