"""Faults: Redis down or hanging, the database failing mid-request and mid-export, an import killed half-way.

Each ends where a run without the fault ends: the same pages, the same rows.
"""

import itertools
import os
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
    statuses = [client.get(page).status_code for page in public_pages(world)]
    seconds = time.monotonic() - started
    assert set(statuses) == {200}
    assert seconds < 8, f"{seconds:.1f} s for {len(statuses)} pages: each cache call waited for Redis"


def test_redis_that_comes_back_is_used_again(client, world, private_redis):
    assert client.get("/").status_code == 200 and private_redis.keys() > 0
    private_redis.kill()
    assert client.get("/").status_code == 200
    private_redis.start()  # empty, as after a restart without persistence
    time.sleep(0.4)  # RETRY_AFTER
    assert client.get("/").status_code == 200
    assert private_redis.keys() > 0


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
        {page: 503 for page in responses}
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
