"""Print the extractor's precision, recall and attribution accuracy against gold files, or (`--curated`) against
every curated decision in the database with the most frequent corrections."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import curated_source
from articles.curated_eval import DECISIONS, FIELDS, correction_text, score
from articles.text.evaluate import ATTRIBUTES, evaluate, load_gold


class Command(BaseCommand):
    help = ("Score extraction against hand-annotated gold figures (JSON lines), or with --curated against every "
            "curated decision in the database.")

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="*", help="Gold JSONL files (see tests/data/gold/README.md)")
        parser.add_argument("--quiet", action="store_true", help="Only the summary, not the misses")
        parser.add_argument("--curated", action="store_true",
                            help="Score the current extractor against the curators' decisions in the database "
                                 "(verified, edited, rejected, added) and list the most frequent corrections")
        parser.add_argument("--top", type=int, default=20, help="With --curated: how many corrections to list")

    def handle(self, *args, gold, quiet, curated, top, **options):
        if curated:
            if gold:
                raise CommandError("give either gold files or --curated, not both")
            return self.curated(quiet, top)
        if not gold:
            raise CommandError("give one or more gold files (JSON lines), or --curated")
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

    def curated(self, quiet: bool, top: int):
        if top < 1:
            raise CommandError("--top must be 1 or more")
        decisions = curated_source.decisions()
        if not decisions:
            raise CommandError("no curated figure in the database: verify, edit, reject or add figures first")
        readings = dict(curated_source.readings({d.article for d in decisions}))
        report = score(decisions, readings)
        self.stdout.write("decisions: " + ", ".join(f"{name} {report.decisions[name]}" for name in DECISIONS))
        self.stdout.write(
            f"recall {report.recall:.3f} ({report.found}/{report.truths} verified, edited or added figures read)  "
            f"precision {report.precision:.3f} ({report.false_positives} rejected figures still read, "
            f"{report.rejected_dropped} no longer)"
        )
        self.stdout.write("  ".join(f"{name} {report.accuracy(name):.3f}" for name in FIELDS))
        names = curated_source.display_names()
        corrections = report.top_corrections(top)
        self.stdout.write("most frequent corrections:" if corrections else "no corrections: every field right")
        for correction, times in corrections:
            self.stdout.write(f"  {correction_text(correction, times, names)}")
        for label, decisions in (("misses", report.misses), ("false positives", report.still_false)):
            if decisions:
                self.stdout.write(f"{label} by kind: " + ", ".join(
                    f"{kind} ×{times}" for kind, times in report.by_kind(decisions)))
        if quiet:
            return
        for decision in report.misses:
            self.stdout.write(f"MISS   article {decision.article} p{decision.paragraph} {decision.number_text} "
                              f"({decision.decision})")
        for decision in report.still_false:
            self.stdout.write(f"FALSE  article {decision.article} p{decision.paragraph} {decision.number_text} "
                              "(rejected by a curator)")
