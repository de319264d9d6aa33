"""The curation desk in the admin: review queue, bulk actions, add figure, merges, history and permissions."""

import hashlib
import io
import itertools
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import curation
from articles.cache import data_version
from articles.choices import AreaLevel, Kind, Origin, Sector, Status
from articles.models import Article, Metric, Pairing, Paragraph, Province, RecipientArea, SourceFile

pytestmark = pytest.mark.django_db

# Real-looking seed text: the figures below are found in these paragraphs by their written form.
PARAGRAPHS = (
    "浙江省今年安排援疆资金30亿元，实施援疆项目120个。",
    "阿克苏地区新增就业1.2万人，培训技能人才3000人次。其中3000人次为农民工。",
)

_serial = itertools.count(1)


# --- rows ----------------------------------------------------------------------------------------------------


def make_province(name_zh="浙江", slug=None, parent=None, aliases=()):
    n = next(_serial)
    return Province.objects.create(
        slug=slug or f"p{n}", name_zh=name_zh, name_en=f"Province {n}", parent=parent, aliases=list(aliases)
    )


def make_area(name_zh="阿克苏地区", slug=None, parent=None, level=AreaLevel.PREFECTURE):
    n = next(_serial)
    return RecipientArea.objects.create(
        slug=slug or f"a{n}", name_zh=name_zh, name_en=f"Area {n}", level=level, parent=parent
    )


def make_article(paragraphs=PARAGRAPHS, title="浙江援疆工作综述", published=date(2024, 5, 1), publisher="新华网"):
    n = next(_serial)
    source = SourceFile.objects.create(
        name=f"seed-{n}.txt", path=f"seeds/seed-{n}.txt", sha256="0" * 64, size=1, encoding="utf-8"
    )
    article = Article.objects.create(
        source_file=source, position=1, title=title, publisher=publisher, published=published,
        original_text="\n".join(paragraphs), content_hash=hashlib.sha256(str(n).encode()).hexdigest(),
        script="simplified",
    )
    for position, text in enumerate(paragraphs):
        Paragraph.objects.create(article=article, position=position, original_text=text, text=text)
    return article


