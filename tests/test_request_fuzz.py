"""The request fuzzer: every public page and every admin page (as a curator), each of its parameters given
numbers in every Unicode digit class, NUL, huge, negative and unknown values, repeated keys and long text.

No answer may be a 500, no refused (4xx) request may write to the shared cache, and afterwards a clean
request to each page must show exactly what it showed before: nothing the fuzz sent is kept for others.
The values are a fixed list (no randomness): a failure names its URL, parameter and value, every run.
"""

import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.cache import cache, caches
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.cache import VERSION_KEY
from articles.filters import ArticleFilterSet, MetricFilterSet
from tests.factories import make_sample_world

pytestmark = pytest.mark.django_db


def _digit_one_of_every_script() -> str:
    """The digit one of every decimal digit script Unicode has (Nd: ١ ۱ १ ১ … １ 𝟏 …), ASCII first."""
    return "".join(chr(c) for c in range(sys.maxunicode + 1)
                   if unicodedata.category(chr(c)) == "Nd" and unicodedata.digit(chr(c)) == 1)


EVERY_SCRIPT_ONES = _digit_one_of_every_script()
# Classes of hostile value. Each parameter of each page gets one value of every class, the member chosen in
# turn (the n-th parameter fuzzed gets member n), so that every member is sent and a run stays short.
VALUE_CLASSES = {
    # Decimal digits of other scripts (Nd): int() reads them; the last holds every script's one at once.
    "other-script digits": [
        "\u0661\u0662", "\u06f1\u06f2", "\u0967\u0968", "\uff11\uff12", "\U0001d7cf\U0001d7d0", EVERY_SCRIPT_ONES[1:],
    ],
    # Superscript, circled and other numerals that str.isdigit() accepts and int() refuses, and the like.
    "numerals": ["\u00b2", "\u2460", "\u2474", "\u2488", "1\u00b2", "\u00bd", "\u216b", "\u4e94"],
    "NUL": ["\x00", "1\x00"],
    "huge": ["99999999999999999999", "9" * 400, "1e309", "-99999999999999999999"],
    "negative or zero": ["-1", "0", "-0"],
    "not quite a number": ["1.5", "NaN", " 1 ", "1,\u00b2,-3"],
    "unknown choice": ["bogus", "<script>alert(1)</script>", "' OR 1=1 --", "%00"],
    "empty": [""],
    "long": ["x" * 5000, "\u63f4" * 3000],
}
# Parameters that every admin page has (popup, target field, kept filters, page, facets) and the add forms'
# plain fields get these few values; the parameters a page reads itself get every class.
BRIEF_VALUES = ["", "\u00b2", "99999999999999999999"]
ADMIN_COMMON = ["_changelist_filters", "_popup", "_to_field"]
# A valid value to pair with hostile ones when a key is repeated.
REPEATED_WITH = "1"


# The pages and their parameters ---------------------------------------------------------------------------

@dataclass
class Page:
    url: str
    read: list[str]  # fuzzed with a value of every class
    plain: list[str] = field(default_factory=list)  # fuzzed with BRIEF_VALUES


def public_pages(world) -> list[Page]:
    """Each public page with its filterset's parameters and those its view reads (checked against the code by
    test_every_parameter_a_view_reads_is_fuzzed)."""
    metric_filters = sorted(MetricFilterSet.base_filters)
    article_filters = sorted(ArticleFilterSet.base_filters)
    detail = ["kind", "unit", "verified"]
    return [
        Page("/", ["verified", "map_kind", "kind"]),
        Page("/compare/", ["province", "kind", "unit", "verified"]),
        Page("/provinces/jiangsu/", detail),
        Page("/areas/xinjiang/", detail),
        Page("/areas/yili/", detail),
        Page("/metrics/", [*metric_filters, "page", "format"]),
        Page("/metrics/?format=csv", metric_filters),
        Page("/metrics/?format=json", ["ids"], [name for name in metric_filters if name != "ids"]),
        Page("/articles/", [*article_filters, "page", "verified"]),
        Page(world.a.get_absolute_url(), ["text", "metric", "verified"]),
        Page(f"/metrics/{world.funding_a.pk}/", ["verified"]),
        Page("/api/v1/metrics/", [*metric_filters, "cursor", "limit"]),
        Page("/api/v1/articles/", [*article_filters, "cursor", "limit"]),
        Page(f"/api/v1/articles/{world.a.pk}/", []),
        Page("/api/v1/provinces/", []),
        Page("/api/v1/areas/", []),
        Page("/api/v1/totals/", ["by", "kind", "stage", "verified", "province", "area"]),
    ]


