"""The review screen: who may open it, the queue it follows, claims, and decisions saved with who and when."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from articles.choices import Kind, Stage, Status
from articles.models import Metric, ReviewClaim
from articles.review import claims, queue
from articles.review.reasons import low_confidence_reasons
from tests.factories import make_area, make_article, make_metric, make_province
from tests.test_request_fuzz import Page, curator_of, fuzz

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def curator(name: str) -> tuple[User, Client]:
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return user, client


@pytest.fixture
def alice():
    return curator("alice")


@pytest.fixture
def bob():
    return curator("bob")


@pytest.fixture
def figures():
    """Three undecided figures in one paragraph: a held one, then confidence 0.3 and 0.6; one verified."""
    article = make_article("江苏援疆综述", paragraphs=[
        "开篇。", "江苏今年投入援疆资金12亿元，实施项目20个，带动就业8000人。", "另培训干部300人。"])
    jiangsu = make_province("jiangsu", "江苏", "Jiangsu")
    yili = make_area("yili", "伊犁州", "Ili")
    low = make_metric(article, "20个", 20, paragraph=1, kind=Kind.PROJECTS, unit_family="count", unit="个",
                      confidence=0.3, province=jiangsu)
    middle = make_metric(article, "8000人", 8000, paragraph=1, kind=Kind.JOBS, unit_family="people", unit="人",
                         confidence=0.6, area=yili, stage=Stage.ACHIEVED)
    held = make_metric(article, "12亿元", 1_200_000_000, paragraph=1, confidence=0.9, province=jiangsu,
                       hold_reason="above a year of all donors' aid")
    done = make_metric(article, "300人", 300, paragraph=2, status=Status.VERIFIED, confidence=0.1)
    return held, low, middle, done


def next_figure(client, **params):
    response = client.get(reverse("review:next"), params)
    assert response.status_code == 200, response.content
    return response.json()["figure"]


def post(client, metric, action, data):
    return client.post(reverse(f"review:{action}", args=[metric.pk]), data)


# --- who may open it ----------------------------------------------------------------------------------------


def test_the_screen_is_for_curators_only(alice):
    url = reverse("review:screen")
    assert Client().get(url).status_code == 302  # to the admin login
    staff = User.objects.create_user("staff", password="pw", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.get(reverse("review:next")).status_code == 403
    page = alice[1].get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="/static/js/review.js"' in html and "<script>" not in html


@pytest.mark.parametrize("action", ["verify", "reject", "edit", "undo", "claim"])
def test_every_write_is_refused_to_staff_who_may_not_change_figures(figures, action):
    held = figures[0]
    staff = User.objects.create_user("staff", password="pw", is_staff=True)
    client = Client()
    client.force_login(staff)
    response = client.post(reverse(f"review:{action}", args=[held.pk]), {"seen": held.updated_at.isoformat()})
    assert response.status_code == 403
    assert not ReviewClaim.objects.exists()
    assert held.history.count() == 1 and Metric.objects.get(pk=held.pk).status == Status.EXTRACTED


def test_decisions_need_the_csrf_token(alice, figures):
    held = figures[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice[0])
    response = client.post(reverse("review:verify", args=[held.pk]), {"seen": held.updated_at.isoformat()})
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.status == Status.EXTRACTED


# --- the queue ------------------------------------------------------------------------------------------------


def test_the_queue_shows_held_figures_first_then_the_lowest_confidence(alice, figures):
    held, low, middle, _done = figures
    client = alice[1]
    first = next_figure(client)
    assert first["id"] == held.pk
    assert first["reasons"][0] == "held for review: above a year of all donors' aid"
    assert '<mark class="figure">12亿元</mark>' in first["paragraph_html"]
    assert first["before"] == "开篇。" and first["after"] == "另培训干部300人。"
    assert first["article"]["title"] == "江苏援疆综述" and first["article"]["donors"] == "江苏"
    assert next_figure(client, skip=str(held.pk))["id"] == low.pk
    assert next_figure(client, skip=f"{held.pk},{low.pk}")["id"] == middle.pk
    assert next_figure(client, skip=f"{held.pk},{low.pk},{middle.pk}") is None  # the verified one is done


def test_the_queue_read_in_parts_keeps_the_queue_order(figures):
    article = figures[0].article
    for n, (hold, stage, confidence) in enumerate([
        ("too large", Stage.UNKNOWN, 0.8), ("too large", Stage.PLANNED, 0.2), ("", Stage.UNKNOWN, 0.9),
        ("", Stage.UNKNOWN, 0.05), ("", Stage.COMMITTED, 0.3), ("too large", Stage.ACHIEVED, 0.2),
    ]):
        make_metric(article, number_text=None, hold_reason=hold, stage=stage, confidence=confidence, value=n)
    whole = list(queue.awaiting_review(queue.Narrowing()).values_list("pk", flat=True))
    parts = [pk for part in queue.queue_parts(queue.Narrowing()) for pk in part.values_list("pk", flat=True)]
    assert len(whole) == 9 and parts == whole


def test_the_queue_is_narrowed_by_donor_area_kind_and_article(alice, figures):
    held, low, middle, _done = figures
    client = alice[1]
    assert next_figure(client, donor="jiangsu", skip=str(held.pk))["id"] == low.pk
    assert next_figure(client, area="yili")["id"] == middle.pk
    assert next_figure(client, kind=Kind.JOBS)["id"] == middle.pk
    assert next_figure(client, article=str(held.article_id))["id"] == held.pk
    other = make_article(paragraphs=["上海投入资金5亿元。"])
    assert next_figure(client, article=str(other.pk)) is None


@pytest.mark.parametrize("params, message", [
    ({"donor": "atlantis"}, "donor: no donor province or city has the slug “atlantis”."),
    ({"area": "nowhere"}, "area: no recipient area has the slug “nowhere”."),
    ({"kind": "bananas"}, "kind: “bananas” is not a kind"),
    ({"article": "１２"}, "article: “１２” is not the id of an article."),
    ({"article": "99999999999999999999"}, "is not the id of an article"),
])
def test_a_bad_narrowing_is_a_400_that_names_the_parameter(alice, params, message):
    client = alice[1]
    page = client.get(reverse("review:screen"), params)
    assert page.status_code == 400
    assert message in page.content.decode()
    data = client.get(reverse("review:next"), params)
    assert data.status_code == 400 and message in data.json()["error"]


def test_a_bad_skip_list_is_a_400(alice):
    response = alice[1].get(reverse("review:next"), {"skip": "1,x"})
    assert response.status_code == 400
    assert response.json() == {"error": "skip: give figure ids separated by commas."}


def test_the_screen_and_its_queue_survive_the_request_fuzz(alice, figures, monkeypatch):
    narrowing = ["donor", "area", "kind", "article"]
    pages = [Page(reverse("review:screen"), narrowing), Page(reverse("review:next"), [*narrowing, "skip"])]
    fuzz(curator_of(alice[0]), monkeypatch, pages, ["/admin/review/figure/{value}/"])


def test_an_unknown_figure_is_a_404_not_a_500(alice):
    for pk in ["999999", "x", "9" * 30]:
        assert alice[1].get(reverse("review:figure", args=[pk])).status_code == 404


# --- claims ---------------------------------------------------------------------------------------------------


def test_two_curators_never_get_the_same_figure(alice, bob, figures):
    held, low, _middle, _done = figures
    assert next_figure(alice[1])["id"] == held.pk
    assert next_figure(bob[1])["id"] == low.pk
    response = bob[1].get(reverse("review:figure", args=[held.pk]))
    assert response.status_code == 409
    assert ReviewClaim.objects.get(metric=held).user == alice[0]


def test_an_expired_claim_is_taken_over(alice, bob, figures):
    held = figures[0]
    assert claims.take(held.pk, alice[0])
    assert not claims.take(held.pk, bob[0])
    ReviewClaim.objects.filter(metric=held).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert next_figure(bob[1])["id"] == held.pk
    assert ReviewClaim.objects.get(metric=held).user == bob[0]


def test_a_decision_on_a_figure_someone_else_holds_is_refused(alice, bob, figures):
    held = figures[0]
    next_figure(alice[1])
    response = post(bob[1], held, "verify", {"seen": held.updated_at.isoformat()})
    assert response.status_code == 409
    assert response.json()["error"] == f"alice is reviewing figure #{held.pk} right now; it was left as it is."
    held.refresh_from_db()
    assert held.status == Status.EXTRACTED


# --- decisions ------------------------------------------------------------------------------------------------


def test_verify_and_reject_are_saved_with_who_and_when(alice, figures):
    held, low, _middle, _done = figures
    user, client = alice
    shown = next_figure(client)
    response = post(client, held, "verify", {"seen": shown["seen"]})
    assert response.status_code == 200 and response.json()["figure"]["status"] == Status.VERIFIED
    assert post(client, low, "reject", {"seen": low.updated_at.isoformat()}).status_code == 200
    assert dict(Metric.objects.filter(pk__in=[held.pk, low.pk]).values_list("pk", "status")) == {
        held.pk: Status.VERIFIED, low.pk: Status.REJECTED}
    record = held.history.latest("history_date")
    assert (record.history_user, record.history_change_reason) == (user, "review: verified")


def test_a_decision_on_a_figure_changed_since_it_was_shown_is_refused(alice, bob, figures):
    held = figures[0]
    shown = next_figure(alice[1])
    held.kind = Kind.INVESTMENT
    held._history_user = bob[0]
    held.save()
    response = post(alice[1], held, "reject", {"seen": shown["seen"]})
    assert response.status_code == 409
    assert f"Someone else saved figure #{held.pk} after you opened it" in response.json()["error"]
    assert "bob at " in response.json()["error"]
    held.refresh_from_db()
    assert held.status == Status.EXTRACTED


def test_a_decision_without_the_time_it_was_shown_is_a_400(alice, figures):
    response = post(alice[1], figures[0], "verify", {"seen": "yesterday"})
    assert response.status_code == 400


def edit_data(shown, **changes):
    return {**shown["form"], "seen_updated_at": shown["seen"], **changes}


def test_an_edit_in_place_marks_the_figure_edited(alice, figures):
    held = figures[0]
    shown = next_figure(alice[1])
    response = post(alice[1], held, "edit", edit_data(shown, value="1100000000"))
    assert response.status_code == 200, response.content
    held.refresh_from_db()
    assert (held.value, held.status) == (1_100_000_000, Status.EDITED)
    assert held.history.latest("history_date").history_change_reason == "review: edit"


def test_an_edit_is_validated_as_the_admin_form_is(alice, figures):
    held = figures[0]
    shown = next_figure(alice[1])
    response = post(alice[1], held, "edit", edit_data(shown, value="lots", kind="bananas"))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"value", "kind"}
    held.refresh_from_db()
    assert held.status == Status.EXTRACTED and held.value == 1_200_000_000


def test_an_edit_after_someone_elses_save_is_refused(alice, figures):
    held = figures[0]
    shown = next_figure(alice[1])
    Metric.objects.filter(pk=held.pk).update(updated_at=timezone.now() + timedelta(seconds=5))
    response = post(alice[1], held, "edit", edit_data(shown, value="1100000000"))
    assert response.status_code == 400
    assert "after you opened it" in json.dumps(response.json()["errors"], ensure_ascii=False)


def test_undo_puts_back_the_figure_as_it_was(alice, figures):
    held = figures[0]
    shown = next_figure(alice[1])
    edited = post(alice[1], held, "edit", edit_data(shown, value="1100000000", sector="health")).json()["figure"]
    response = post(alice[1], held, "undo", {"seen": edited["seen"]})
    assert response.status_code == 200
    held.refresh_from_db()
    assert (held.status, held.value, held.sector) == (Status.EXTRACTED, 1_200_000_000, "general")
    assert held.history.latest("history_date").history_change_reason == "review: undo"
    again = post(alice[1], held, "undo", {"seen": response.json()["figure"]["seen"]})
    assert again.status_code == 409  # an undo is not undone: there is no decision left to take back


@translation.override("en")
def test_the_reasons_name_what_the_figure_lacks():
    reasons = low_confidence_reasons(hold_reason="", has_donor=False, has_area=True, stage=Stage.UNKNOWN,
                                     kind=Kind.BENEFICIARIES, kind_label="Beneficiaries")
    assert reasons == [
        "no donor found in the text",
        "the text gives no cue whether it is planned, committed or achieved",
        "figures of the kind “Beneficiaries” are often misread",
    ]
    assert low_confidence_reasons(hold_reason="", has_donor=True, has_area=True, stage=Stage.ACHIEVED,
                                  kind=Kind.FUNDING, kind_label="Aid funding") == []


def test_the_screen_speaks_chinese(alice, figures):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(alice[0])
    page = client.get(reverse("review:screen")).content.decode()
    assert "审核数据" in page and "核实：数据如所示无误" in page
    first = client.get(reverse("review:next")).json()["figure"]
    assert first["reasons"][0] == "暂扣待核：above a year of all donors' aid"