def make_metric(article=None, number_text="30亿元", paragraph=0, value="3000000000", unit="元",
                unit_family="money", kind=Kind.FUNDING, sector=Sector.GENERAL, **fields):
    article = article or make_article()
    para = article.paragraphs.get(position=paragraph)
    start = para.text.index(number_text)
    quote = fields.pop("quote", curation.sentence_around(para.text, start, start + len(number_text)))
    return Metric.objects.create(
        article=article, paragraph=para, start=start, end=start + len(number_text), number_text=number_text,
        quote=quote, value=Decimal(value),
        unit=unit, unit_family=unit_family, kind=kind, sector=sector, **fields,
    )


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def curator():
    user = User.objects.create_user("curator", "c@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    # The desk in English, whatever the default language, so assertions read the English strings.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def curator_client(curator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(curator)
    return client


def changelist_url():
    return reverse("admin:articles_metric_changelist")


def change_url(obj):
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def run_action(client, action, metrics, **extra):
    data = {"action": action, "_selected_action": [m.pk for m in metrics], **extra}
    if "apply" not in extra:
        data["index"] = "0"
    return client.post(changelist_url(), data)


def change_form_data(metric, **overrides):
    """The POST body of the metric's change form as the browser would send it, with `overrides`."""
    data = {
        "value": str(metric.value), "value_high": "", "unit": metric.unit, "unit_family": metric.unit_family,
        "approx": metric.approx, "kind": metric.kind, "sector": metric.sector,
        "province": metric.province_id or "", "donor_city": metric.donor_city_id or "",
        "area": metric.area_id or "", "period": metric.period, "year_start": metric.year_start or "",
        "year_end": metric.year_end or "", "status": metric.status,
        "duplicate_of": metric.duplicate_of_id or "",
    }
    data.update(overrides)
    return data


# --- every page renders --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Metric, Article, Paragraph, Province, RecipientArea, Pairing, SourceFile])
def test_list_and_change_views_render_for_superuser(admin_client, model):
    province, area = make_province(aliases=["浙"]), make_area()
    Pairing.objects.create(province=province, area=area, confidence="high", source="DOMAIN.md")
    metric = make_metric(province=province, area=area)
    obj = {
        Metric: metric, Article: metric.article, Paragraph: metric.paragraph, Province: province,
        RecipientArea: area, Pairing: Pairing.objects.get(), SourceFile: metric.article.source_file,
    }[model]
    opts = model._meta
    assert admin_client.get(reverse(f"admin:articles_{opts.model_name}_changelist")).status_code == 200
    assert admin_client.get(change_url(obj)).status_code == 200
    if model is not SourceFile:  # source files keep no history
        history_url = reverse(f"admin:articles_{opts.model_name}_history", args=[obj.pk])
        assert admin_client.get(history_url).status_code == 200


def test_metric_add_view_renders_with_paragraph_preview(admin_client):
    paragraph = make_article().paragraphs.get(position=1)
    response = admin_client.get(reverse("admin:articles_metric_add") + f"?paragraph={paragraph.pk}")
    assert response.status_code == 200
    assert "培训技能人才3000人次" in response.content.decode()


def test_changelist_shows_figure_highlighted_in_its_sentence(admin_client):
    make_metric(number_text="1.2万人", paragraph=1, value="12000", unit="人", unit_family="people",
                kind=Kind.JOBS, quote="")  # no stored quote: falls back to the paragraph
    make_metric(number_text="120个", value="120", unit="个", unit_family="count", kind=Kind.PROJECTS)
    html = admin_client.get(changelist_url()).content.decode()
    assert '实施援疆项目<mark class="figure">120个</mark>。' in html
    assert '新增就业<mark class="figure">1.2万人</mark>' in html
    assert "1.2万 人" in html  # the reading, to compare with the number as written


def test_changelist_escapes_text(admin_client):
    article = make_article(paragraphs=("<script>x</script>投入500万元。",))
    make_metric(article, number_text="500万元", value="5000000")
    html = admin_client.get(changelist_url()).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;投入<mark" in html


def test_changelist_ordered_by_confidence_lowest_first(admin_client):
    article = make_article()
    sure = make_metric(article, confidence=0.9)
    unsure = make_metric(article, number_text="120个", value="120", unit="个", unit_family="count", confidence=0.2)
    results = admin_client.get(changelist_url()).context["cl"].result_list
    assert [m.pk for m in results] == [unsure.pk, sure.pk]


def test_changelist_query_count_does_not_grow_with_rows(admin_client):
    province, area = make_province(), make_area()
    article = make_article()
    for _ in range(3):
        make_metric(article, province=province, area=area)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(changelist_url()).status_code == 200
    for _ in range(30):
        make_metric(make_article(publisher=f"报{next(_serial)}"), province=province, area=area)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(changelist_url()).status_code == 200
    assert len(few) == len(many)
    assert len(many) <= 10, [q["sql"] for q in many.captured_queries]


def test_changelist_search_and_filters(admin_client):
    prefecture = make_area("阿克苏地区")
    county = make_area("库车市", parent=prefecture, level=AreaLevel.CITY)
    elsewhere = make_area("哈密市")
    article = make_article(publisher="天山网")
    in_county = make_metric(article, area=county)
    other = make_metric(make_article(paragraphs=("哈密市新建学校5所。",), title="别的新闻", publisher="新华网"),
                        number_text="5所", value="5", unit="所", unit_family="count", area=elsewhere)

    def found(query):
        return {m.pk for m in admin_client.get(changelist_url() + query).context["cl"].result_list}

    assert found(f"?area={prefecture.pk}") == {in_county.pk}  # a prefecture includes its counties
    assert found("?q=5所") == {other.pk}
    assert found("?q=援疆资金") == {in_county.pk}
    assert found("?q=别的新闻") == {other.pk}
    assert found("?publisher=天山网") == {in_county.pk}
    assert found(f"?article__source_file__id__exact={article.source_file_id}") == {in_county.pk}
    assert found("?status__exact=extracted&kind__exact=funding") == {in_county.pk, other.pk}


# --- bulk actions ---------------------------------------------------------------------------------------------


def test_verify_action_records_history_and_bumps_cache(admin_client, superuser):
    metrics = [make_metric(), make_metric()]
    before = data_version()
    response = run_action(admin_client, "verify", metrics)
    assert response.status_code == 302
    for metric in metrics:
        metric.refresh_from_db()
        assert metric.status == Status.VERIFIED
        record = metric.history.latest()
        assert record.history_user == superuser
        assert record.prev_record.status == Status.EXTRACTED
    assert data_version() > before


def test_verify_leaves_edited_figures_edited(admin_client):
    edited = make_metric(status=Status.EDITED)
    run_action(admin_client, "verify", [edited])
    edited.refresh_from_db()
    assert edited.status == Status.EDITED


def test_reject_action(admin_client):
    metric = make_metric(status=Status.VERIFIED)
    run_action(admin_client, "reject", [metric])
    metric.refresh_from_db()
    assert metric.status == Status.REJECTED
    assert metric.history.latest().history_change_reason == "bulk: rejected"


def test_set_kind_shows_intermediate_page_then_applies(admin_client, superuser):
    metrics = [make_metric(), make_metric(status=Status.VERIFIED)]
    page = run_action(admin_client, "set_kind", metrics)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.count('name="_selected_action"') == 2
    assert 'name="apply"' in html
    before = data_version()
    response = run_action(admin_client, "set_kind", metrics, target=Kind.INVESTMENT, apply="1")
    assert response.status_code == 302
    for metric in metrics:
        metric.refresh_from_db()
        assert (metric.kind, metric.status) == (Kind.INVESTMENT, Status.EDITED)
        record = metric.history.latest()
        assert record.history_user == superuser
        assert record.prev_record.kind == Kind.FUNDING
    assert data_version() > before


def test_set_kind_with_invalid_target_shows_the_page_again(admin_client):
    metric = make_metric()
    response = run_action(admin_client, "set_kind", [metric], target="nonsense", apply="1")
    assert response.status_code == 200
    metric.refresh_from_db()
    assert metric.kind == Kind.FUNDING


def test_set_sector_keeps_rejected_rejected(admin_client):
    rejected = make_metric(status=Status.REJECTED)
    run_action(admin_client, "set_sector", [rejected], target=Sector.HEALTH, apply="1")
    rejected.refresh_from_db()
    assert (rejected.sector, rejected.status) == (Sector.HEALTH, Status.REJECTED)


def test_set_province_clears_a_donor_city_of_another_province(admin_client):
    jiangsu, zhejiang = make_province("江苏"), make_province("浙江")
    nantong = make_province("南通", parent=jiangsu)
    metric = make_metric(province=jiangsu, donor_city=nantong)
    page = run_action(admin_client, "set_province", [metric])
    assert "admin-autocomplete" in page.content.decode()
    run_action(admin_client, "set_province", [metric], target=zhejiang.pk, apply="1")
    metric.refresh_from_db()
    assert (metric.province, metric.donor_city, metric.status) == (zhejiang, None, Status.EDITED)


def test_set_province_offers_only_top_level_donors(admin_client):
    nantong = make_province("南通", parent=make_province("江苏"))
    metric = make_metric()
    response = run_action(admin_client, "set_province", [metric], target=nantong.pk, apply="1")
    assert response.status_code == 200  # the form refused the city
    metric.refresh_from_db()
    assert metric.province is None


def test_set_area_action(admin_client):
    area = make_area("库车市", level=AreaLevel.CITY)
    metrics = [make_metric(), make_metric()]
    run_action(admin_client, "set_area", metrics, target=area.pk, apply="1")
    assert {m.area_id for m in Metric.objects.all()} == {area.pk}


def test_select_across_applies_to_the_filtered_result(admin_client):
    area = make_area()
    extracted = [make_metric(), make_metric()]
    verified = make_metric(status=Status.VERIFIED)
    url = changelist_url() + "?status__exact=extracted"
    admin_client.post(url, {"action": "set_area", "_selected_action": [extracted[0].pk], "select_across": "1",
                            "target": area.pk, "apply": "1"})
    assert set(Metric.objects.filter(area=area).values_list("pk", flat=True)) == {m.pk for m in extracted}
    verified.refresh_from_db()
    assert verified.area is None


# --- merges -------------------------------------------------------------------------------------------------


def test_merge_keeps_highest_status_earliest_as_canonical(admin_client):
    early = make_metric(make_article(published=date(2024, 1, 1)))
    late_verified = make_metric(make_article(published=date(2024, 6, 1)), status=Status.VERIFIED)
    later = make_metric(make_article(published=date(2024, 9, 1)))
    run_action(admin_client, "merge", [early, late_verified, later])
    for metric in (early, late_verified, later):
        metric.refresh_from_db()
    assert late_verified.duplicate_of is None
    assert (early.duplicate_of, later.duplicate_of) == (late_verified, late_verified)
    assert early.merged_by_curator and later.merged_by_curator
    assert Metric.objects.counted().count() == 1


def test_merge_never_builds_a_chain(admin_client):
    root = make_metric(make_article(published=date(2023, 1, 1)))
    duplicate = make_metric(make_article(published=date(2024, 1, 1)), duplicate_of=root)
    newcomer = make_metric(make_article(published=date(2022, 1, 1)))
    run_action(admin_client, "merge", [duplicate, newcomer])  # the newcomer is earliest: it becomes the root
    for metric in (root, duplicate, newcomer):
        metric.refresh_from_db()
    assert newcomer.duplicate_of is None
    assert root.duplicate_of == newcomer and duplicate.duplicate_of == newcomer
    assert not Metric.objects.filter(duplicate_of__duplicate_of__isnull=False).exists()


def test_merge_refuses_different_unit_families(admin_client):
    money = make_metric()
    people = make_metric(number_text="1.2万人", paragraph=1, value="12000", unit="人", unit_family="people")
    run_action(admin_client, "merge", [money, people])
    assert not Metric.objects.filter(duplicate_of__isnull=False).exists()


def test_duplicate_of_on_change_form_points_to_the_root(admin_client):
    root = make_metric()
    duplicate = make_metric(duplicate_of=root)
    metric = make_metric()
    child = make_metric(duplicate_of=metric)
    response = admin_client.post(change_url(metric), change_form_data(metric, duplicate_of=duplicate.pk))
    assert response.status_code == 302
    metric.refresh_from_db()
    child.refresh_from_db()
    assert metric.duplicate_of == root and metric.merged_by_curator
    assert child.duplicate_of == root  # its own duplicate follows: no chain


def test_duplicate_of_on_change_form_refuses_a_cycle(admin_client):
    metric = make_metric()
    its_duplicate = make_metric(duplicate_of=metric)
    response = admin_client.post(change_url(metric), change_form_data(metric, duplicate_of=its_duplicate.pk))
    assert response.status_code == 200
    assert "duplicate_of" in response.context["adminform"].form.errors
    response = admin_client.post(change_url(metric), change_form_data(metric, duplicate_of=metric.pk))
    assert "duplicate_of" in response.context["adminform"].form.errors


# --- the change form ----------------------------------------------------------------------------------------


def test_change_form_shows_paragraph_article_and_public_link(admin_client):
    metric = make_metric(number_text="120个", value="120", unit="个", unit_family="count")
    html = admin_client.get(change_url(metric)).content.decode()
    assert '实施援疆项目<mark class="figure">120个</mark>。' in html
    assert "浙江援疆工作综述" in html and "新华网" in html
    assert f"p-{metric.paragraph.position}" in html or "—" in html  # the public page may not exist yet


def test_changing_kind_marks_edited(admin_client):
    metric = make_metric(status=Status.VERIFIED)
    admin_client.post(change_url(metric), change_form_data(metric, kind=Kind.INVESTMENT))
    metric.refresh_from_db()
    assert (metric.kind, metric.status) == (Kind.INVESTMENT, Status.EDITED)


def test_explicit_status_wins_over_edited(admin_client):
    metric = make_metric()
    admin_client.post(change_url(metric), change_form_data(metric, area=make_area().pk, status=Status.VERIFIED))
    metric.refresh_from_db()
    assert metric.status == Status.VERIFIED and metric.area is not None
    admin_client.post(change_url(metric), change_form_data(metric, value="1", status=Status.REJECTED))
    metric.refresh_from_db()
    assert (metric.value, metric.status) == (Decimal("1"), Status.REJECTED)


def test_saving_without_a_fact_change_keeps_status(admin_client):
    metric = make_metric()
    admin_client.post(change_url(metric), change_form_data(metric))
    metric.refresh_from_db()
    assert metric.status == Status.EXTRACTED


def test_status_after_edit_rule():
    rule = curation.status_after_edit
    assert rule(Status.EXTRACTED, Status.EXTRACTED, True) == Status.EDITED
    assert rule(Status.VERIFIED, Status.VERIFIED, True) == Status.EDITED
    assert rule(Status.EXTRACTED, Status.VERIFIED, True) == Status.VERIFIED
    assert rule(Status.EXTRACTED, Status.REJECTED, True) == Status.REJECTED
    assert rule(Status.REJECTED, Status.REJECTED, True) == Status.REJECTED
    assert rule(Status.REJECTED, Status.EXTRACTED, True) == Status.EDITED
    assert rule(Status.EXTRACTED, Status.EXTRACTED, False) == Status.EXTRACTED


def test_change_form_history_shows_who_and_old_new_values(admin_client, superuser):
    metric = make_metric()
    admin_client.post(change_url(metric), change_form_data(metric, sector=Sector.HEALTH))
    record = metric.history.latest()
    assert record.history_user == superuser
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "sector"] == [
        ("sector", Sector.GENERAL, Sector.HEALTH)
    ]
    html = admin_client.get(change_url(metric)).content.decode()
    assert "root" in html and "General → Health" in re.sub(r"<[^>]+>", "", html).replace("通用", "General")


