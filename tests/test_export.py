"""The export (articles/export.py): rows read without model objects, written as CSV, JSON lines and xlsx."""

from datetime import date

import pytest

from articles import export
from articles.models import Metric
from tests.factories import make_article, make_metric, make_sample_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_sample_world()
    # Cells every converter has to get right: empty texts, a decimal with a fraction, no date, a formula.
    article = make_article("=SUM(A1)", paragraphs=["资金0.5万元。"], published=None, publisher="")
    make_metric(article, "0.5万元", "5000.5", province=world.shanghai, period="", confidence=0.12345,
                quote="@cmd")
    return world


def written(lines) -> str:
    return "".join(lines)


@pytest.mark.parametrize("writer", [export.iter_csv, export.iter_jsonl])
def test_rows_path_writes_what_the_record_by_record_path_wrote(world, writer):
    metrics = Metric.objects.not_rejected()
    old = written(writer(export.iter_records(metrics)))
    new = written(writer(export.iter_rows_records(metrics)))
    assert new == old
    assert new.count("\n") >= Metric.objects.not_rejected().count()
