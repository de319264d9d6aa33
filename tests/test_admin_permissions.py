"""Every admin URL that accepts POST refuses a user without the permission it needs, and writes nothing.

The walk covers each registered model admin's URL patterns (change list actions, add, change, delete, history
revert, and any custom view added later): a pattern the walker does not know fails the test, so a new view
cannot slip past it. For each case a superuser's identical POST must write, which shows the request was one
that would have changed something.
"""

import hashlib
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core import serializers
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.choices import AreaLevel, Kind, Sector, Stage
from articles.models import Article, Metric, Pairing, Paragraph, Province, RecipientArea, SourceFile

pytestmark = pytest.mark.django_db

# What each kind of URL needs, by the suffix of its name. None: a view that only reads.
PATTERN_PERMISSION = {
    "changelist": "action",  # POST runs an action: the action's own permissions
    "add": "add",
    "change": "change",
    "simple_history": "change",  # django-simple-history's revert form
    "delete": "delete",
    "password_change": "change",  # auth's user admin
    "history": None,
    "redirect": None,  # <id>/ -> <id>/change/
}

# The POST body of each change list action (besides the selection), the target of the "set …" actions.
ACTION_DATA = {
    "delete_selected": {"post": "yes"},
    "verify": {},
    "reject": {},
    "set_kind": {"apply": "1", "target": Kind.OTHER},
    "set_sector": {"apply": "1", "target": Sector.HEALTH},
    "set_stage": {"apply": "1", "target": Stage.ACHIEVED},
    "set_province": {"apply": "1", "target": "{other_province}"},
    "set_area": {"apply": "1", "target": "{other_area}"},
    "merge": {},
    "unlink_plan": {},  # on a figure with no link it still records the curator's "no link here"
    # django-axes: deletes lock-out records past their cool-off. Axes itself deletes those at every login, so
    # none is left for a superuser's request to show the action writing: only the refusal is checked.
    "cleanup_expired_attempts": {},
}


NOTHING_LEFT_AFTER_LOGIN = {"cleanup_expired_attempts"}


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.model_name)


def pattern_kind(model_admin, pattern) -> str:
    info = f"{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}_"
    if pattern.name is None and str(pattern.pattern) == "<path:object_id>/":
        return "redirect"
    kind = (pattern.name or "").removeprefix(info)
    assert kind in PATTERN_PERMISSION, (
        f"{model_admin.__class__.__name__} has a URL the permission walk does not know: {pattern.pattern!r} "
        f"({pattern.name}); add it to PATTERN_PERMISSION with the permission it needs"
    )
    return kind


def cases():
    for model, model_admin in registered():
        for pattern in model_admin.get_urls():
            kind = pattern_kind(model_admin, pattern)
            if kind == "changelist":
                for name in model_admin.get_actions(_superuser_request()):
                    yield model._meta.label_lower, kind, name
            else:
                yield model._meta.label_lower, kind, ""


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request


