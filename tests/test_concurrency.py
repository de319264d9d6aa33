"""An import running while gunicorn serves pages: no error on either side, on SQLite and on PostgreSQL.

Runs real processes against a database of its own (a SQLite file in WAL mode, or a fresh PostgreSQL database
when DATABASE_URL points at PostgreSQL), because the test database of the other tests is not shared with
other processes.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PAGES = ["/", "/compare/", "/metrics/", "/metrics/?format=csv", "/articles/", "/provinces/shandong/",
         "/areas/kashi-diqu/", "/metrics/?province=jiangsu&sector=industry"]
COPIES = 12  # rounds of the seeds, each slightly changed, so the import lasts several seconds


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path}/concurrency.sqlite3"
        return
    psycopg = pytest.importorskip("psycopg")
    server, name = url.rsplit("/", 1)[0], f"aidmap_concurrency_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_pages_keep_answering_while_an_import_writes(tmp_path, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "GUNICORN_ACCESS_LOG": ""}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "import_articles", "--no-progress", str(SEEDS)], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    corpus = _changed_copies_of_the_seeds(tmp_path / "corpus")

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_serving(port, server)
        importer = subprocess.Popen([*manage, "import_articles", "--no-progress", "--workers", "2", str(corpus)],
                                    env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        statuses = []
        with ThreadPoolExecutor(max_workers=3) as pool:
            while importer.poll() is None:
                statuses += pool.map(lambda page: _status(port, page), PAGES)
        out, err = importer.communicate()
        statuses += [_status(port, page) for page in PAGES]  # and after it, with the new data
    finally:
        server.terminate()
        server_log = server.communicate(timeout=30)[0].decode(errors="replace")

    assert importer.returncode == 0, err.decode(errors="replace")
    assert f"Imported {COPIES * 5} files" in out.decode()
    assert len(statuses) > 2 * len(PAGES), "the import ended before pages were asked for during it"
    assert set(statuses) == {200}, (sorted(set(statuses)), server_log[-3000:])
    assert "Traceback" not in server_log, server_log[-3000:]


def _changed_copies_of_the_seeds(folder: Path) -> Path:
    for round_number in range(COPIES):
        target = folder / f"round-{round_number:02d}"
        target.mkdir(parents=True)
        for seed in SEEDS.iterdir():
            shutil.copy(seed, target / seed.name)
            with open(target / seed.name, "ab") as handle:  # new bytes: a new file to import
                handle.write(f"\n（第{round_number + 1}次转载）\n".encode())
    return folder


def _status(port: int, page: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError("gunicorn stopped: " + server.stdout.read().decode(errors="replace"))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start within 60 s")
