"""A plan and its delivery are linked, not counted twice (issue 12): articles/plans.py, the curator's link and
unlink (articles/curation.py), and what the totals count."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from articles import curation
from articles.choices import Kind, Stage, Status
from articles.models import Metric
from articles.plans import CLOSE_PERCENT, link_plans
from tests.factories import make_area, make_article, make_metric, make_province
from tests.test_admin import admin_client as admin_client  # a fixture pytest finds here: `as` marks the re-export
from tests.test_admin import change_form_data, change_url, changelist_url, run_action
from tests.test_admin import superuser as superuser  # a fixture pytest finds here: `as` marks the re-export
from tests.test_import import run_import

pytestmark = pytest.mark.django_db

# A plan for 2024 reported in 2023, and its delivery reported in 2025 (both read by the real pipeline).
PLAN_TEXT = """江苏援疆工作会议召开

2023年5月10日 来源：新华日报

记者从江苏省援疆前方指挥部获悉，2024年江苏计划安排伊宁县援疆资金5亿元，重点用于产业发展和民生改善。
"""
DELIVERY_TEXT = """江苏援疆成效显著

2025年3月2日 来源：新华日报

记者从江苏省援疆前方指挥部获悉，2024年江苏已向伊宁县拨付援疆资金5.2亿元，重点用于产业发展和民生改善。
"""


@pytest.fixture
def world():
    jiangsu, shanghai = make_province("jiangsu", "江苏", "Jiangsu"), make_province("shanghai", "上海", "Shanghai")
    yining, shache = make_area("yining", "伊宁县", "Yining"), make_area("shache", "莎车县", "Shache")
    return jiangsu, shanghai, yining, shache


def figure(world, published, value, stage, **fields) -> Metric:
    """A funding figure of 江苏 in 伊宁县 for 2024 (unless `fields` say otherwise), in an article of `published`."""
    jiangsu, _shanghai, yining, _shache = world
    article = make_article(paragraphs=["援疆资金。"], published=published)
    values = {"province": jiangsu, "area": yining, "year_start": 2024, "year_end": 2024, "kind": Kind.FUNDING}
    return make_metric(article, value=value, stage=stage, **{**values, **fields})


def plan_and_delivery(world, plan_value=500_000_000, delivery_value=520_000_000, **delivery_fields):
    plan = figure(world, date(2023, 5, 10), plan_value, Stage.PLANNED)
    delivery = figure(world, date(2025, 3, 2), delivery_value, Stage.ACHIEVED, **delivery_fields)
    return plan, delivery


def link_of(metric: Metric) -> int | None:
    metric.refresh_from_db()
    return metric.fulfilled_by_id


# --- which figures are linked ---------------------------------------------------------------------------------


def test_a_plan_for_2024_in_a_2023_article_and_its_delivery_in_a_2025_article_are_linked(world):
    plan, delivery = plan_and_delivery(world)
    assert link_plans() == 1
    assert link_of(plan) == delivery.pk
    assert list(delivery.plans.all()) == [plan]
    assert plan.history.latest().history_change_reason == "import: linked to the later figure that delivers it"


def test_a_committed_figure_is_linked_as_a_plan_too(world):
    committed = figure(world, date(2024, 1, 5), 500_000_000, Stage.COMMITTED)
    delivery = figure(world, date(2025, 3, 2), 500_000_000, Stage.ACHIEVED)
    link_plans()
    assert link_of(committed) == delivery.pk


@pytest.mark.parametrize("difference", [
    {"year_start": 2023, "year_end": 2023},
    {"year_start": 2024, "year_end": 2025},
    {"year_start": None, "year_end": None},
    {"area": "shache"},
    {"area": None},
    {"province": "shanghai"},
    {"province": None},
    {"kind": Kind.INVESTMENT},
    {"unit_family": "people"},
])
def test_figures_that_differ_in_period_area_donor_or_kind_are_not_linked(world, difference):
    named = dict(zip(["jiangsu", "shanghai", "yining", "shache"], world, strict=True))
    fields = {name: named.get(value, value) if isinstance(value, str) else value for name, value in difference.items()}
    plan, _delivery = plan_and_delivery(world, **fields)
    assert link_plans() == 0
    assert link_of(plan) is None


def test_a_delivery_reported_before_the_plan_or_undated_is_not_linked(world):
    plan = figure(world, date(2023, 5, 10), 500_000_000, Stage.PLANNED)
    figure(world, date(2023, 5, 10), 500_000_000, Stage.ACHIEVED)  # same day: not later
    figure(world, date(2022, 1, 1), 500_000_000, Stage.ACHIEVED)
    figure(world, None, 500_000_000, Stage.ACHIEVED)
    assert link_plans() == 0
    assert link_of(plan) is None


def test_an_undated_plan_is_not_linked(world):
    plan = figure(world, None, 500_000_000, Stage.PLANNED)
    figure(world, date(2025, 3, 2), 500_000_000, Stage.ACHIEVED)
    link_plans()
    assert link_of(plan) is None


@pytest.mark.parametrize(("delivered", "linked"), [
    ("110", True), ("110.0001", False), ("90", True), ("89.9999", False), ("100", True),
])
def test_the_delivery_is_within_ten_percent_of_the_plan(world, delivered, linked):
    assert CLOSE_PERCENT == 10
    plan, delivery = plan_and_delivery(world, plan_value=100, delivery_value=Decimal(delivered))
    link_plans()
    assert link_of(plan) == (delivery.pk if linked else None)


def test_of_several_deliveries_the_nearest_in_value_then_the_earliest_is_taken(world):
    plan = figure(world, date(2023, 5, 10), 100, Stage.PLANNED)
    figure(world, date(2024, 6, 1), 95, Stage.ACHIEVED)
    later_nearest = figure(world, date(2025, 6, 1), 101, Stage.ACHIEVED)
    earliest_nearest = figure(world, date(2025, 1, 1), 99, Stage.ACHIEVED)
    link_plans()
    assert link_of(plan) == earliest_nearest.pk
    assert later_nearest.pk != earliest_nearest.pk


@pytest.mark.parametrize("state", ["rejected", "duplicate", "held", "not_aid", "stale", "planned"])
def test_a_delivery_that_is_not_counted_or_not_achieved_is_not_linked(world, state):
    plan, delivery = plan_and_delivery(world)
    if state == "rejected":
        delivery.status = Status.REJECTED
    elif state == "duplicate":
        delivery.duplicate_of = figure(world, date(2025, 1, 1), 1, Stage.UNKNOWN)
    elif state == "held":
        delivery.hold_reason = "too large for a county"
    elif state == "not_aid":
        delivery.article.is_aid = False
        delivery.article.save()
    elif state == "stale":
        delivery.stale = True
    else:
        delivery.stage = Stage.PLANNED
    delivery.save()
    link_plans()
    assert link_of(plan) is None


@pytest.mark.parametrize("state", ["held", "duplicate", "verified"])
def test_a_held_duplicate_or_curated_plan_is_not_linked(world, state):
    plan, _delivery = plan_and_delivery(world)
    if state == "held":
        plan.hold_reason = "too large for a county"
    elif state == "duplicate":
        plan.duplicate_of = figure(world, date(2022, 1, 1), 1, Stage.UNKNOWN)
    else:
        plan.status = Status.VERIFIED  # a re-import never touches a figure a curator decided on
    plan.save()
    link_plans()
    assert link_of(plan) is None


def test_a_link_is_kept_while_it_holds_and_released_when_its_delivery_no_longer_qualifies(world):
    plan, delivery = plan_and_delivery(world)
    link_plans()
    nearer = figure(world, date(2025, 1, 1), 500_000_000, Stage.ACHIEVED)  # but the plan is already linked
    assert link_plans() == 0
    assert link_of(plan) == delivery.pk
    Metric.objects.filter(pk=delivery.pk).update(status=Status.REJECTED)
    assert link_plans() == 1
    assert link_of(plan) == nearer.pk
    Metric.objects.filter(pk=nearer.pk).update(value=700_000_000)
    assert link_plans() == 1
    assert link_of(plan) is None
    assert plan.history.latest().history_change_reason == "import: its delivery no longer matches"


def test_a_deleted_delivery_releases_its_plan(world):
    plan, delivery = plan_and_delivery(world)
    link_plans()
    delivery.delete()
    assert link_of(plan) is None


# --- totals ----------------------------------------------------------------------------------------------------


def test_totals_count_a_plan_and_its_delivery_once(world):
    plan, delivery = plan_and_delivery(world)
    other_plan = figure(world, date(2023, 5, 10), 70, Stage.PLANNED, kind=Kind.PROJECTS, unit_family="count")

    def totals():
        rows = Metric.objects.counted().values("stage").annotate(total=Sum("value")).order_by("stage")
        return {row["stage"]: row["total"] for row in rows}

    assert totals() == {Stage.ACHIEVED: Decimal(520_000_000), Stage.PLANNED: Decimal(500_000_070)}
    link_plans()
    assert totals() == {Stage.ACHIEVED: Decimal(520_000_000), Stage.PLANNED: Decimal(70)}
    assert set(Metric.objects.counted().values_list("pk", flat=True)) == {delivery.pk, other_plan.pk}
    assert plan.pk not in set(Metric.objects.counted().values_list("pk", flat=True))


# --- curators decide -------------------------------------------------------------------------------------------


def test_a_curator_links_a_plan_by_hand_with_history_and_both_figures_become_curated(world):
    plan = figure(world, date(2023, 5, 10), 100, Stage.PLANNED)
    delivery = figure(world, date(2025, 3, 2), 300, Stage.ACHIEVED)  # too far apart for the import
    changed = curation.link_plan(plan, delivery)
    assert {m.pk for m in changed} == {plan.pk, delivery.pk}
    assert link_of(plan) == delivery.pk
    assert Metric.objects.curated().filter(pk__in=[plan.pk, delivery.pk]).count() == 2
    assert plan.history.latest().fulfilled_by_id == delivery.pk
    assert link_plans() == 0 and link_of(plan) == delivery.pk


def test_a_plan_cannot_be_linked_to_itself_or_into_a_cycle(world):
    first = figure(world, date(2023, 5, 10), 100, Stage.PLANNED)
    second = figure(world, date(2024, 5, 10), 100, Stage.COMMITTED)
    with pytest.raises(curation.CurationError, match="own delivery"):
        curation.link_plan(first, first)
    curation.link_plan(first, second)
    with pytest.raises(curation.CurationError, match="own delivery"):
        curation.link_plan(second, first)


def test_unlink_cuts_both_ways_and_the_import_does_not_link_again(world):
    plan, delivery = plan_and_delivery(world)
    link_plans()
    assert curation.unlink_plans(Metric.objects.filter(pk=delivery.pk)) == 2  # its plan, and itself
    assert link_of(plan) is None
    plan.refresh_from_db()
    assert plan.plan_link_by_curator and plan.is_curated
    assert plan.history.latest().history_change_reason == "unlink plan"
    assert link_plans() == 0
    assert link_of(plan) is None
    assert curation.unlink_plans(Metric.objects.filter(pk=delivery.pk)) == 0  # nothing left to change


# --- through the import --------------------------------------------------------------------------------------------


@pytest.fixture
def two_reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "plan.txt").write_text(PLAN_TEXT, encoding="utf-8")
    (folder / "delivery.txt").write_text(DELIVERY_TEXT, encoding="utf-8")
    return folder


def imported(number_text: str) -> Metric:
    return Metric.objects.get(number_text=number_text)


def test_the_import_links_a_plan_to_its_later_delivery(two_reports):
    run_import(two_reports)
    plan, delivery = imported("5亿元"), imported("5.2亿元")
    assert (plan.stage, delivery.stage) == (Stage.PLANNED, Stage.ACHIEVED)
    assert plan.fulfilled_by_id == delivery.pk
    assert list(Metric.objects.counted().values_list("number_text", flat=True)) == ["5.2亿元"]


def test_an_import_of_the_plan_alone_links_it_when_the_delivery_comes(two_reports):
    delivery_text = (two_reports / "delivery.txt").read_text(encoding="utf-8")
    (two_reports / "delivery.txt").unlink()
    run_import(two_reports)
    assert imported("5亿元").fulfilled_by_id is None
    (two_reports / "delivery.txt").write_text(delivery_text, encoding="utf-8")
    run_import(two_reports)
    assert imported("5亿元").fulfilled_by_id == imported("5.2亿元").pk


def test_a_changed_delivery_file_relinks_its_plan_to_the_new_row(two_reports):
    run_import(two_reports)
    path = two_reports / "delivery.txt"
    path.write_text(DELIVERY_TEXT.replace("记者从", "本报讯 记者从"), encoding="utf-8")
    run_import(two_reports)
    assert imported("5亿元").fulfilled_by_id == imported("5.2亿元").pk


def test_a_curators_unlink_survives_a_reimport_of_both_changed_files(two_reports):
    run_import(two_reports)
    assert curation.unlink_plans(Metric.objects.filter(number_text="5亿元")) == 1
    for name in ("plan.txt", "delivery.txt"):
        path = two_reports / name
        path.write_text(path.read_text(encoding="utf-8").replace("记者从", "本报讯 记者从"), encoding="utf-8")
    run_import(two_reports)
    plan = imported("5亿元")
    assert plan.fulfilled_by_id is None and plan.plan_link_by_curator
    assert sorted(Metric.objects.counted().values_list("number_text", flat=True)) == ["5.2亿元", "5亿元"]


def test_a_curators_link_survives_a_reimport_of_both_changed_files(two_reports):
    (two_reports / "delivery.txt").write_text(DELIVERY_TEXT.replace("5.2亿元", "8亿元"), encoding="utf-8")
    run_import(two_reports)
    plan, delivery = imported("5亿元"), imported("8亿元")
    assert plan.fulfilled_by_id is None  # 60% more: not the same money for the import
    curation.link_plan(plan, delivery)
    for name in ("plan.txt", "delivery.txt"):
        path = two_reports / name
        path.write_text(path.read_text(encoding="utf-8").replace("记者从", "本报讯 记者从"), encoding="utf-8")
    run_import(two_reports)
    assert imported("5亿元").fulfilled_by_id == delivery.pk == imported("8亿元").pk


# --- the curation desk and the explorer --------------------------------------------------------------------------


def test_the_change_form_shows_both_directions_and_links_by_hand(world, admin_client):
    plan = figure(world, date(2023, 5, 10), 100, Stage.PLANNED)
    delivery = figure(world, date(2025, 3, 2), 300, Stage.ACHIEVED)
    response = admin_client.post(change_url(plan), change_form_data(plan, fulfilled_by=delivery.pk, stage=plan.stage))
    assert response.status_code == 302
    plan.refresh_from_db()
    delivery.refresh_from_db()
    assert (plan.fulfilled_by_id, plan.plan_link_by_curator, delivery.plan_link_by_curator) == (delivery.pk, True, True)
    assert plan.history.latest().history_user.username == "root"
    page = admin_client.get(change_url(delivery)).content.decode()
    assert "fulfils ←" in page and f"#{plan.pk} " in page
    page = admin_client.get(change_url(plan)).content.decode()
    assert f"plan of →</th><td><a href=\"{change_url(delivery)}\"" in page


def test_the_change_form_refuses_a_plan_as_its_own_delivery(world, admin_client):
    plan = figure(world, date(2023, 5, 10), 100, Stage.PLANNED)
    response = admin_client.post(change_url(plan), change_form_data(plan, fulfilled_by=plan.pk, stage=plan.stage))
    assert response.status_code == 200
    assert "own delivery" in response.content.decode()
    assert link_of(plan) is None


def test_the_unlink_action_and_the_fulfilled_plan_filter(world, admin_client):
    plan, delivery = plan_and_delivery(world)
    link_plans()
    assert _listed(admin_client, plan="plan") == {plan.pk}
    assert _listed(admin_client, plan="delivery") == {delivery.pk}
    run_action(admin_client, "unlink_plan", [plan])
    assert link_of(plan) is None
    assert _listed(admin_client, plan="plan") == set()
    assert _listed(admin_client, plan="curator") == {plan.pk}


def _listed(client, **params) -> set[int]:
    response = client.get(changelist_url(), params)
    return {metric.pk for metric in response.context["cl"].result_list}


def test_the_explorer_links_a_plan_and_its_delivery(world, client):
    plan, delivery = plan_and_delivery(world)
    link_plans()
    page = client.get("/metrics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/metrics/?ids={delivery.pk}">plan of → #{delivery.pk}</a>' in page
    assert f'href="/metrics/?ids={plan.pk}">fulfils ← #{plan.pk}</a>' in page
    page = client.get("/metrics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/metrics/?ids={delivery.pk}">为 #{delivery.pk} 的计划 →</a>' in page


def test_a_verified_plan_keeps_its_delivery_through_a_reimport_of_the_delivery(two_reports):
    run_import(two_reports)
    plan, delivery = imported("5亿元"), imported("5.2亿元")
    assert curation.set_status(Metric.objects.filter(pk=plan.pk), Status.VERIFIED) == 1
    path = two_reports / "delivery.txt"
    path.write_text(DELIVERY_TEXT.replace("记者从", "本报讯 记者从"), encoding="utf-8")
    run_import(two_reports)
    assert imported("5.2亿元").pk == delivery.pk  # kept like the target of a curated duplicate
    assert link_of(plan) == delivery.pk
