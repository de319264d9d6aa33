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
                # A gold file's texts sit beside it, in the folder of its own name (real.jsonl: real/), or in seeds/.
                texts = os.path.join(os.path.dirname(path), os.path.splitext(os.path.basename(path))[0])
                rows.extend({**row, "_dir": texts} for row in load_gold(path))
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read gold file {path}: {error}") from error
        folders = sorted({row.pop("_dir") for row in rows})
        search = folders + [str(settings.BASE_DIR / "seeds")]
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
        if report.staged:
            self.stdout.write(f"stage {report.stage_accuracy:.3f} "
                              f"({report.stage_right}/{report.staged} found figures with a gold stage)")
        self.stdout.write(f"confidence: Brier score {report.brier:.3f}; "
                          f"right at >= 0.8: {report.right_share_at(0.8):.3f}")
        for low, high, count, right in report.reliability():
            self.stdout.write(f"  {low:.1f}-{high:.1f}  {count:4d} figures  {right:.2f} right")
        if quiet:
            return
        for file, number, context in report.misses:
            self.stdout.write(f"MISS   {file} {number} «{context}»")
        for file, number, context, why in report.false_hits:
            self.stdout.write(f"FALSE  {file} {number} «{context}» ({why})")
        for file, number, attribute, expected, got in report.wrong:
            self.stdout.write(f"WRONG  {file} {number} {attribute}: gold {expected} got {got}")