PUBLIC_PATHS = ["/provinces/{value}/", "/areas/{value}/", "/articles/{value}/", "/metrics/{value}/",
                "/api/v1/articles/{value}/"]


def admin_pages(curator) -> list[Page]:
    """Every admin page of every registered model, with the parameters its list, forms and views read."""
    request = RequestFactory().get("/admin/")
    request.user = curator
    pages = [
        Page(reverse("admin:index"), []),
        Page(reverse("admin:app_list", args=["articles"]), []),
        *(Page(f"{reverse('admin:autocomplete')}?app_label=articles&model_name=metric&field_name={name}",
               ["term", "page", "app_label", "model_name", "field_name"]) for name in ("province", "area")),
    ]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(Page(reverse(f"{info}_changelist"), changelist_parameters(model_admin, request),
                          [*ADMIN_COMMON, "p", "all", "e", "_facets"]))
        # The add form takes any field's initial value from the query string; relations and choices are read.
        read = [f.name for f in model._meta.fields if f.is_relation or f.choices]
        plain = [f.name for f in model._meta.fields if f.name not in read]
        pages.append(Page(reverse(f"{info}_add"), read, [*plain, *ADMIN_COMMON]))
        sample = model._default_manager.order_by("pk").first()
        for view in ("change", "history", "delete"):
            pages.append(Page(reverse(f"{info}_{view}", args=[sample.pk]), [], [*ADMIN_COMMON, "p"]))
        if hasattr(sample, "history"):
            url = reverse(f"{info}_simple_history", args=[sample.pk, sample.history.first().history_id])
            pages.append(Page(url, [], ADMIN_COMMON))
    return pages


def changelist_parameters(model_admin, request) -> list[str]:
    """The list's filter parameters, as its filters declare them, its search and order, and a lookup."""
    changelist = model_admin.get_changelist_instance(request)
    filters = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    return [*filters, "q", "o", "pk__exact"]


def admin_paths() -> list[str]:
    """Every model's change, history, delete and history-entry address, a hostile value standing for an id."""
    paths = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        paths += [base + "{value}/change/", base + "{value}/history/", base + "{value}/delete/",
                  base + "1/history/{value}/", base + "{value}/history/1/"]
    return paths


# Sending ----------------------------------------------------------------------------------------------------

# Values made anew for every response: the masked CSRF token, and the time a curator's page was loaded (the
# optimistic lock's "seen at").
PER_RESPONSE = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[^"]*|("csrfToken": ")[^"]*|(name="seen_at" value=")[^"]*'
)