# --- adding a figure the extractor missed --------------------------------------------------------------------


def add_figure(client, paragraph, number_text, **fields):
    data = {"paragraph": paragraph.pk, "number_text": number_text, "kind": Kind.TRAINEES,
            "sector": Sector.EMPLOYMENT, "approx": "", **fields}
    return client.post(reverse("admin:articles_metric_add"), data)


def test_add_figure_refuses_a_number_not_in_the_paragraph(admin_client):
    paragraph = make_article().paragraphs.get(position=0)
    response = add_figure(admin_client, paragraph, "45亿元", value="4500000000", unit="元", unit_family="money")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["number_text"]
    assert "“45亿元” does not occur in paragraph" in errors[0]
    assert not Metric.objects.exists()


def test_add_figure_refuses_part_of_a_longer_number(admin_client):
    paragraph = make_article().paragraphs.get(position=0)
    response = add_figure(admin_client, paragraph, "0亿元", value="0", unit="元", unit_family="money")
    assert "inside a longer number" in response.context["adminform"].form.errors["number_text"][0]


def test_add_figure_stores_span_quote_and_curator_origin(admin_client, superuser):
    paragraph = make_article().paragraphs.get(position=1)
    response = add_figure(admin_client, paragraph, "1.2万人", value="12000", unit="人", unit_family="people",
                          approx="exact")
    assert response.status_code == 302
    metric = Metric.objects.get()
    assert paragraph.text[metric.start:metric.end] == "1.2万人"
    assert (metric.start, metric.end) == (9, 14)
    assert metric.quote == "阿克苏地区新增就业1.2万人，培训技能人才3000人次。"
    assert (metric.origin, metric.status, metric.article_id) == (Origin.CURATOR, Status.VERIFIED,
                                                                 paragraph.article_id)
    assert metric.history.get().history_user == superuser