# --- the data --------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Four users per case: the default hasher's million rounds would make the walk take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    """One row of each model, each with a history row to revert to."""
    source = SourceFile.objects.create(name="walk.txt", path="seeds/walk.txt", sha256="1" * 64, size=1,
                                       encoding="utf-8")
    text = "浙江省今年安排援疆资金30亿元，实施援疆项目120个。"
    article = Article.objects.create(
        source_file=source, position=0, title="浙江援疆", publisher="新华网", published=date(2024, 5, 1),
        original_text=text, content_hash=hashlib.sha256(b"walk").hexdigest(), script="simplified",
    )
    paragraph = Paragraph.objects.create(article=article, position=0, text=text, original_text=text)
    province = Province.objects.create(slug="zhejiang", name_zh="浙江", name_en="Zhejiang")
    other_province = Province.objects.create(slug="shanghai", name_zh="上海", name_en="Shanghai")
    area = RecipientArea.objects.create(slug="aksu", name_zh="阿克苏地区", name_en="Aksu",
                                        level=AreaLevel.PREFECTURE)
    other_area = RecipientArea.objects.create(slug="kashgar", name_zh="喀什地区", name_en="Kashgar",
                                              level=AreaLevel.PREFECTURE)
    pairing = Pairing.objects.create(province=province, area=area, confidence="high", source="test")
    someone = User.objects.create_user("someone", password="an old password 1", is_staff=True)
    common = {"article": article, "paragraph": paragraph, "quote": text, "province": province, "area": area,
                  "sector": Sector.GENERAL}
    metric = Metric.objects.create(start=10, end=15, number_text="30亿元", value=Decimal(3e9), unit="元",
                                   unit_family="yuan", kind=Kind.FUNDING, **common)
    Metric.objects.create(start=22, end=26, number_text="120个", value=Decimal(120), unit="个",
                          unit_family="yuan", kind=Kind.PROJECTS, **common)
    spare_source = SourceFile.objects.create(name="spare.txt", path="seeds/spare.txt", sha256="2" * 64, size=1,
                                             encoding="utf-8")
    spare_article = Article.objects.create(
        source_file=source, position=1, title="无数字", original_text="无。", script="simplified",
        content_hash=hashlib.sha256(b"spare").hexdigest(),
    )
    spare = {
        "sourcefile": spare_source, "article": spare_article,
        "paragraph": Paragraph.objects.create(article=article, position=1, text="无。", original_text="无。"),
        "province": Province.objects.create(slug="tianjin", name_zh="天津", name_en="Tianjin"),
        "recipientarea": RecipientArea.objects.create(slug="hami", name_zh="哈密市", name_en="Hami",
                                                      level=AreaLevel.PREFECTURE),
        "group": Group.objects.create(name="spare"),
        **lockout_rows("spare"),
    }
    return {
        "spare": spare,
        "metric": metric, "article": article, "paragraph": paragraph, "province": province,
        "recipientarea": area, "pairing": pairing, "sourcefile": source,
        "other_province": other_province, "other_area": other_area,
        "user": someone, "group": Group.objects.get(name="curators"),
        **lockout_rows("someone"),
    }


def lockout_rows(username: str) -> dict:
    """One row of each of django-axes' login records, which the admin lists for operators."""
    common = {"username": username, "ip_address": "127.0.0.1", "user_agent": "test", "http_accept": "*/*",
              "path_info": "/"}
    return {
        "accessattempt": AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **common),
        "accesslog": AccessLog.objects.create(**common),
        "accessfailurelog": AccessFailureLog.objects.create(locked_out=False, **common),
    }


@pytest.fixture
def curator():
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def viewer():
    """Staff who may view everything in the app and change nothing."""
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles",
                                                        codename__startswith="view_"))
    return user


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def database_state() -> list[str]:
    """Every row of the app's tables (history included) and of the admin log, serialized."""
    models = [*apps.get_app_config("articles").get_models(), *apps.get_app_config("axes").get_models(), LogEntry,
              User, Group]
    return [serializers.serialize("json", model._default_manager.order_by("pk")) for model in models]


# --- the request each case sends ---------------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the page's main form."""

    def __init__(self):
        super().__init__()
        self.pairs, self._select, self._textarea, self._in_form = [], None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file", "image"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.pairs.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.pairs.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.pairs.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_data(page: str) -> dict:
    parser = FormFields()
    parser.feed(page)
    data = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value.removeprefix("\n"))
    data.pop("csrfmiddlewaretoken", None)
    return data


def add_data(model_name, world) -> dict | None:
    """A valid add form for each model a superuser may add; None for models nobody adds in the admin."""
    return {
        "metric": {"paragraph": world["paragraph"].pk, "number_text": "30亿元", "kind": Kind.FUNDING,
                   "sector": Sector.GENERAL, "province": world["province"].pk},
        "province": {"slug": "jiangsu", "name_zh": "江苏", "name_en": "Jiangsu", "aliases": "[]",
                     **_empty_inline("pairings")},
        "recipientarea": {"slug": "hotan", "name_zh": "和田地区", "name_en": "Hotan",
                          "level": AreaLevel.PREFECTURE, "aliases": "[]", **_empty_inline("pairings")},
        "pairing": {"province": world["other_province"].pk, "area": world["recipientarea"].pk,
                    "confidence": "high", "source": "test"},
        "user": {"username": "newcomer", "password1": "a long new password 7", "password2": "a long new password 7",
                 "usable_password": "true"},
        "group": {"name": "editors"},
    }.get(model_name)


def _empty_inline(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}


