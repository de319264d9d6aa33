"""A person's path through the dashboard in a real Chromium: charts draw, clicks lead to the figures' sources."""

import re

import pytest

from articles.choices import Kind
from tests.factories import make_achieved, make_sample_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A function, not a bare expression: Playwright evaluates a bare expression again on every poll with
# eval(), which the site's Content-Security-Policy blocks once the first poll finds the charts undrawn.
ALL_DRAWN = ("() => document.querySelectorAll('.chart[data-figure]').length > 0 && "
             "document.querySelectorAll('.chart[data-figure]').length === "
             "document.querySelectorAll('.chart.drawn').length")


@pytest.fixture
def world():
    world = make_sample_world()
    # A second Shanghai projects figure: the Shanghai bar then stands for two metrics and opens the explorer.
    world.projects_extra = make_achieved(world.c, "20个", 12, kind=Kind.PROJECTS, unit_family="count", unit="个",
                                         province=world.shanghai, area=world.shache, year_end=2022)
    return world


def open_drawn(page, url):
    page.goto(url)
    page.wait_for_function(ALL_DRAWN)


def click_center(page, locator):
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_charts_draw_offline_without_errors(page, live_server, world):
    for path in ["/", "/compare/", "/provinces/jiangsu/", "/areas/xinjiang/", "/areas/kashgar/"]:
        open_drawn(page, live_server.url + path)
        assert page.locator(".chart.drawn .main-svg").count() > 0, path
    assert page.watch.errors == []
    assert page.watch.outside == []


def test_map_draws_regions_and_markers(page, live_server, world):
    open_drawn(page, live_server.url + "/")
    chart = page.locator(".chart.map.drawn")
    assert chart.locator(".geo").count() == 1
    # The paired areas as donor-coloured markers (the sample world's areas are not in the GeoJSON).
    assert chart.locator(".scattergeo .point").count() == 3
    assert page.watch.outside == [] and page.watch.errors == []


def test_compare_bar_to_explorer_to_highlighted_paragraph(page, live_server, world):
    open_drawn(page, live_server.url + "/compare/?kind=projects")
    bars = page.locator("#by-province .chart .bars .point path")
    assert bars.count() == 1
    click_center(page, bars.first)
    page.wait_for_url(re.compile(r"/metrics/\?ids="))
    rows = page.locator(".metrics-table a.row-link")
    assert rows.count() == 2
    # The extra figure has the same span, so the paragraph marks only the first of the two: open that one.
    page.locator(f'.metrics-table a.row-link[href*="metric={world.projects_c.pk}#"]').click()
    page.wait_for_url(re.compile(rf"/articles/{world.c.pk}/\?metric={world.projects_c.pk}#p-0"))
    mark = page.locator("#p-0 mark.current")
    assert mark.count() == 1 and mark.is_visible()
    assert mark.inner_text() == "20个"


def test_a_bar_of_one_figure_opens_its_paragraph(page, live_server, world):
    open_drawn(page, live_server.url + "/compare/?kind=trainees&unit=people")
    click_center(page, page.locator("#by-province .chart .bars .point path").first)
    page.wait_for_url(re.compile(rf"/articles/{world.a.pk}/\?metric={world.trained_a.pk}#p-1"))
    assert page.locator(f"#p-1 mark#m-{world.trained_a.pk}.current").is_visible()


def test_table_links_work_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/compare/?kind=projects")
    page.locator("#by-province table a", has_text="32").click()
    page.wait_for_url(re.compile(r"/metrics/\?ids="))
    assert page.locator(".metrics-table a.row-link").count() == 2
    context.close()


def test_reader_switches_between_normalized_and_original_text(page, live_server, world):
    page.goto(live_server.url + world.c.get_absolute_url())
    assert "上海援疆资金" in page.locator("#p-0").inner_text()
    page.get_by_role("link", name="Original as published").click()
    page.wait_for_url(re.compile(r"\?text=original"))
    assert "上海援疆資金約5億元" in page.locator("#p-0").inner_text()
    assert page.locator("#p-0 mark").count() == 0
    page.get_by_role("link", name="Normalized text with figures marked").click()
    page.wait_for_url(re.compile(r"\?text=normalized"))
    assert page.locator("#p-0 mark").count() == 2
