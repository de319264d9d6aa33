"""Hostile requests get a 4xx or a normal page, never a 500; hostile text is shown escaped; headers and deploy
checks."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.export import FIELDS
from articles.models import Article, Metric, Province
from tests.factories import make_article, make_metric, make_sample_world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
METRIC_FILTERS = ["q", "province", "area", "kind", "unit_family", "sector", "status", "approx", "year_min",
                  "year_max", "value_min", "value_max", "verified", "counted", "o", "ids"]
# Each page with the query parameters it reads.
PAGE_PARAMS = {
    "/": ["verified", "map_kind", "kind"],
    "/compare/": ["province", "kind", "unit", "verified"],
    "/provinces/jiangsu/": ["kind", "unit", "verified"],
    "/areas/xinjiang/": ["kind", "unit", "verified"],
    "/metrics/": METRIC_FILTERS + ["page", "format"],
    "/metrics/?format=csv": METRIC_FILTERS,
    "/articles/": ["q", "province", "area", "publisher", "year", "all", "o", "page", "verified"],
    "/articles/{article}/": ["text", "metric", "verified"],
}
PARAMS = sorted({param for params in PAGE_PARAMS.values() for param in params})
# Tried one at a time in each parameter of each page.
HOSTILE = [
    "' OR 1=1; DROP TABLE articles_metric; --",
    '"><script>alert(1)</script><img src=x onerror=alert(1)>',
    "-1",
    "99999999999999999999999999999",
    "NaN\x00",
    "x" * 5000,
]
# Tried in all parameters at once.
MORE_HOSTILE = HOSTILE + ["0", "1e309", "１２３", "../../../../etc/passwd", "=HYPERLINK(\"http://x\")", "%00%27"]
# Markup that would run or draw if it reached the page unescaped.
SCRIPT_LIKE = ["<script>alert", "<img src=x", "<b onmouseover", "</script><script>"]


@pytest.fixture
def world():
    return make_sample_world()


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def fetch(client, url, params=None):
    """The response to a GET with its body read (streamed exports fail only while they are read)."""
    path, _, query = url.partition("?")
    data = dict(part.split("=", 1) for part in query.split("&") if part) if query else {}
    response = client.get(path, {**data, **(params or {})})
    text = body(response)
    return response, text


# Unknown names and numbers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/provinces/atlantis/", "/areas/atlantis/", "/articles/999999/", "/articles/0/",
    "/articles/99999999999999999999999999/", "/provinces/%3Cscript%3E/", "/articles/-1/", "/articles/abc/",
    "/metrics/999999/", "/metrics/abc/", "/nowhere/",  # /metrics/<id>/ is a figure's page since issue 14
])
def test_unknown_names_and_ids_are_404(client, world, url):
    assert client.get(url).status_code == 404


# Hostile parameters --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_every_parameter_of_every_page_never_fail(client, world, value):
    for page, params in PAGE_PARAMS.items():
        url = page.format(article=world.a.pk)
        for param in params:
            response, text = fetch(client, url, {param: value})
            assert response.status_code < 500, (url, param, value[:40])
            if "format=" not in url and param != "format":
                assert not any(marker in text for marker in SCRIPT_LIKE), (url, param, value[:40])


def test_hostile_values_in_all_parameters_at_once(client, world):
    for page in [*PAGE_PARAMS, "/metrics/?format=json"]:
        for value in MORE_HOSTILE:
            response, _ = fetch(client, page.format(article=world.a.pk),
                                {p: value for p in PARAMS if p != "format"})
            assert response.status_code < 500, (page, value[:40])


# Digits of other scripts (² ① ١ １), NUL and overflow ------------------------------------------------------

OTHER_DIGITS = ["\u00b2", "\u2460", "\u0661\u0662", "\uff11\uff12", "99999999999999999999", "-1", "0"]


@pytest.fixture
def curator_client(django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user("curator", password="a-long-pass-phrase", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize("number", OTHER_DIGITS)
def test_metric_ids_in_other_digits_are_refused(client, world, number):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for url in ["/metrics/", "/metrics/?format=csv", "/metrics/?format=json"]:
        response, text = fetch(client, url, {"ids": f"{world.funding_a.pk},{number}"})
        assert response.status_code == 400, (url, number)
        assert "Give metric ids as numbers separated by commas." in text


@pytest.mark.parametrize("number", OTHER_DIGITS)
def test_reader_ignores_a_metric_number_in_other_digits(client, world, number):
    response = client.get(world.a.get_absolute_url(), {"metric": number})
    assert response.status_code == 200
    assert " current" not in body(response)


def test_reader_emphasises_a_metric_named_in_ascii_digits_only(client, world):
    pk = str(world.funding_a.pk)
    full_width = "".join(chr(ord(digit) - ord("0") + 0xFF10) for digit in pk)
    arabic_indic = "".join(chr(ord(digit) - ord("0") + 0x0660) for digit in pk)
    url = world.a.get_absolute_url()
    assert f'<mark id="m-{pk}" class="figure status-verified current">' in body(client.get(url, {"metric": pk}))
    for other in (full_width, arabic_indic):
        assert " current" not in body(client.get(url, {"metric": other}))


@pytest.mark.parametrize("number", OTHER_DIGITS)
def test_admin_reads_ids_in_ascii_digits_only(curator_client, world, number):
    assert curator_client.get("/admin/articles/metric/", {"area": number}).status_code == 200
    response = curator_client.get("/admin/articles/metric/add/", {"paragraph": number})
    assert response.status_code == 200
    assert not response.context.get("paragraph_preview")


@pytest.mark.parametrize("number", ["\u00b2", "1.5", "bogus", "99999999999999999999"])
def test_admin_object_and_history_ids_that_cannot_exist_are_404(curator_client, world, number):
    metric = world.funding_a
    history_id = metric.history.first().history_id
    for url in [f"/admin/articles/metric/{number}/history/", f"/admin/articles/metric/{metric.pk}/history/{number}/",
                f"/admin/articles/metric/{number}/history/{history_id}/"]:
        assert curator_client.get(url).status_code == 404, url


def test_an_empty_to_field_means_the_primary_key(curator_client, world, django_user_model):
    metric = world.funding_a
    assert curator_client.get(f"/admin/articles/metric/{metric.pk}/change/", {"_to_field": ""}).status_code == 200
    assert curator_client.get(f"/admin/articles/province/{world.jiangsu.pk}/change/",
                              {"_to_field": ""}).status_code == 200
    other = django_user_model.objects.create_user("other")
    assert curator_client.get(f"/admin/auth/user/{other.pk}/change/", {"_to_field": ""}).status_code == 403


@pytest.mark.parametrize("number", OTHER_DIGITS + ["bogus", "1.5"])
def test_add_figure_leaves_out_a_related_row_that_is_not_an_id(curator_client, world, number):
    response = curator_client.get("/admin/articles/metric/add/", {"province": number, "area": world.yili.pk})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "province" not in form.initial
    assert str(form.initial["area"]) == str(world.yili.pk)


@pytest.mark.parametrize("number", OTHER_DIGITS + ["bogus", ""])
def test_a_bulk_action_on_a_selection_that_is_not_ids_is_refused(curator_client, world, number):
    metric = world.trained_a
    for action in ("verify", "merge", "set_kind"):
        response = curator_client.post("/admin/articles/metric/", {
            "action": action, "index": "0", "_selected_action": [str(metric.pk), number]}, follow=True)
        assert response.status_code == 200
        assert "The selection holds something that is not an id" in body(response)
    metric.refresh_from_db()
    assert metric.status == "extracted"


@pytest.mark.parametrize("number", OTHER_DIGITS + ["bogus"])
def test_a_related_row_that_is_not_an_id_is_a_form_error(curator_client, world, number):
    metric = world.trained_a
    for url in ["/admin/articles/metric/add/", f"/admin/articles/metric/{metric.pk}/change/"]:
        for name in ("province", "donor_city", "area"):
            response = curator_client.post(url, {name: number})
            assert response.status_code == 200, (url, name)
            assert response.context["adminform"].form.errors, (url, name)
    response = curator_client.post("/admin/articles/metric/", {
        "action": "set_province", "_selected_action": [str(metric.pk)], "apply": "1", "target": number})
    assert response.status_code == 200
    assert "target" in response.context["form"].errors


@pytest.mark.parametrize("url", [
    "/metrics/?q=%00", "/articles/?publisher=%00", "/compare/?unit=%00", "/?map_kind=%00",
    "/admin/articles/metric/?publisher=%00", "/admin/articles/metric/?status=%00", "/admin/articles/metric/?q=a%00",
    "/admin/autocomplete/?app_label=articles&model_name=metric&field_name=province&term=%00",
    "/admin/articles/article/?publisher=%00", "/admin/articles/metric/?%00=1",
])
def test_a_nul_character_anywhere_in_the_query_is_refused(curator_client, world, url):
    response = curator_client.get(url)
    assert response.status_code == 400, url
    assert "contains a NUL character (%00)" in body(response)


def test_a_nul_character_in_a_form_field_is_refused(curator_client, world):
    metric = world.funding_a
    response = curator_client.post(f"/admin/articles/metric/{metric.pk}/change/", {"period": "2021\x00"})
    assert response.status_code == 400
    assert "form field 'period'" in body(response)
    metric.refresh_from_db()
    assert "\x00" not in metric.period


@pytest.mark.parametrize("page", ["-1", "0", "99999999999999999999", "abc", "1.5", "", "2"])
def test_any_page_number_shows_a_page(client, world, page):
    for url in ["/metrics/", "/articles/"]:
        assert client.get(url, {"page": page}).status_code == 200


def test_repeated_and_very_many_parameters(client, world):
    many = "&".join(f"province=p{i}" for i in range(60))
    assert client.get(f"/metrics/?{many}").status_code == 400
    assert client.get(f"/compare/?{many}").status_code == 400
    too_many = "&".join(f"x{i}=1" for i in range(1200))
    assert client.get(f"/metrics/?{too_many}").status_code == 400


def test_a_very_long_query_string_is_refused_or_served(client, world):
    for url in ["/", "/compare/", "/metrics/", "/metrics/?format=csv", "/articles/"]:
        response, _ = fetch(client, url, {"q": "援" * 20000, "ids": ",".join(["1"] * 5000)})
        assert response.status_code in (200, 400), url


def test_invalid_filters_say_what_was_wrong(client, world):
    response = client.get("/metrics/", {"year_min": "abc"})
    assert response.status_code == 400
    assert "year_min" in body(response) or "number" in body(response).lower()


def test_reflected_parameters_are_escaped(client, world):
    text = body(client.get("/metrics/", {"q": '"><script>alert(1)</script>', "ids": '"><b>'}))
    assert "<script>alert(1)" not in text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text


# CSV formula injection ----------------------------------------------------------------------------------------------

def test_csv_export_defuses_spreadsheet_formulas(client, world):
    article = make_article('=HYPERLINK("http://evil.example","click")',
                           paragraphs=["+1+cmd|' /C calc'!A0 援疆资金2亿元。"], publisher="@SUM(A1)")
    make_metric(article, "2亿元", 200_000_000, province=world.jiangsu, quote="-2+3+cmd|' /C calc'!A0",
                period="@2024")
    response, text = fetch(client, "/metrics/?format=csv&q=cmd")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 and list(rows[0]) == FIELDS
    (row,) = rows
    assert row["article_title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row["quote"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["period"] == "'@2024"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@")), value


# Hostile text in an imported article --------------------------------------------------------------------------------

HOSTILE_FILE = """

