"""The stage switch in a real Chromium: the overview's totals, its funding chart and its CSV link change together."""

import csv
import io

import pytest

from tests.browser.test_pages import open_drawn
from tests.test_stage_totals import make_staged_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FUNDING_BARS = ("document.querySelector('#headline-funding .chart.drawn').data[0].x.slice()"
                ".sort(function (a, b) { return a - b; })")


@pytest.fixture
def world():
    return make_staged_world()


def shown(page) -> dict:
    """What the overview shows of its stage: counted figures, funding table, funding bars, CSV link."""
    return {
        "counted": int(page.locator("#counted-figures").inner_text()),
        "table": page.locator("#headline-funding table td.num a").all_inner_texts(),
        "bars": page.evaluate(FUNDING_BARS),
        "csv": page.locator("a.csv-link").get_attribute("href"),
    }


def csv_stages(page, origin, href) -> list[str]:
    response = page.request.get(origin + href)
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
    return [row["stage"] for row in rows]


def test_switching_the_stage_changes_totals_chart_and_csv_together(page, live_server, world):
    open_drawn(page, live_server.url + "/")
    achieved = shown(page)
    assert achieved["bars"] == [0.5, 1.2]  # billion yuan: 上海, 江苏
    assert csv_stages(page, live_server.url, achieved["csv"]) == ["achieved"] * achieved["counted"]

    page.locator('.stage-switch a[data-stage="planned"]').click()
    page.wait_for_url("**/?stage=planned")
    page.wait_for_function("() => document.querySelectorAll('.chart.drawn').length > 0")
    open_drawn(page, page.url)
    planned = shown(page)
    assert planned["bars"] == [0.2, 0.8, 3.0]  # 浙江, 上海, 江苏
    assert planned["counted"] == 4 != achieved["counted"]
    assert planned["table"] != achieved["table"]
    assert "stage=planned" in planned["csv"]
    assert csv_stages(page, live_server.url, planned["csv"]) == ["planned"] * planned["counted"]
    assert page.locator('.stage-switch a.on').get_attribute("data-stage") == "planned"
    # The link to another page keeps the stage.
    assert page.locator(".site-nav a").nth(1).get_attribute("href") == "/compare/?stage=planned"
    assert page.watch.errors == [] and page.watch.outside == []
