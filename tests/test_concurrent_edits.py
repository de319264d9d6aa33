"""Two curators on one figure: the later save is refused and told what changed, never silently overwriting."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from articles.choices import Kind, Sector, Status
from articles.models import Metric
from tests.factories import make_article, make_metric
from tests.test_admin_permissions import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def curator_client(name: str) -> Client:
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def metric():
    article = make_article(paragraphs=["江苏今年投入援疆资金12亿元，实施项目20个。"])
    return make_metric(article, "12亿元", 1_200_000_000)


def change_url(metric):
    return reverse("admin:articles_metric_change", args=[metric.pk])


def test_the_second_of_two_saves_is_refused_and_says_what_changed(metric):
    alice, bob = curator_client("alice"), curator_client("bob")
    alice_form = form_data(alice.get(change_url(metric)).content.decode())
    bob_form = form_data(bob.get(change_url(metric)).content.decode())

    bob_form["kind"] = [Kind.INVESTMENT]
    assert bob.post(change_url(metric), bob_form).status_code == 302
    alice_form["sector"] = [Sector.HEALTH]
    response = alice.post(change_url(metric), alice_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Someone else saved figure #{metric.pk} after you opened it" in page
    assert "bob at " in page and "kind: funding → investment" in page
    metric.refresh_from_db()
    assert (metric.kind, metric.sector) == (Kind.INVESTMENT, Sector.GENERAL)  # bob's save stands, alice's is not in


def test_a_save_after_reloading_goes_through(metric):
    alice, bob = curator_client("alice"), curator_client("bob")
    bob_form = form_data(bob.get(change_url(metric)).content.decode())
    bob_form["kind"] = [Kind.INVESTMENT]
    bob.post(change_url(metric), bob_form)

    alice_form = form_data(alice.get(change_url(metric)).content.decode())
    alice_form["sector"] = [Sector.HEALTH]
    assert alice.post(change_url(metric), alice_form).status_code == 302
    metric.refresh_from_db()
    assert (metric.kind, metric.sector) == (Kind.INVESTMENT, Sector.HEALTH)


def test_a_bulk_action_leaves_alone_figures_saved_after_the_page_was_loaded(metric):
    other = make_metric(metric.article, "20个", 20, kind=Kind.PROJECTS, unit_family="count", unit="个")
    alice, bob = curator_client("alice"), curator_client("bob")
    changelist = reverse("admin:articles_metric_changelist")
    seen_at = form_data(alice.get(changelist).content.decode())["seen_at"]
    bob_form = form_data(bob.get(change_url(metric)).content.decode())
    bob_form["kind"] = [Kind.INVESTMENT]
    bob.post(change_url(metric), bob_form)

    response = alice.post(changelist, {"action": "reject", "_selected_action": [metric.pk, other.pk],
                                       "index": "0", "seen_at": seen_at}, follow=True)

    assert f"Left alone because someone else saved them after you loaded the page: #{metric.pk}." in (
        response.content.decode()
    )
    metric.refresh_from_db()
    other.refresh_from_db()
    assert (metric.status, other.status) == (Status.EDITED, Status.REJECTED)


def test_a_set_action_carries_the_page_time_through_its_intermediate_page(metric):
    alice, bob = curator_client("alice"), curator_client("bob")
    changelist = reverse("admin:articles_metric_changelist")
    seen_at = form_data(alice.get(changelist).content.decode())["seen_at"]
    selection = {"action": "set_sector", "_selected_action": [metric.pk], "index": "0", "seen_at": seen_at}
    page = alice.post(changelist, selection).content.decode()
    assert form_data(page)["seen_at"] == seen_at
    bob_form = form_data(bob.get(change_url(metric)).content.decode())
    bob_form["sector"] = [Sector.EDUCATION]
    bob.post(change_url(metric), bob_form)

    alice.post(changelist, {**form_data(page), "target": Sector.HEALTH, "apply": "1"})
    metric.refresh_from_db()
    assert metric.sector == Sector.EDUCATION


def test_a_merge_is_refused_when_a_figure_changed_after_the_page_was_loaded(metric):
    copy = make_metric(make_article(paragraphs=["援疆资金12亿元。"]), "12亿元", 1_200_000_000)
    alice, bob = curator_client("alice"), curator_client("bob")
    changelist = reverse("admin:articles_metric_changelist")
    seen_at = form_data(alice.get(changelist).content.decode())["seen_at"]
    bob_form = form_data(bob.get(change_url(copy)).content.decode())
    bob_form["status"] = [Status.REJECTED]
    bob.post(change_url(copy), bob_form)

    alice.post(changelist, {"action": "merge", "_selected_action": [metric.pk, copy.pk], "index": "0",
                            "seen_at": seen_at})
    assert not Metric.objects.filter(duplicate_of__isnull=False).exists()


def test_an_import_that_changes_a_figure_refuses_a_form_opened_before(metric):
    alice = curator_client("alice")
    form = form_data(alice.get(change_url(metric)).content.decode())
    Metric.objects.filter(pk=metric.pk).update(value=1_300_000_000, updated_at=metric.updated_at.replace(year=2030))
    form["sector"] = [Sector.HEALTH]
    page = alice.post(change_url(metric), form).content.decode()
    assert "changed by an import (no field history)" in page


def test_a_reimport_that_leaves_a_figure_as_it_was_does_not_refuse_an_open_form(tmp_path):
    import shutil

    from tests.test_import import SEEDS, aid_article, run_import
    from tests.test_reimport_curation import edit_paragraph, unique_figures

    shutil.copytree(SEEDS, tmp_path / "seeds")
    run_import(tmp_path / "seeds")
    figures = unique_figures(aid_article("004"))
    metric, elsewhere = figures[0], next(m for m in figures if m.paragraph_id != figures[0].paragraph_id)
    alice = curator_client("alice")
    form = form_data(alice.get(change_url(metric)).content.decode())
    edit_paragraph(elsewhere)  # the article changes, this figure's paragraph does not

    run_import(tmp_path / "seeds")

    form["sector"] = [Sector.HEALTH]
    assert alice.post(change_url(metric), form).status_code == 302
