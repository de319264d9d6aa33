"""Print the extractor's precision, recall and attribution accuracy against a gold file."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.text.evaluate import ATTRIBUTES, evaluate, load_gold


class Command(BaseCommand):
    help = "Score extraction against hand-annotated gold figures (JSON lines)."

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="+", help="Gold JSONL files (see tests/data/gold/README.md)")
        parser.add_argument("--quiet", action="store_true", help="Only the summary, not the misses")

    def handle(self, *args, gold, quiet, **options):
        gold_paths = gold
        rows = []
        for path in gold_paths:
            try:
                rows.extend({**row, "_dir": os.path.dirname(path)} for row in load_gold(path))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read gold file {path}: {error}") from error
        folders = sorted({row.pop("_dir") for row in rows})
        search = [d for f in folders for d in (f, os.path.join(f, "extra"))] + [str(settings.BASE_DIR / "seeds")]
        try:
            report = evaluate(rows, search)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"precision {report.precision:.3f} ({report.true_hits}/{report.predictions})  "
            f"recall(core) {report.recall:.3f} ({report.found_core}/{report.gold_core})  "
            f"recall(all) {report.recall_all:.3f}  non-aid hits {report.non_aid_hits}"
        )
        self.stdout.write("  ".join(f"{a} {report.accuracy(a):.3f}" for a in ATTRIBUTES))
        if quiet:
            return
        for file, number, context in report.misses:
            self.stdout.write(f"MISS   {file} {number} «{context}»")
        for file, number, context, why in report.false_hits:
            self.stdout.write(f"FALSE  {file} {number} «{context}» ({why})")
        for file, number, attribute, expected, got in report.wrong:
            self.stdout.write(f"WRONG  {file} {number} {attribute}: gold {expected} got {got}")
