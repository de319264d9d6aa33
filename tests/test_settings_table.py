"""docs/deploy.md's settings table lists exactly the environment variables aidmap/settings.py reads."""

import os
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Settings (environment variables)"


class RecordingEnviron(dict):
    """A stand-in for os.environ that remembers every name asked for (os.getenv reads it too)."""

    def __init__(self, values):
        super().__init__(values)
        self.read = set()

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self.read.add(name)
        return super().__contains__(name)


def read_by_settings(**environ) -> set[str]:
    """The names settings.py asks for, run afresh with only `environ` set."""
    real, os.environ = os.environ, RecordingEnviron(environ)
    try:
        runpy.run_path(str(ROOT / "aidmap" / "settings.py"))
    finally:
        recording, os.environ = os.environ, real
    return recording.read


def documented() -> list[str]:
    """The variables in the first table under the settings heading of docs/deploy.md."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    section = text[text.index(HEADING):]
    table = re.search(r"^\|.*?(?=^[^|])", section, re.M | re.S).group()
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", table, re.M)


@pytest.fixture
def variables():
    """What settings.py reads, locally and in production (which reads the HTTPS settings besides)."""
    return read_by_settings() | read_by_settings(PRODUCTION="1", SECRET_KEY="x" * 50)


def test_every_variable_settings_reads_is_documented(variables):
    assert variables - set(documented()) == set(), "add a row to the settings table in docs/deploy.md"


def test_every_documented_variable_is_read_by_settings(variables):
    assert set(documented()) - variables == set(), "remove the row from docs/deploy.md, or read it in settings.py"


def test_the_table_lists_each_variable_once():
    names = documented()
    assert len(names) == len(set(names)) > 10