江苏援疆成效显著<script>alert("title")</script>——

2024-03-01 10:00:00 来源：新疆日报

  新疆日报伊宁3月1日电（记者 张三<b onmouseover=alert(3)> 李四"'）江苏援疆工作组今年投入援疆资金12亿元，\
用于伊宁县民生<script>alert(4)</script>项目建设。

  南通对口支援伊宁县，培训各类人才3000多人，"<img src=x onerror=alert(5)>" 带动就业8000人。
"""


@pytest.fixture
def hostile_article(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_FILE, encoding="utf-8")
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.get()
    assert "<script>" in article.title and "onmouseover=" in article.byline
    assert Metric.objects.filter(article=article).exists()
    return article


def test_imported_hostile_text_is_escaped_on_every_page(client, hostile_article):
    metric = Metric.objects.filter(article=hostile_article).select_related("province", "area").first()
    urls = [
        "/", "/compare/", "/metrics/", "/metrics/?q=script", "/articles/", "/articles/?q=script",
        hostile_article.get_absolute_url(), hostile_article.get_absolute_url() + "?text=original",
        f"/provinces/{metric.province.slug}/", f"/areas/{metric.area.slug}/",
    ]
    for url in urls:
        response, text = fetch(client, url)
        assert response.status_code == 200, url
        for marker in SCRIPT_LIKE:
            assert marker not in text, (url, marker)
    reader = body(client.get(hostile_article.get_absolute_url()))
    assert "江苏援疆成效显著&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in reader
    assert "张三&lt;b onmouseover=alert(3)&gt; 李四&quot;&#x27;" in reader
    assert "民生&lt;script&gt;alert(4)&lt;/script&gt;项目" in reader


def test_imported_hostile_text_is_plain_data_in_the_exports(client, hostile_article):
    _, text = fetch(client, "/metrics/?format=json")
    records = [json.loads(line) for line in text.splitlines()]
    assert records and all(r["article_title"] == hostile_article.title for r in records)
    _, text = fetch(client, "/metrics/?format=csv")
    assert list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))[0]["article_title"] == hostile_article.title


def test_hostile_names_are_escaped_in_chart_json(client, world):
    Province.objects.filter(pk=world.jiangsu.pk).update(name_zh='<img src=x onerror=alert(1)>"江苏')
    Province.objects.filter(pk=world.shanghai.pk).update(name_en="</script><script>alert(2)</script>")
    for url in ["/", "/compare/", "/provinces/jiangsu/", "/areas/xinjiang/"]:
        for language in ("zh-CN", "en"):
            text = body(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
            for marker in SCRIPT_LIKE + ["</script><script>"]:
                assert marker not in text, (url, language, marker)
    text = body(client.get("/compare/", HTTP_ACCEPT_LANGUAGE="zh-CN"))
    # json_script escapes < and >; the figure's labels are HTML-escaped for plotly.js as well.
    assert r'"y": ["\u4e0a\u6d77", "\u0026lt;img src=x onerror=alert(1)\u0026gt;\"\u6c5f\u82cf"]' in text


# Headers, admin, deploy checks --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/metrics/", "/articles/", "/provinces/atlantis/"])
def test_security_headers(client, world, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_pages_load_only_their_own_scripts_and_no_inline_script(client, world):
    for url in ["/", "/compare/", "/provinces/jiangsu/", "/metrics/", world.a.get_absolute_url()]:
        text = body(client.get(url))
        for chunk in text.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert 'type="application/json"' in tag or 'src="/static/' in tag, (url, tag)


def test_csv_export_is_an_attachment_with_its_type(client, world):
    response = client.get("/metrics/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aidmap-metrics.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_requires_login(client, django_user_model):
    response = client.get("/admin/articles/metric/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    user = django_user_model.objects.create_user("visitor", password="a-long-pass-phrase")
    client.force_login(user)
    response = client.get("/admin/articles/metric/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_admin_post_without_csrf_token_is_refused(world, django_user_model):
    from django.test import Client

    staff = django_user_model.objects.create_superuser("curator", password="a-long-pass-phrase")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(f"/admin/articles/province/{world.zhejiang.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Province.objects.filter(pk=world.zhejiang.pk).exists()


def test_check_deploy_is_clean_in_production():
    env = {**os.environ, "PRODUCTION": "1", "SECRET_KEY": "k" * 20 + "-not-a-real-secret-" + "x9Q!z" * 8,
           "DATABASE_URL": "sqlite:////tmp/aidmap-check-deploy.sqlite3", "ALLOWED_HOSTS": "aidmap.example.org",
           "REDIS_URL": "redis://127.0.0.1:6379/5"}
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "PRODUCTION": "1", "DATABASE_URL": "sqlite:////tmp/aidmap-check-deploy.sqlite3"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