def test_add_figure_asks_which_occurrence(admin_client):
    paragraph = make_article().paragraphs.get(position=1)
    response = add_figure(admin_client, paragraph, "3000人次", value="3000", unit="人次",
                          unit_family="person_times")
    assert "occurs 2 times" in response.context["adminform"].form.errors["number_text"][0]
    add_figure(admin_client, paragraph, "3000人次", occurrence="2", value="3000", unit="人次",
               unit_family="person_times")
    metric = Metric.objects.get()
    assert metric.start == paragraph.text.rindex("3000人次")
    assert metric.quote == "其中3000人次为农民工。"


def test_add_figure_refuses_a_figure_already_recorded(admin_client):
    existing = make_metric()
    response = add_figure(admin_client, existing.paragraph, "30亿元", value="1", unit="元", unit_family="money")
    assert f"#{existing.pk}" in response.context["adminform"].form.errors["number_text"][0]


def test_add_figure_reads_value_unit_and_approximation(admin_client):
    pytest.importorskip("articles.text.numbers")
    paragraph = make_article(paragraphs=("今年累计投入援疆资金约3000万元。",)).paragraphs.get()
    response = add_figure(admin_client, paragraph, "约3000万元", kind=Kind.FUNDING)
    assert response.status_code == 302
    metric = Metric.objects.get()
    assert (metric.value, metric.unit, metric.unit_family, metric.approx) == (
        Decimal("30000000"), "元", "money", "about"
    )


