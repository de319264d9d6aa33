"""Second review (issue 17): a verified figure is coded again, blind, by another curator; a disagreement goes to
a third look, whose decision is saved through curation; the supervisor page shows agreement and κ."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils import translation

from articles.choices import Kind, Origin, Sector, Stage, Status
from articles.models import FigureReview, Metric
from articles.review_second import desk
from articles.review_second.models import Round
from tests.factories import make_metric, make_sample_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_review_on(settings):
    settings.AIDMAP_SECOND_REVIEW = True


def make_curator(name):
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


@pytest.fixture
def ann():
    return make_curator("ann")


@pytest.fixture
def bob():
    return make_curator("bob")


@pytest.fixture
def cai():
    return make_curator("cai")


@pytest.fixture
def world():
    return make_sample_world()


def verify(metric, user, **changes):
    """A curator verifies (and corrects) a figure, with history, as the desk does."""
    for name, value in changes.items():
        setattr(metric, name, value)
    metric.status = Status.EDITED if changes else Status.VERIFIED
    metric._history_user = user
    metric.save()
    return metric


def as_user(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def coding(metric, **changes):
    codes = {"kind": metric.kind, "sector": metric.sector, "province": metric.province_id or "",
             "area": metric.area_id or "", "stage": metric.stage}
    return {**codes, **changes}


def test_a_figure_verified_by_one_curator_waits_for_another(client, world, ann, bob):
    verify(world.funding_c, ann)
    assert world.funding_c not in desk.awaiting_second(ann)
    assert world.funding_c in desk.awaiting_second(bob)
    html = as_user(client, bob).get("/review/second/").content.decode()
    assert f'href="/review/second/{world.funding_c.pk}/"' in html


def test_the_second_curator_sees_the_extractor_s_proposal_not_the_first_curator_s_choices(client, world, ann, bob):
    # An import writes no history row for a figure (articles/rows.py): the first row is then the curator's edit.
    world.funding_c.history.all().delete()
    verify(world.funding_c, ann, sector=Sector.HEALTH, kind=Kind.INVESTMENT)
    html = as_user(client, bob).get(f"/review/second/{world.funding_c.pk}/").content.decode()
    assert "<mark>约5亿元</mark>" in html and "上海援疆莎车" in html
    # What the extractor reads in "上海援疆资金约5亿元，实施项目20个。": aid funding, general, 上海, achieved.
    proposal = html.split('id="proposal"')[1].split("</ul>")[0]
    assert "<li>kind: Aid funding</li>" in proposal and "<li>sector: General</li>" in proposal
    assert "<li>donor province: 上海 Shanghai</li>" in proposal
    assert '<option value="general" selected>' in html and '<option value="funding" selected>' in html
    assert "Health" not in proposal and '<option value="health" selected>' not in html
    assert '<option value="investment" selected>' not in html


def test_a_figure_the_extractor_does_not_read_has_no_proposal(client, world, ann, bob):
    added = make_metric(world.c, "1.2万人次", 12000, paragraph=1, kind=Kind.CADRES, status=Status.VERIFIED,
                        start=0, end=2, origin=Origin.CURATOR)
    added.history.all().delete()
    verify(added, ann)
    html = as_user(client, bob).get(f"/review/second/{added.pk}/").content.decode()
    assert "The extractor does not read this figure" in html
    assert re.findall(r'<option value="[^"]+" selected>', html) == []


def test_agreement_closes_the_figure(client, world, ann, bob, cai):
    verify(world.funding_c, ann)
    response = as_user(client, bob).post(f"/review/second/{world.funding_c.pk}/", coding(world.funding_c))
    assert response.status_code == 302
    assert set(FigureReview.objects.filter(metric=world.funding_c).values_list("round", "reviewer__username")) == {
        (Round.FIRST, "ann"), (Round.SECOND, "bob")}
    assert desk.disagreements() == [] and world.funding_c not in desk.awaiting_second(cai)


def test_two_curators_disagreeing_on_a_sector_send_it_to_a_third_look_and_kappa_shows(client, world, ann, bob,
                                                                                     cai):
    for metric in (world.funding_c, world.jobs_c, world.projects_c):
        verify(metric, ann)
    bob_client = as_user(client, bob)
    bob_client.post(f"/review/second/{world.funding_c.pk}/", coding(world.funding_c, sector=Sector.EDUCATION))
    bob_client.post(f"/review/second/{world.jobs_c.pk}/", coding(world.jobs_c))
    bob_client.post(f"/review/second/{world.projects_c.pk}/", coding(world.projects_c))

    assert desk.disagreements() == [world.funding_c.pk]
    third = as_user(client, cai).get("/review/third/").content.decode()
    assert f'href="/review/third/{world.funding_c.pk}/"' in third and '<td class="differ-on">sector</td>' in third

    page = client.get("/review/agreement/").content.decode()
    # sector: industry/education, employment/employment, industry/industry → pₒ = 2/3;
    # first: industry 2, employment 1; second: education 1, employment 1, industry 1 → pₑ = (2·1 + 1·1)/9 = 1/3;
    # κ = (2/3 − 1/3)/(2/3) = 0.5. Kind: funding, jobs, projects each agreed → κ 1.
    sector_row = page.split('data-field="sector"')[1].split("</tr>")[0]
    assert "<td>67%</td>" in sector_row and '<td class="kappa">0.50</td>' in sector_row
    assert '<td class="kappa">1.00</td>' in page.split('data-field="kind"')[1].split("</tr>")[0]
    assert "<th>ann</th><td>3</td><td>2 (67%)</td>" in page and "<th>bob</th><td>3</td><td>2 (67%)</td>" in page


def test_the_third_look_decides_through_curation(client, world, ann, bob, cai):
    verify(world.funding_c, ann)
    as_user(client, bob).post(f"/review/second/{world.funding_c.pk}/",
                              coding(world.funding_c, sector=Sector.EDUCATION, stage=Stage.COMMITTED))
    page = as_user(client, cai).get(f"/review/third/{world.funding_c.pk}/").content.decode()
    assert "ann" in page and "bob" in page and 'class="differs"' in page
    client.post(f"/review/third/{world.funding_c.pk}/", coding(world.funding_c, sector=Sector.EDUCATION))

    metric = Metric.objects.get(pk=world.funding_c.pk)
    assert (metric.sector, metric.stage, metric.status) == (Sector.EDUCATION, Stage.ACHIEVED, Status.EDITED)
    assert metric.history.first().history_user == cai
    assert desk.disagreements() == []
    assert "Of 1 third looks, 0 kept the first curator’s coding and 0 the second curator’s." in client.get(
        "/review/agreement/").content.decode()


def test_no_curator_reviews_their_own_figure_twice(client, world, ann, bob):
    verify(world.funding_c, ann)
    response = as_user(client, ann).post(f"/review/second/{world.funding_c.pk}/", coding(world.funding_c),
                                         follow=True)
    assert "You verified figure" in response.content.decode()
    assert not FigureReview.objects.exists()
    as_user(client, bob).post(f"/review/second/{world.funding_c.pk}/", coding(world.funding_c, sector="health"))
    for user in (ann, bob):
        response = as_user(client, user).post(f"/review/third/{world.funding_c.pk}/", coding(world.funding_c),
                                              follow=True)
        assert "a third curator decides" in response.content.decode()
    assert not FigureReview.objects.filter(round=Round.THIRD).exists()


@translation.override("en")
def test_a_figure_reviewed_twice_at_once_keeps_the_first_review(world, ann, bob, cai):
    verify(world.funding_c, ann)
    desk.record_second(world.funding_c, bob, {"kind": "funding", "sector": "industry", "province": None,
                                              "area": None, "stage": "achieved"})
    with pytest.raises(desk.ReviewError, match="a moment ago"):
        desk.record_second(world.funding_c, cai, {"kind": "funding", "sector": "health", "province": None,
                                                  "area": None, "stage": "achieved"})


def test_the_mode_off_records_nothing(client, world, ann, bob, settings):
    settings.AIDMAP_SECOND_REVIEW = False
    verify(world.funding_c, ann)
    html = as_user(client, bob).get("/review/second/").content.decode()
    assert "Second review is off" in html
    with pytest.raises(desk.ReviewError):
        desk.record_second(world.funding_c, bob, {})


@pytest.mark.parametrize("url", ["/review/second/", "/review/second/1/", "/review/third/", "/review/third/1/",
                                 "/review/agreement/"])
def test_the_pages_are_for_curators_only(client, world, url):
    assert client.get(url).status_code == 302  # the admin's login
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)
    assert client.get(url).status_code == 403


def test_unknown_or_huge_figure_ids_are_not_found(client, world, bob):
    as_user(client, bob)
    for url in ("/review/second/99999/", f"/review/second/{2**70}/", f"/review/third/{2**64}/"):
        assert client.get(url).status_code == 404


def test_a_bad_coding_is_refused_with_the_field_named(client, world, ann, bob):
    verify(world.funding_c, ann)
    response = as_user(client, bob).post(f"/review/second/{world.funding_c.pk}/",
                                         coding(world.funding_c, sector="nonsense", area="abc"))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not FigureReview.objects.exists()



def test_the_third_look_queue_reads_the_stored_disagreement(world, ann, bob):
    verify(world.funding_c, ann)
    verify(world.jobs_c, ann)
    codes = {"kind": "funding", "sector": "industry", "province": world.shanghai.pk, "area": world.shache.pk,
             "stage": "achieved"}
    assert desk.record_second(world.funding_c, bob, {**codes, "area": None}).differs_on == "area"
    assert desk.record_second(world.jobs_c, bob, {**codes, "kind": "jobs", "sector": "employment"}).differs_on == ""
    assert desk.disagreements() == [world.funding_c.pk]


def test_a_figure_verified_without_history_may_be_reviewed_by_anyone(world, ann):
    Metric.objects.filter(pk=world.funding_c.pk).update(status=Status.VERIFIED)  # no history row
    assert world.funding_c in desk.awaiting_second(ann)
    review = desk.record_second(Metric.objects.get(pk=world.funding_c.pk), ann, {
        "kind": "funding", "sector": "industry", "province": world.shanghai.pk, "area": world.shache.pk,
        "stage": "achieved"})
    assert review.differs_on == ""
    assert FigureReview.objects.get(metric=world.funding_c, round=Round.FIRST).reviewer is None
