"""The review queue (the admin's change list of figures) at 1366 px wide: every row at most three lines tall."""

import pytest

from articles.admin.metrics import SOURCE_TITLE_CHARS
from articles.choices import Kind
from tests.browser.test_review import curator_page  # noqa: F401  (the fixture)
from tests.factories import make_area, make_article, make_metric, make_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_ROW_PX = 80

# A long real-looking sentence and title: the row must stay short whatever the text's length.
LONG_SENTENCE = (
    "据了解，今年以来，江苏省南通市对口支援伊宁县工作组围绕就业、教育、医疗等重点领域，累计投入援疆资金12.5亿元，"
    "实施援疆项目86个，其中民生项目占比超过八成，有力推动了受援地经济社会高质量发展和长治久安。"
)
LONG_TITLE = "江苏南通对口支援伊宁县工作取得显著成效：民生为先、产业为重、人才为本，援疆资金持续向基层倾斜"


@pytest.fixture
def queue():
    donor = make_province("jiangsu", "江苏", "Jiangsu")
    city = make_province("nantong", "南通", "Nantong", parent=donor)
    area = make_area("yining-county", "伊宁县", "Yining County")
    article = make_article(LONG_TITLE, paragraphs=[LONG_SENTENCE, "培训各类人才3000多人。"],
                           publisher="伊犁日报（伊犁州党委机关报）")
    return [
        make_metric(article, "12.5亿元", 1_250_000_000, province=donor, donor_city=city, area=area,
                    period="2021—2025年", year_start=2021, year_end=2025),
        make_metric(article, "86个", 86, kind=Kind.PROJECTS, unit_family="count", unit="个", province=donor, area=area),
        make_metric(article, "3000多人", 3000, paragraph=1, kind=Kind.TRAINEES, unit_family="people", unit="人"),
    ]


def test_rows_are_at_most_80_px_tall_at_1366_wide(curator_page, live_server, queue):  # noqa: F811
    page = curator_page
    page.goto(live_server.url + "/admin/articles/metric/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == len(queue)
    heights = page.evaluate("() => Array.from(document.querySelectorAll('#result_list tbody tr'), "
                            "(row) => row.getBoundingClientRect().height)")
    assert max(heights) <= MAX_ROW_PX, heights
    # Every column is in view: the table does not scroll sideways.
    assert page.evaluate("() => { const box = document.querySelector('.results'); "
                         "return box.scrollWidth <= box.clientWidth; }")
    source = page.locator("#result_list tbody tr td.field-source a").first
    assert source.inner_text() == f"{LONG_TITLE[:SOURCE_TITLE_CHARS]}…"
    assert source.get_attribute("title") == f"{LONG_TITLE} · 伊犁日报（伊犁州党委机关报） · 2024-05-01"
    assert page.locator("a.review-screen-link").get_attribute("href") == "/admin/review/"
    assert page.errors == []