def test_add_figure_curator_overrides_the_reading(admin_client):
    paragraph = make_article().paragraphs.get(position=0)
    add_figure(admin_client, paragraph, "30亿元", kind=Kind.FUNDING, value="2900000000", approx="about",
               unit="元", unit_family="money")
    metric = Metric.objects.get()
    assert (metric.value, metric.approx) == (Decimal("2900000000"), "about")


def test_add_figure_without_a_reading_asks_for_value(admin_client, monkeypatch):
    monkeypatch.setattr(curation, "read_quantity", lambda text: None)
    paragraph = make_article().paragraphs.get(position=0)
    response = add_figure(admin_client, paragraph, "30亿元")
    errors = response.context["adminform"].form.errors
    assert "could not be read" in errors["value"][0] and "unit" in errors


def test_article_inline_links_paragraph_to_add_figure(admin_client):
    metric = make_metric()
    html = admin_client.get(change_url(metric.article)).content.decode()
    assert reverse("admin:articles_metric_add") + f"?paragraph={metric.paragraph_id}" in html
    assert '<mark class="figure">30亿元</mark>' in html


def test_quote_is_cut_like_the_extractor_cuts_it():
    extract = pytest.importorskip("articles.text.extract")
    text = PARAGRAPHS[1]
    start = text.index("3000人次")
    left, right = extract.sentence_bounds(text, start, start + 6)
    assert curation.sentence_around(text, start, start + 6) == text[left:right].strip()


