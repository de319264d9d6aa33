"""Faults: Redis down or hanging, the database failing mid-request and mid-export, an import killed half-way.

Each ends where a run without the fault ends: the same pages, the same rows.
"""

import contextlib
import io
import itertools
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings

from aidmap.settings import redis_cache
from articles import curation, export, selectors
from articles.choices import Status
from articles.models import Metric
from tests.factories import make_sample_world
from tests.test_concurrency import PAGES, _status, _wait_until_serving

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def public_pages(world) -> list[str]:
    return ["/", "/compare/", "/provinces/jiangsu/", "/areas/yili/", "/metrics/", "/metrics/?province=jiangsu",
            "/metrics/?format=csv", "/metrics/?format=json", "/articles/", f"/articles/{world.a.pk}/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cache_at(url: str, retry_after: float = 0.3) -> dict:
    """The production cache settings for Redis at `url`, trying again sooner so that tests stay short."""
    settings = redis_cache(url)
    settings["OPTIONS"] = {**settings["OPTIONS"], "RETRY_AFTER": retry_after}
    return {"default": settings}


class RedisServer:
    """A Redis of the test's own, which it may kill, pause (a Redis that hangs) and start again."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)  # nothing when it has ended

    def keys(self) -> int:
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2).dbsize()


@pytest.fixture
def world():
    return make_sample_world()


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    with override_settings(CACHES=cache_at(server.url)):
        yield server
    server.resume()
    server.kill()


# Redis ---------------------------------------------------------------------------------------------------------

def test_pages_are_served_from_the_database_while_redis_refuses_connections(client, world):
    with override_settings(CACHES=cache_at(f"redis://127.0.0.1:{free_port()}/0")):
        statuses = {page: client.get(page).status_code for page in public_pages(world)}
        summary = selectors.data_summary()
    assert set(statuses.values()) == {200}, statuses
    assert summary["metrics"] == Metric.objects.counted().count() > 0


def test_pages_are_served_while_redis_hangs_at_one_time_out_per_pause(client, world, private_redis):
    private_redis.pause()
    started = time.monotonic()
    with override_settings(CACHES=cache_at(private_redis.url, retry_after=60)):
        statuses = [client.get(page).status_code for page in public_pages(world)]
    seconds = time.monotonic() - started
    assert set(statuses) == {200}
    # One 1 s read time-out, then a pause longer than the test; waiting at each of the dozens of cache calls
    # of these pages would take dozens of seconds.
    assert seconds < 20, f"{seconds:.1f} s for {len(statuses)} pages: cache calls waited for Redis"


def test_redis_that_comes_back_is_used_again(client, world, private_redis):
    assert client.get("/").status_code == 200 and private_redis.keys() > 0
    private_redis.kill()
    assert client.get("/").status_code == 200
    private_redis.start()  # empty, as after a restart without persistence
    time.sleep(0.4)  # RETRY_AFTER
    assert client.get("/").status_code == 200
    assert private_redis.keys() > 0


def test_an_import_while_redis_is_down_writes_and_says_the_cache_could_not_be_invalidated():
    out, err = io.StringIO(), io.StringIO()
    with override_settings(CACHES=cache_at(f"redis://127.0.0.1:{free_port()}/0")):
        call_command("import_articles", str(SEEDS / "004_33cfab6a1a367774.txt"), stdout=out, stderr=err)
    assert "Imported 1 file (0 unchanged)" in out.getvalue()
    assert "WARNING the shared cache (Redis) was unreachable" in err.getvalue()


def test_writes_made_while_redis_hung_are_shown_when_it_answers_again(world, private_redis):
    assert selectors.data_summary()["verified"] == 1  # now cached in Redis, under the current data version
    private_redis.pause()
    curation.set_status(Metric.objects.filter(pk=world.funding_c.pk), Status.VERIFIED)  # its bump is lost
    assert selectors.data_summary()["verified"] == 2  # computed from the database meanwhile
    private_redis.resume()
    time.sleep(0.4)  # RETRY_AFTER
    assert selectors.data_summary()["verified"] == 2  # not the page cached before the outage
    assert cache.get("aidmap:data-version") is not None


# The database ------------------------------------------------------------------------------------------------

def database_down(execute, sql, params, many, context):
    """Every query fails, as when PostgreSQL restarts or the network to it drops."""
    raise OperationalError("server closed the connection unexpectedly")


def test_every_public_page_is_a_503_while_the_database_is_down(client, world):
    with connection.execute_wrapper(database_down):
        responses = {page: client.get(page) for page in public_pages(world)}
    assert {page: response.status_code for page, response in responses.items()} == \
        dict.fromkeys(responses, 503)
    for response in responses.values():
        assert response["Retry-After"] == "30"
        assert "服务暂时不可用" in response.content.decode() and "Temporarily unavailable" in response.content.decode()


def test_the_database_coming_back_serves_pages_again(client, world):
    with connection.execute_wrapper(database_down):
        assert client.get("/metrics/").status_code == 503
    assert client.get("/metrics/").status_code == 200


@pytest.mark.parametrize("format", ["csv", "json"])
def test_an_export_whose_database_fails_half_way_ends_with_an_error_and_a_broken_stream(client, world, monkeypatch,
                                                                                        format):
    records, calls = export.metric_record, itertools.count()

    def third_record_fails(metric):
        if next(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return records(metric)

    monkeypatch.setattr(export, "metric_record", third_record_fails)
    response = client.get(f"/metrics/?format={format}")
    assert response.status_code == 200
    lines = []
    with pytest.raises(OperationalError):  # so the server breaks the connection instead of ending the response
        for chunk in response.streaming_content:
            lines.append(chunk.decode("utf-8"))
    data_lines = 2 + (format == "csv")  # the header, then two records
    assert len(lines) == data_lines + 1
    assert export.INCOMPLETE in lines[-1]


@pytest.fixture(scope="module")
def site_without_redis(tmp_path_factory):
    """gunicorn as deployed (gunicorn.conf.py) serving the seeds, with REDIS_URL at a port where nothing
    listens, and a HOME of its own (where gunicorn would put a control socket)."""
    folder = tmp_path_factory.mktemp("site")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/site.sqlite3", "HOME": str(folder),
           "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "GUNICORN_ACCESS_LOG": ""}
    env.pop("XDG_RUNTIME_DIR", None)
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*MANAGE, "import_articles", "--no-progress", "--no-warm", str(SEEDS)], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--workers", "2"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_serving(port, server)
        yield SimpleNamespace(port=port, home=folder)
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_gunicorn_serves_every_page_while_redis_is_down(site_without_redis):
    statuses = {page: _status(site_without_redis.port, page) for page in PAGES}
    assert set(statuses.values()) == {200}, statuses


def test_gunicorn_opens_no_control_socket_shared_by_every_instance(site_without_redis):
    assert not (site_without_redis.home / ".gunicorn").exists()


# An import killed half-way -----------------------------------------------------------------------------------

ROUNDS = 12  # rounds of the seeds: 60 files, more than one batch of 50 (loader.BATCH_FILES)
DUMP = """
import json
from articles.models import Article, Metric, SourceFile

def article_key(article):
    return None if article is None else [article.source_file.name, article.position]

def metric_key(metric):
    return None if metric is None else [*article_key(metric.article), metric.paragraph.position, metric.number_text]

articles = [[*article_key(a), a.title, a.content_hash, a.is_aid, a.paragraphs.count(), article_key(a.duplicate_of)]
            for a in Article.objects.select_related("source_file", "duplicate_of__source_file")]
metrics = [[*metric_key(m), str(m.value), m.unit, m.kind, m.sector, m.status, round(m.confidence, 6),
            m.province and m.province.slug, m.area and m.area.slug, metric_key(m.duplicate_of)]
           for m in Metric.objects.select_related("article__source_file", "paragraph", "province", "area",
                                                  "duplicate_of__article__source_file", "duplicate_of__paragraph")]
files = list(SourceFile.objects.values_list("name", "sha256"))
print(json.dumps({"files": sorted(files), "articles": sorted(articles, key=str), "metrics": sorted(metrics, key=str)}))
"""


@pytest.fixture
def new_database(tmp_path):
    """Make empty, migrated databases of the kind DATABASE_URL names (SQLite files otherwise); dropped after."""
    url = os.environ.get("DATABASE_URL", "")
    made = []

    def make(label: str) -> str:
        if not url.startswith("postgres"):
            database = f"sqlite:///{tmp_path}/{label}.sqlite3"
        else:
            import psycopg

            name = f"aidmap_faults_{os.getpid()}_{label}"
            with psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}"')
                server.execute(f'CREATE DATABASE "{name}"')
            made.append(name)
            database = f"{url.rsplit('/', 1)[0]}/{name}"
        subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], env=env_for(database), cwd=ROOT, check=True)
        return database

    yield make
    if made:
        import psycopg

        with psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True) as server:
            for name in made:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)  # nothing to warm: each process its own cache
    return env


def corpus_with_copies(folder: Path) -> Path:
    """Rounds of the seeds: even rounds byte-identical copies (the same article saved twice), odd rounds each
    with a line added (a new file)."""
    for number in range(ROUNDS):
        target = folder / f"round-{number:02d}"
        target.mkdir(parents=True)
        for seed in sorted(SEEDS.iterdir()):
            data = seed.read_bytes() + (f"\n（第{number}次转载）\n".encode() if number % 2 else b"")
            (target / seed.name).write_bytes(data)
    return folder


def start_import(database_url: str, corpus: Path, output=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([*MANAGE, "import_articles", "--no-progress", "--workers", "2", str(corpus)],
                            env=env_for(database_url), cwd=ROOT, stdout=output, stderr=output)


def dump(database_url: str) -> dict:
    import json

    result = subprocess.run([*MANAGE, "shell", "-c", DUMP], env=env_for(database_url), cwd=ROOT, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.splitlines()[-1])  # after the shell's own lines


def children(pid: int) -> list[int]:
    listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in listed.split()]


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended, only not yet reaped
    except FileNotFoundError:
        return False


def wait_for_parsers(importer: subprocess.Popen, count: int = 2) -> list[int] | None:
    """The import's parsing processes once they all run; None when it ended without (nothing left to parse)."""
    deadline = time.monotonic() + 60
    while len(parsers := children(importer.pid)) < count:
        if importer.poll() is not None:
            return None
        assert time.monotonic() < deadline, "the import started no parsing processes"
        time.sleep(0.05)
    return parsers


def files_in(database_url: str) -> int:
    """Source files committed so far, read beside the running import."""
    if database_url.startswith("sqlite"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as database:
            return database.execute("SELECT COUNT(*) FROM articles_sourcefile").fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as database:
        return database.execute("SELECT COUNT(*) FROM articles_sourcefile").fetchone()[0]


def wait_for_files(database_url: str, count: int, importer: subprocess.Popen) -> None:
    while files_in(database_url) < count:
        assert importer.poll() is None, f"the import ended before {count} files were committed"
        time.sleep(0.02)


def assert_all_end(pids: list[int]) -> None:
    deadline = time.monotonic() + 10
    while (alive := [pid for pid in pids if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive == [], f"parsing processes {alive} outlived the import"


def test_an_import_killed_at_several_points_and_run_again_ends_with_the_data_of_a_clean_import(tmp_path, new_database):
    corpus = corpus_with_copies(tmp_path / "corpus")
    clean, resumed = new_database("clean"), new_database("resumed")
    importer = start_import(clean, corpus, output=subprocess.DEVNULL)
    wait_for_parsers(importer)
    started = time.monotonic()
    assert importer.wait() == 0
    parsing = time.monotonic() - started

    # Killed at random while parsing, writing or committing, and once just after the first batch's commit.
    rng, killed = random.Random(15), []
    for when in ("random", "first commit", "random"):
        importer = start_import(resumed, corpus, output=subprocess.DEVNULL)  # no pipe a stray process could hold
        if (parsers := wait_for_parsers(importer)) is None:
            break  # an earlier run got to the end before its kill
        if when == "first commit":
            wait_for_files(resumed, 50, importer)
        else:
            time.sleep(rng.uniform(0, 0.7 * parsing))
        killed.append((when, files_in(resumed)))
        importer.kill()
        importer.wait(timeout=60)
        assert_all_end(parsers)
    importer = start_import(resumed, corpus)
    out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err.decode()
    assert f"Imported {ROUNDS * 5} files" in out.decode()

    expected, got = dump(clean), dump(resumed)
    print(f"killed at {killed} (when, files written); a clean import parsed and wrote for {parsing:.1f} s")
    assert len(expected["files"]) == ROUNDS * 5
    assert got == expected


def test_sigterm_stops_an_import_with_its_parsing_processes_and_says_how_to_go_on(tmp_path, new_database):
    database = new_database("stopped")
    importer = start_import(database, corpus_with_copies(tmp_path / "corpus"))
    parsers = wait_for_parsers(importer)
    importer.terminate()
    out, err = importer.communicate(timeout=30)
    assert_all_end(parsers)
    assert importer.returncode == 1
    assert "Interrupted (stopped by signal 15)" in err.decode() and "Run the same import again" in err.decode()
    assert "Traceback" not in err.decode()