def content(response) -> str:
    """The body with the values made anew for each response taken out."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return PER_RESPONSE.sub(r"\1\2\3", body.decode("utf-8", "replace"))


def with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    separator = "&" if "?" in url else "?"
    return url + separator + urlencode(pairs) if pairs else url


class Fuzz:
    """Sends requests, and collects each 500 and each refused request that wrote to the cache."""

    def __init__(self, client, monkeypatch):
        self.client = client
        self.failures = []
        self.writes = []
        self.turn = 0
        backend = caches["default"]
        for name in ("set", "add", "set_many", "incr", "decr", "touch", "delete"):
            monkeypatch.setattr(backend, name, self._recording(getattr(backend, name)))

    def _recording(self, method):
        def record(key, *args, **kwargs):
            self.writes.append(key)
            return method(key, *args, **kwargs)
        return record

    def send(self, url: str, pairs=()):
        self.writes.clear()
        full = with_query(url, list(pairs))
        response = self.client.get(full)
        content(response)  # a streamed export fails only while it is read
        shown = full[:160]
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {shown}")
        elif response.status_code >= 400 and [key for key in self.writes if VERSION_KEY not in str(key)]:
            self.failures.append(f"{response.status_code} wrote to the cache {self.writes[:3]}: {shown}")

    def page(self, page: Page):
        for name in page.read:
            self.turn += 1
            for members in VALUE_CLASSES.values():
                self.send(page.url, [(name, members[self.turn % len(members)])])
        for name in page.plain:
            for value in BRIEF_VALUES:
                self.send(page.url, [(name, value)])
        for name in page.read:
            self.send(page.url, [(name, REPEATED_WITH), (name, "\u00b2"), (name, "bogus")])
        for value in BRIEF_VALUES[1:] + ["bogus"]:
            self.send(page.url, [(name, value) for name in page.read + page.plain])

    def paths(self, templates: list[str]):
        """Each value of every class in place of `{value}` in each address template."""
        values = [value for members in VALUE_CLASSES.values() for value in members if value and "/" not in value]
        for template in templates:
            for value in values:
                self.send(template.format(value=quote(value)))


@pytest.fixture
def world():
    world = make_sample_world()
    # One login record of each kind django-axes keeps, so that their admin pages have a row to open.
    common = {"username": "someone", "ip_address": "127.0.0.1", "user_agent": "test", "http_accept": "*/*",
              "path_info": "/"}
    AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **common)
    AccessLog.objects.create(**common)
    AccessFailureLog.objects.create(locked_out=False, **common)
    return world


@pytest.fixture
def curator():
    user = User.objects.create_user("curator", password="a-long-pass-phrase", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


def visitor() -> Client:
    return Client(raise_request_exception=False)


def curator_of(user):
    def new_client() -> Client:
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client
    return new_client


def clean_contents(client, urls) -> dict[str, tuple[int, str]]:
    return {url: (response.status_code, content(response)) for url in urls for response in [client.get(url)]}


def fuzz(new_client, monkeypatch, pages: list[Page], paths: list[str]):
    """Fuzz the pages from a cold cache; then each must show another visitor what it showed before."""
    urls = [page.url for page in pages]
    cache.clear()
    before = clean_contents(new_client(), urls)
    cache.clear()
    fuzzer = Fuzz(new_client(), monkeypatch)
    for page in pages:
        fuzzer.page(page)
    fuzzer.paths(paths)
    monkeypatch.undo()
    assert fuzzer.failures == [], f"{len(fuzzer.failures)} bad answers:\n" + "\n".join(fuzzer.failures)
    after = clean_contents(new_client(), urls)
    changed = [url for url in urls if after[url] != before[url]]
    assert changed == [], "a clean request shows something else after the fuzz:\n" + "\n".join(
        f"{url}\n" + "\n".join(difflib.unified_diff(before[url][1].splitlines(), after[url][1].splitlines(),
                                                   lineterm="", n=1))
        for url in changed
    )


def test_public_pages_survive_the_fuzz(world, monkeypatch):
    fuzz(visitor, monkeypatch, public_pages(world), PUBLIC_PATHS)


def test_admin_pages_survive_the_fuzz(world, curator, monkeypatch):
    fuzz(curator_of(curator), monkeypatch, admin_pages(curator), admin_paths())


def test_every_parameter_a_view_reads_is_fuzzed(world):
    """A parameter read in a view or a template but given to no page above would never be fuzzed."""
    root = Path(__file__).resolve().parent.parent
    sources = [root / "articles" / "views.py", *sorted((root / "templates").rglob("*.html"))]
    read = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r'request\.GET(?:\.get|\.getlist)?\(\s*"(\w+)"', text))
        read |= set(re.findall(r'"(\w+)" in request\.GET', text))
        read |= set(re.findall(r"request\.GET\.(\w+)", text)) - {"get", "getlist", "copy", "items", "lists"}
    assert read, "no request.GET read found: the pattern no longer matches the views"
    fuzzed = {name for page in public_pages(world) for name in page.read + page.plain}
    assert read - fuzzed == set()
