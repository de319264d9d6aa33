"""The review screen in a real Chromium at 1366×768: thirty figures reviewed with the keyboard alone."""

import importlib
import statistics
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client

from articles.choices import Kind, Status
from articles.models import Metric
from tests.factories import make_article, make_metric, make_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REVIEWED = 30
EDITED_AT, UNDONE_AT, LOOKED_AHEAD_AT = 9, 19, 4  # positions in the queue (0-based)
NEW_VALUE = "4500"


@pytest.fixture
def queue():
    """32 undecided figures, one per paragraph, in queue order (rising confidence); the last two stay undecided."""
    jiangsu = make_province("jiangsu", "江苏", "Jiangsu")
    paragraphs = [f"江苏援建第{n}批项目，带动就业{1000 + n}人。" for n in range(REVIEWED + 2)]
    article = make_article("江苏援疆就业综述", paragraphs=paragraphs)
    return [
        make_metric(article, f"{1000 + n}人", 1000 + n, paragraph=n, kind=Kind.JOBS, unit_family="people", unit="人",
                    province=jiangsu, confidence=round(0.1 + n / 100, 2))
        for n in range(REVIEWED + 2)
    ]


def ensure_curators_group():
    """The curators group as its data migration makes it: an earlier browser test's flush removed it."""
    migration = importlib.import_module("articles.migrations.0002_curators_group")
    migration.create_curators_group(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def curator_page(browser, live_server):
    ensure_curators_group()
    user = User.objects.create_user("alice", password="unused", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    page.user = user
    yield page
    context.close()


def wait_shown(page, metric):
    page.wait_for_function(
        "(id) => document.getElementById('review').dataset.shown === id", arg=str(metric.pk),
    )


def planned_decision(position: int) -> str:
    return Status.REJECTED if position % 4 == 3 else Status.VERIFIED


def test_thirty_figures_reviewed_with_the_keyboard_only(curator_page, live_server, queue):
    page = curator_page
    page.goto(live_server.url + "/admin/review/")
    wait_shown(page, queue[0])
    assert page.locator("#review-paragraph mark.figure").inner_text() == "1000人"
    assert page.locator("#site-name").inner_text() == "aidmap curation desk"
    assert not page.locator("#review-edit").is_visible() and not page.locator("#review-help").is_visible()

    page.keyboard.press("?")
    assert page.locator("#review-help").is_visible()
    page.keyboard.press("?")

    for position, metric in enumerate(queue[:REVIEWED]):
        wait_shown(page, metric)
        if position == LOOKED_AHEAD_AT:  # a look at the next figure and back, deciding nothing
            page.keyboard.press("j")
            wait_shown(page, queue[position + 1])
            page.keyboard.press("k")
            wait_shown(page, metric)
        if position == EDITED_AT:
            page.keyboard.press("e")
            page.wait_for_function("() => !document.getElementById('review-edit').hidden")
            page.keyboard.type(NEW_VALUE)  # the value is selected when the form opens
            page.keyboard.press("Enter")
        else:
            page.keyboard.press("v" if planned_decision(position) == Status.VERIFIED else "r")
        if position == UNDONE_AT:  # verified by mistake: undone, then rejected
            wait_shown(page, queue[position + 1])
            page.keyboard.press("u")
            wait_shown(page, metric)
            page.wait_for_function("() => document.getElementById('review-status').textContent === 'extracted'")
            page.keyboard.press("r")
    wait_shown(page, queue[REVIEWED])
    page.wait_for_function("() => document.getElementById('review').dataset.pending === '0'")

    expected = {m.pk: planned_decision(i) for i, m in enumerate(queue[:REVIEWED])}
    expected[queue[EDITED_AT].pk] = Status.EDITED
    expected[queue[UNDONE_AT].pk] = Status.REJECTED
    expected.update({m.pk: Status.EXTRACTED for m in queue[REVIEWED:]})
    assert dict(Metric.objects.values_list("pk", "status")) == expected
    assert Metric.objects.get(pk=queue[EDITED_AT].pk).value == int(NEW_VALUE)
    assert {m.value for m in Metric.objects.exclude(pk=queue[EDITED_AT].pk)} == {1000 + n for n in range(32) if n != 9}
    decided_by = set(Metric.history.filter(history_change_reason__startswith="review:")
                     .values_list("history_user__username", flat=True))
    assert decided_by == {"alice"}
    assert page.errors == []

    timings = page.evaluate("() => window.reviewTimings")
    assert len(timings) >= REVIEWED
    print(f"\nkeystroke → next figure shown, {len(timings)} keys: p50 {statistics.median(timings):.1f} ms, "
          f"p95 {statistics.quantiles(timings, n=20)[-1]:.1f} ms, max {max(timings):.1f} ms")
