"""Property: whatever curators do and however files are re-imported, every decision stands and nothing counts twice.

Hypothesis generates sequences of curation actions (verify, reject, edit a value, stage or attribution, add a
missed figure, merge, link a plan to its delivery or unlink it, edit an article) interleaved with re-imports of
changed and unchanged files, on two real seed articles. After every step: each figure a curator decided on still
exists with the decision as they left it (its plan link included), the loader sees it as curated, each merge
still counts its fact once, a linked plan is not counted, no two counted figures cover the same characters, and
the article fields a curator set are kept. Derandomized, so CI runs the same sequences each time.
"""

import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from articles import curation
from articles.choices import Kind, Sector, Stage, Status
from articles.models import Article, Metric, Paragraph, Province, RecipientArea

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FILES = ["002_2c688e714d0df1b1.txt", "004_33cfab6a1a367774.txt"]
# What a curator's decision on a figure is: a re-import may move its span, never change these.
DECISION = ["status", "origin", "number_text", "value", "unit_family", "kind", "sector", "stage", "province_id",
            "area_id", "duplicate_of_id", "merged_by_curator", "fulfilled_by_id", "plan_link_by_curator"]
NUMBER = re.compile(r"\d+(?:\.\d+)?")

pytestmark = pytest.mark.django_db

index = st.integers(min_value=0, max_value=10_000)


def import_files(folder: Path) -> None:
    call_command("import_articles", str(folder), "--no-warm", stdout=io.StringIO(), stderr=io.StringIO())


def pick(items: list, i: int):
    return items[i % len(items)] if items else None


