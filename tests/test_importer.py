"""articles/importer.py without the command: what an import run reports, and the progress it announces."""

from pathlib import Path

import pytest

from articles.importer import import_files
from articles.models import SourceFile

pytestmark = pytest.mark.django_db

SEED = next((Path(__file__).resolve().parent.parent / "seeds").glob("004_*.txt"))


def test_an_import_run_reports_what_it_wrote_and_announces_each_file():
    announced, done = [], []
    run = import_files([str(SEED)], on_start=announced.append, on_file=lambda: done.append(1))
    assert run.wrote and not run.stats.failed
    assert (run.stats.files, run.stats.files_unchanged) == (1, 0)
    assert run.stats.metrics_created > 0
    assert announced == [1] and len(done) == 1
    assert SourceFile.objects.filter(name=SEED.name).exists()


def test_a_second_run_of_the_same_file_writes_nothing_and_parses_nothing():
    import_files([str(SEED)])
    announced = []
    run = import_files([str(SEED)], on_start=announced.append)
    assert not run.wrote
    assert (run.stats.files, run.stats.files_unchanged, run.stats.metrics_created) == (1, 1, 0)
    assert announced == [0]


def test_a_missing_path_is_a_failure_of_the_run_not_an_exception(tmp_path):
    run = import_files([str(tmp_path / "nope")])
    assert not run.wrote
    assert [path for path, _reason in run.stats.failed] == [str(tmp_path / "nope")]