def request_for(label, kind, action, world, superuser_client):
    """(URL, POST body) of the case; the body of a form is the one a superuser's browser would send."""
    app_label, model_name = label.split(".")
    obj = world[model_name]
    if kind == "delete" or action == "delete_selected":  # one that nothing protects from deletion
        obj = world["spare"].get(model_name, obj)
    name = f"admin:{app_label}_{model_name}"
    if kind == "changelist":
        selection = list(Metric.objects.values_list("pk", flat=True)) if action == "merge" else [obj.pk]
        extra = {key: value.format(**{k: getattr(v, "pk", v) for k, v in world.items()})
                 for key, value in ACTION_DATA[action].items()}
        return reverse(f"{name}_changelist"), {"action": action, "_selected_action": selection, "index": "0",
                                               **extra}
    if kind == "add":
        return reverse(f"{name}_add"), add_data(model_name, world) or {}
    if kind == "delete":
        return reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}
    if kind == "password_change":
        password = "a changed password 9"
        return reverse(f"{name}_password_change", args=[obj.pk]), {"password1": password, "password2": password}
    if kind == "redirect":
        return reverse(f"{name}_change", args=[obj.pk]).removesuffix("change/"), {}
    if kind == "history":
        return reverse(f"{name}_history", args=[obj.pk]), {}
    if kind == "change":
        url = reverse(f"{name}_change", args=[obj.pk])
    else:  # simple_history: revert to the row's first version
        url = reverse(f"{name}_simple_history", args=[obj.pk, obj.history.earliest().history_id])
    page = superuser_client.get(url)
    assert page.status_code == 200, url
    return url, form_data(page.content.decode())


def needed_permission(model_admin, kind, action) -> set[str]:
    need = PATTERN_PERMISSION[kind]
    if need == "action":
        permissions = set(getattr(model_admin.get_actions(_superuser_request())[action][0],
                                  "allowed_permissions", ()))
        assert permissions, f"action {action} declares no permission: it would run for view-only users"
        return permissions
    return {need} if need else set()


def may(user, model, permissions) -> bool:
    return any(user.has_perm(f"{model._meta.app_label}.{p}_{model._meta.model_name}") for p in permissions)


# --- the walk ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["curator", "viewer"])
@pytest.mark.parametrize(("label", "kind", "action"), list(cases()))
def test_post_without_permission_is_refused_and_writes_nothing(request, world, who, label, kind, action):
    user = request.getfixturevalue(who)
    superuser = User.objects.create_superuser("root", "root@example.org", "pw")
    model = apps.get_model(label)
    model_name = model._meta.model_name
    model_admin = admin.site._registry[model]
    if kind == "changelist" and action not in ACTION_DATA:
        pytest.fail(f"{model_name} action {action} is missing from ACTION_DATA")
    permissions = needed_permission(model_admin, kind, action)
    if permissions and may(user, model, permissions):
        pytest.skip(f"{who} may {'/'.join(sorted(permissions))} {model_name}")
    superuser_client, user_client = client_for(superuser), client_for(user)
    url, data = request_for(label, kind, action, world, superuser_client)
    before = database_state()

    response = user_client.post(url, data)

    if permissions:
        assert response.status_code in (302, 403), (url, response.status_code)
    assert database_state() == before, f"{who} changed data through POST {url}"
    if permissions and superuser_may(model_admin, kind, action) and action not in NOTHING_LEFT_AFTER_LOGIN:
        superuser_client.post(url, data)
        assert database_state() != before, f"the superuser's POST {url} wrote nothing: the case proves nothing"


def superuser_may(model_admin, kind, action) -> bool:
    """Whether the admin lets anybody do this at all (articles are never added in the admin, for one)."""
    request = _superuser_request()
    if kind == "add":
        return model_admin.has_add_permission(request)
    if kind == "delete":
        return model_admin.has_delete_permission(request)
    if kind == "changelist":
        return action in model_admin.get_actions(request)
    return model_admin.has_change_permission(request)


def test_the_walk_covers_the_revert_form_of_every_model_with_history():
    walked = {(label, kind) for label, kind, _action in cases()}
    for model, _model_admin in registered():
        if hasattr(model, "history"):
            assert (model._meta.label_lower, "simple_history") in walked
