"""Every hand-written list of a figure's fields covers the fields articles/figure_fields.py declares.

The loader's, curation's and the export's lists are derived from the declaration; these are the lists that stay
written by hand (docs/development.md: adding a field to a figure). Each test names the list to fix.
"""

import ast
import dataclasses
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets

from articles import curation, export
from articles.admin.forms import AddFigureForm
from articles.admin.metrics import MetricAdmin
from articles.figure_fields import DRAFT_ONLY, EXTRACTED, FACT_FIELDS, FIGURE_FIELDS
from articles.filters import MetricFilterSet
from articles.loader import METRIC_FIELDS, Loader
from articles.models import Metric
from articles.text.extract import MetricDraft

ROOT = Path(__file__).resolve().parent.parent
NAMES = {f.name for f in FIGURE_FIELDS}

# Metric's fields that are not the figure's: its review state and the row's bookkeeping.
REVIEW_FIELDS = {
    "id", "article", "status", "origin", "duplicate_of", "merged_by_curator", "stale", "extraction_key",
    "created_at", "updated_at", "fulfilled_by", "plan_link_by_curator",
}
# Shown on the change page together, as the figure marked in its paragraph, not as fields of their own.
IN_FIGURE_IN_PARAGRAPH = {"paragraph", "start", "end", "quote"}
# Gold annotation columns that are not a figure's field: where it is, and the annotator's notes.
GOLD_ONLY = {"file", "context", "core", "note"}


def test_every_metric_field_is_declared_or_review_state():
    model_fields = {f.name for f in Metric._meta.concrete_fields}
    assert model_fields - REVIEW_FIELDS == NAMES, "add the field to articles/figure_fields.py FIGURE_FIELDS"


def test_every_draft_attribute_is_stored_or_said_why_not():
    attributes = {f.name for f in dataclasses.fields(MetricDraft)}
    stored = {f.draft for f in EXTRACTED}
    assert stored.isdisjoint(DRAFT_ONLY)
    assert attributes == stored | DRAFT_ONLY.keys(), "map the MetricDraft attribute in FIGURE_FIELDS or DRAFT_ONLY"


def test_the_extractor_fills_every_draft_attribute():
    """_draft (articles/text/extract.py) passes each attribute by name: a defaulted one is easily forgotten."""
    tree = ast.parse((ROOT / "articles/text/extract.py").read_text())
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_draft")
    (call,) = [n for n in ast.walk(function) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "MetricDraft"]
    assert {k.arg for k in call.keywords} == {f.name for f in dataclasses.fields(MetricDraft)}


def test_reimport_updates_every_extracted_field():
    assert set(METRIC_FIELDS) == {f.name for f in EXTRACTED}


@pytest.mark.django_db
def test_the_loader_writes_every_extracted_field():
    draft = MetricDraft(
        paragraph=0, start=0, end=4, number_text="30亿元", quote="安排援疆资金30亿元。", value=3, value_high=None,
        unit="元", unit_family="money", approx="exact", kind="funding", sector="general", province=None,
        donor_city=None, area=None, period="", year_start=None, year_end=None, confidence=0.5,
    )
    paragraph = type("Row", (), {"pk": 7})()
    values = Loader()._metric_values(paragraph, draft)
    assert set(values) == {Metric._meta.get_field(f.name).attname for f in EXTRACTED}


def test_curation_fact_fields_are_the_declared_ones():
    assert curation.FACT_FIELDS == FACT_FIELDS


def test_export_columns_are_the_published_ones():
    """Derived from the declaration, and a contract with whoever reads the files: a change here is on purpose."""
    assert export.FIELDS == [
        "id", "source_file", "source_url", "article_id", "article_title", "published", "paragraph", "quote",
        "number_text", "value", "unit", "approx", "kind", "sector", "stage", "province", "donor_city",
        "area", "period", "confidence", "status", "url",
    ]


def test_add_figure_form_asks_for_every_fact():
    assert set(AddFigureForm.Meta.fields) == FACT_FIELDS | {"paragraph"}, "fix AddFigureForm.Meta.fields"


def test_add_figure_fieldsets_show_every_fact():
    shown = set(flatten_fieldsets(MetricAdmin.add_fieldsets))
    assert shown - {"occurrence"} == FACT_FIELDS | {"paragraph"}, "fix MetricAdmin.add_fieldsets"


def test_change_fieldsets_show_every_figure_field():
    fieldsets = MetricAdmin(Metric, admin.site).get_fieldsets(request=None, obj=Metric())
    shown = set(flatten_fieldsets(fieldsets))
    assert (NAMES - IN_FIGURE_IN_PARAGRAPH) - shown == set(), "fix MetricAdmin.get_fieldsets"
    assert "figure_in_paragraph" in shown


def test_explorer_filters_the_declared_fields():
    filtered = {f.field_name.split("__")[0] for f in MetricFilterSet.base_filters.values()} & NAMES
    assert filtered == {f.name for f in FIGURE_FIELDS if f.filter}, "fix MetricFilterSet or FigureField.filter"


def test_gold_checker_knows_the_annotated_fields():
    tree = ast.parse((ROOT / "tests/data/gold/check_gold.py").read_text())
    lists = {
        target.id: ast.literal_eval(node.value)
        for node in tree.body if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name) and target.id in ("FIELDS", "OPTIONAL_FIELDS")
    }
    columns = set(lists["FIELDS"]) | set(lists.get("OPTIONAL_FIELDS", ()))
    # The pipeline's attributes no column stores yet may be annotated already, to measure the extractor.
    declared = {f.name for f in FIGURE_FIELDS if f.gold} | (DRAFT_ONLY.keys() & columns)
    assert columns - GOLD_ONLY == declared, "fix FIELDS in tests/data/gold/check_gold.py or FigureField.gold"


def test_the_api_record_carries_every_exported_field():
    """/api/v1/metrics/ reads its own columns (values() with labels joined in SQL): each exported field must be in
    both its query and its schema."""
    from articles.api import metrics as api_metrics
    from articles.api.schemas import Metric as MetricRecord

    missing_from_schema = set(export.EXPORTED) - set(MetricRecord.model_fields)
    assert not missing_from_schema, "fix articles/api/schemas.Metric"
    queried = {column.split("__")[0] for column in api_metrics.COLUMNS}
    assert set(export.EXPORTED) <= queried, "fix articles/api/metrics.COLUMNS"