class CurationAndReimports(RuleBasedStateMachine):
    folder: Path  # set by the test: the imported copy of FILES

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()  # each sequence starts from the imported files and is rolled back at teardown
        self.originals = {name: (SEEDS / name).read_text(encoding="utf-8") for name in FILES}
        for name, text in self.originals.items():
            (self.folder / name).write_text(text, encoding="utf-8")
        self.decided: set[int] = set()  # figures a curator acted on
        self.merges: list[set[int]] = []  # the members of each merge, canonical included
        self.article_fields: dict[int, dict] = {}
        self.expected: dict[int, list] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- what the curators do --------------------------------------------------------------------------------

    def _metrics(self, **filters) -> list[Metric]:
        return list(Metric.objects.filter(**filters).order_by("pk"))

    @rule(i=index, status=st.sampled_from([Status.VERIFIED, Status.REJECTED]))
    def set_status(self, i, status):
        metric = pick(self._metrics(), i)
        if metric is None:
            return
        if curation.set_status(Metric.objects.filter(pk=metric.pk), status):
            self.decided.add(metric.pk)
        self._record()

    @rule(i=index, kind=st.sampled_from([Kind.FUNDING, Kind.PROJECTS, Kind.OTHER]),
          sector=st.sampled_from([Sector.HEALTH, Sector.EDUCATION]))
    def edit_kind_and_sector(self, i, kind, sector):
        metric = pick(self._metrics(), i)
        if metric is None:
            return
        if curation.update_metrics(Metric.objects.filter(pk=metric.pk), {"kind": kind, "sector": sector}):
            self.decided.add(metric.pk)
        self._record()

    @rule(i=index, stage=st.sampled_from(list(Stage)))
    def edit_stage(self, i, stage):
        metric = pick(self._metrics(), i)
        if metric is None:
            return
        if curation.update_metrics(Metric.objects.filter(pk=metric.pk), {"stage": stage}):
            self.decided.add(metric.pk)
        self._record()

    @rule(i=index, value=st.integers(min_value=1, max_value=10**9))
    def edit_value(self, i, value):
        metric = pick(self._metrics(), i)
        if metric is None:
            return
        if curation.update_metrics(Metric.objects.filter(pk=metric.pk), {"value": Decimal(value)}):
            self.decided.add(metric.pk)
        self._record()

    @rule(i=index, j=index, k=index)
    def edit_attribution(self, i, j, k):
        metric = pick(self._metrics(), i)
        province = pick(list(Province.objects.filter(parent__isnull=True).order_by("pk")), j)
        area = pick(list(RecipientArea.objects.order_by("pk")), k)
        if metric is None or province is None or area is None:
            return
        changed = curation.set_province(Metric.objects.filter(pk=metric.pk), province)
        if changed + curation.update_metrics(Metric.objects.filter(pk=metric.pk), {"area": area.pk}):
            self.decided.add(metric.pk)
        self._record()

    @rule(i=index, j=index)
    def add_missed_figure(self, i, j):
        """A number in a paragraph that no figure covers, added as a curator adds it in the admin."""
        paragraph = pick(list(Paragraph.objects.filter(article__source_file__isnull=False).order_by("pk")), i)
        if paragraph is None:
            return
        taken = [(m.start, m.end) for m in paragraph.metrics.all()]
        free = [
            match for match in NUMBER.finditer(paragraph.text)
            if match.start() in curation.figure_occurrences(paragraph.text, match.group())
            and not any(s < match.end() and match.start() < e for s, e in taken)
        ]
        match = pick(free, j)
        if match is None:
            return
        occurrence = curation.figure_occurrences(paragraph.text, match.group()).index(match.start()) + 1
        span = curation.locate_figure(paragraph, match.group(), occurrence)
        metric = curation.new_curator_metric(
            paragraph, span, number_text=match.group(), value=Decimal(match.group()), unit="个",
            unit_family="count", kind=Kind.OTHER, sector=Sector.GENERAL,
        )
        metric.save()
        self.decided.add(metric.pk)
        self._record()

    @rule(i=index, j=index)
    def merge(self, i, j):
        metrics = self._metrics()
        first = pick(metrics, i)
        if first is None:
            return
        same_family = [m for m in metrics if m.unit_family == first.unit_family and m.pk != first.pk]
        second = pick(same_family, j)
        if second is None:
            return
        try:
            canonical, _changed = curation.merge_metrics([first, second])
        except curation.CurationError:
            return  # already one fact
        members = set(Metric.objects.filter(duplicate_of=canonical).values_list("pk", flat=True)) | {canonical.pk}
        self.merges = [group for group in self.merges if not group & members] + [members]
        self.decided |= members
        self._record()

    @rule(i=index, j=index)
    def link_plan(self, i, j):
        """A curator links a figure, as a plan, to another as its delivery (articles/plans.py)."""
        metrics = self._metrics()
        plan, delivery = pick(metrics, i), pick(metrics, j)
        if plan is None:
            return
        try:
            changed = curation.link_plan(plan, delivery)
        except curation.CurationError:
            return  # itself, or a cycle
        self.decided |= {m.pk for m in changed} | {plan.pk}
        self._record()

    @rule(i=index)
    def unlink_plan(self, i):
        """A curator cuts a figure's plan links both ways; its plans then count on their own."""
        metric = pick(self._metrics(), i)
        if metric is None:
            return
        touched = {metric.pk} | set(Metric.objects.filter(fulfilled_by=metric).values_list("pk", flat=True))
        curation.unlink_plans(Metric.objects.filter(pk=metric.pk))
        self.decided |= touched
        self._record()

    @rule(i=index, title=st.sampled_from(["援疆成效综述", "南通援疆首年"]), is_aid=st.booleans())
    def edit_article(self, i, title, is_aid):
        article = pick(list(Article.objects.order_by("pk")), i)
        if article is None:
            return
        changed = [name for name, value in (("title", title), ("is_aid", is_aid)) if getattr(article, name) != value]
        article.title, article.is_aid = title, is_aid
        curation.mark_article_fields(article, changed)
        article.save()
        for name in changed:
            self.article_fields.setdefault(article.pk, {})[name] = getattr(article, name)

    # --- re-imports ------------------------------------------------------------------------------------------

    @rule()
    def reimport_unchanged(self):
        before = self._snapshot()
        import_files(self.folder)
        assert self._snapshot() == before

    @rule(f=st.sampled_from(FILES), line=index,
          change=st.sampled_from(["append", "prepend", "drop_number", "restore"]))
    def reimport_changed(self, f, line, change):
        path = self.folder / f
        lines = path.read_text(encoding="utf-8").split("\n")
        body = [n for n, text in enumerate(lines) if len(text) > 20]
        n = pick(body, line)
        if change == "append":
            lines[n] += "此外，工作组还开展了走访。"
        elif change == "prepend":
            lines[n] = "同时，" + lines[n]
        elif change == "drop_number":
            lines[n] = NUMBER.sub("若干", lines[n], count=1)
        else:
            lines = self.originals[f].split("\n")
        path.write_text("\n".join(lines), encoding="utf-8")
        import_files(self.folder)

    @rule(i=index)
    def reimport_without_a_curated_number(self, i):
        """The file is reworded where a figure a curator decided on stood: the figure goes stale."""
        metric = pick(sorted(self.decided), i)
        if metric is None:
            return
        metric = Metric.objects.select_related("paragraph", "article__source_file").get(pk=metric)
        path = self.folder / metric.article.source_file.name
        text = path.read_text(encoding="utf-8")
        line = next((line for line in text.split("\n") if metric.number_text in line), None)
        if line is None:
            return
        path.write_text(text.replace(line, line.replace(metric.number_text, "若干")), encoding="utf-8")
        import_files(self.folder)

    # --- what must hold after every step ------------------------------------------------------------------------

    def _snapshot(self) -> dict:
        return {
            pk: values for pk, *values in Metric.objects.order_by("pk").values_list("pk", *DECISION, "stale")
        }

    def _decisions(self) -> dict:
        rows = Metric.objects.filter(pk__in=self.decided).values_list("pk", *DECISION)
        return {pk: values for pk, *values in rows}

    def _record(self):
        """After a curator's action: the decisions as they now stand, which no re-import may change."""
        self.expected = self._decisions()

    @invariant()
    def decisions_stand(self):
        current = self._decisions()
        assert current.keys() == self.decided, f"curated figures gone: {sorted(self.decided - current.keys())}"
        curated = set(Metric.objects.curated().values_list("pk", flat=True))
        assert self.decided <= curated, f"decided but not curated: {sorted(self.decided - curated)}"
        for pk, values in current.items():
            assert values == self.expected[pk], f"figure #{pk}: {self.expected[pk]} became {values}"

    @invariant()
    def each_merge_counts_its_fact_once(self):
        counted = set(Metric.objects.counted().values_list("pk", flat=True))
        for members in self.merges:
            assert len(members & counted) <= 1, f"merged figures {sorted(members & counted)} are all counted"
            roots = set(Metric.objects.filter(pk__in=members).values_list("duplicate_of_id", flat=True)) - {None}
            assert len(roots) <= 1, f"merge {sorted(members)} points at {sorted(roots)}"

    @invariant()
    def a_linked_plan_is_not_counted_its_delivery_is_there(self):
        counted = set(Metric.objects.counted().values_list("pk", flat=True))
        for pk, delivery in Metric.objects.filter(fulfilled_by__isnull=False).values_list("pk", "fulfilled_by_id"):
            assert pk not in counted, f"#{pk} is the plan of #{delivery} and counted as well"
            assert Metric.objects.filter(pk=delivery).exists(), f"#{pk} is the plan of a deleted #{delivery}"

    @invariant()
    def no_two_counted_figures_cover_the_same_characters(self):
        spans = {}
        for paragraph, start, end, pk in Metric.objects.counted().values_list("paragraph_id", "start", "end", "pk"):
            for other_start, other_end, other in spans.get(paragraph, []):
                assert not (start < other_end and other_start < end), f"#{pk} and #{other} overlap"
            spans.setdefault(paragraph, []).append((start, end, pk))

    @invariant()
    def counted_figures_hold_their_number(self):
        for metric in Metric.objects.counted().select_related("paragraph"):
            assert metric.holds_its_number(metric.paragraph.text), f"#{metric.pk} counted on a stale span"

    @invariant()
    def article_fields_stand(self):
        for pk, fields in self.article_fields.items():
            article = Article.objects.get(pk=pk)
            assert {name: getattr(article, name) for name in fields} == fields


def test_curator_decisions_survive_any_sequence_of_curation_and_reimports(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for name in FILES:
        shutil.copy(SEEDS / name, folder / name)
    import_files(folder)
    CurationAndReimports.folder = folder
    run_state_machine_as_test(CurationAndReimports, settings=settings(
        max_examples=25, stateful_step_count=12, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))