# --- permissions -------------------------------------------------------------------------------------------


def test_curator_can_review_and_edit_metrics(curator_client, curator):
    metric = make_metric()
    assert curator_client.get(changelist_url()).status_code == 200
    assert curator_client.get(change_url(metric)).status_code == 200
    run_action(curator_client, "verify", [metric])
    metric.refresh_from_db()
    assert metric.status == Status.VERIFIED
    assert metric.history.latest().history_user == curator
    response = curator_client.post(change_url(metric), change_form_data(metric, kind=Kind.INVESTMENT))
    assert response.status_code == 302


def test_curator_can_fix_article_metadata(curator_client):
    article = make_article()
    data = {"title": "更正后的标题", "title_original": "", "publisher": "新华网", "published": "2024-05-02",
            "dateline": "", "byline": "", "is_aid": "on", "duplicate_of": "",
            "paragraphs-TOTAL_FORMS": "2", "paragraphs-INITIAL_FORMS": "2", "paragraphs-MIN_NUM_FORMS": "0",
            "paragraphs-MAX_NUM_FORMS": "1000", "metrics-TOTAL_FORMS": "0", "metrics-INITIAL_FORMS": "0",
            "metrics-MIN_NUM_FORMS": "0", "metrics-MAX_NUM_FORMS": "1000"}
    response = curator_client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert (article.title, article.published) == ("更正后的标题", date(2024, 5, 2))


def test_curator_cannot_delete_or_change_provinces(curator_client):
    province = make_province()
    assert curator_client.get(change_url(province)).status_code == 200  # view only
    delete_url = reverse("admin:articles_province_delete", args=[province.pk])
    assert curator_client.post(delete_url, {"post": "yes"}).status_code == 403
    response = curator_client.post(change_url(province), {"name_zh": "改", "name_en": "x", "slug": "x"})
    assert response.status_code == 403
    assert Province.objects.get().name_zh == "浙江"


def test_curator_cannot_delete_metrics(curator_client):
    metric = make_metric()
    response = curator_client.post(reverse("admin:articles_metric_delete", args=[metric.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Metric.objects.filter(pk=metric.pk).exists()


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(changelist_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_user_cannot_enter(client):
    user = User.objects.create_user("reader", password="pw")
    user.groups.add(Group.objects.get(name="curators"))
    client.force_login(user)
    response = client.get(changelist_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_post_without_csrf_token_is_refused(curator):
    metric = make_metric()
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    response = run_action(client, "reject", [metric])
    assert response.status_code == 403
    metric.refresh_from_db()
    assert metric.status == Status.EXTRACTED


def test_province_autocomplete_searches_aliases(admin_client):
    make_province("江苏", slug="jiangsu", aliases=["苏", "江苏省"])
    make_province("南通", slug="nantong", parent=Province.objects.get(slug="jiangsu"), aliases=["南通市"])
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "metric", "field_name": "province"}
    found = admin_client.get(url, {**params, "term": "江苏省"}).json()["results"]
    assert [r["text"] for r in found] == [str(Province.objects.get(slug="jiangsu"))]
    # the donor field lists provinces only: the city is not offered even when its alias matches
    assert admin_client.get(url, {**params, "term": "南通市"}).json()["results"] == []
    city = admin_client.get(url, {**params, "field_name": "donor_city", "term": "南通市"}).json()["results"]
    assert len(city) == 1


# --- create_curator -----------------------------------------------------------------------------------------


def test_create_curator_makes_a_staff_user_in_the_group(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Tianshan-2024-pw\n"))
    out = io.StringIO()
    call_command("create_curator", "anna", "--email", "anna@example.org", "--password-stdin", stdout=out)
    user = User.objects.get(username="anna")
    assert (user.is_staff, user.is_superuser, user.email) == (True, False, "anna@example.org")
    assert user.check_password("Tianshan-2024-pw")
    assert list(user.groups.values_list("name", flat=True)) == ["curators"]
    assert out.getvalue() == "Created curator anna (staff, group curators).\n"


def test_create_curator_refuses_a_weak_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_curator", "anna", "--password-stdin")
    assert not User.objects.filter(username="anna").exists()
