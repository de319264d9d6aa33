"""The explorer's and the article list's FilterSets called directly: valid values filter, bad ones are form errors."""

import pytest
from django.core.exceptions import ValidationError

from articles.choices import Status
from articles.filters import ArticleFilterSet, IdListField, MetricFilterSet, SlugListField
from articles.models import Article, Metric
from tests.factories import make_sample_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_sample_world()


def metric_ids(params, queryset=None):
    filterset = MetricFilterSet(params, queryset=queryset if queryset is not None else Metric.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {m.pk for m in filterset.qs}


def article_ids(params):
    filterset = ArticleFilterSet(params, queryset=Article.objects.all())
    assert filterset.is_valid(), filterset.errors
    return {a.pk for a in filterset.qs}


def errors(params, filterset_class=MetricFilterSet):
    filterset = filterset_class(params, queryset=filterset_class._meta.model.objects.all())
    return set() if filterset.is_valid() else set(filterset.errors)


def test_no_filter_is_every_metric_but_the_rejected(world):
    assert metric_ids({}) == set(Metric.objects.exclude(status=Status.REJECTED).values_list("pk", flat=True))


def test_province_accepts_several_slugs_in_either_form(world):
    both = {world.funding_a.pk, world.funding_b.pk, world.trained_a.pk, world.funding_c.pk, world.projects_c.pk,
            world.jobs_c.pk, world.trained_c.pk, world.not_aid.pk}
    assert metric_ids({"province": "jiangsu,shanghai"}) == both
    from django.http import QueryDict
    assert metric_ids(QueryDict("province=jiangsu&province=shanghai")) == both


def test_unknown_slug_matches_nothing_without_error(world):
    assert metric_ids({"province": "atlantis"}) == set()
    assert metric_ids({"area": "atlantis"}) == set()


def test_area_includes_the_areas_below_it(world):
    assert metric_ids({"area": "yili"}) == {world.funding_a.pk, world.funding_b.pk, world.trained_a.pk}
    assert metric_ids({"area": "yining-county"}) == {world.funding_a.pk, world.funding_b.pk}
    assert len(metric_ids({"area": "xinjiang"})) == 8


def test_status_rejected_shows_only_rejected(world):
    assert metric_ids({"status": "rejected"}) == {world.rejected_a.pk}
    assert metric_ids({"status": "verified"}) == {world.funding_a.pk}


def test_verified_and_counted_switches(world):
    assert metric_ids({"verified": "1"}) == {world.funding_a.pk}
    counted = metric_ids({"counted": "1"})
    assert world.funding_b.pk not in counted and world.not_aid.pk not in counted
    assert world.funding_a.pk in counted and len(counted) == 6


def test_sector_approx_and_value_range(world):
    assert metric_ids({"sector": "employment"}) == {world.jobs_c.pk}
    assert metric_ids({"approx": "more_than"}) == {world.trained_a.pk}
    assert metric_ids({"value_min": "1000000000", "value_max": "2000000000"}) == {
        world.funding_a.pk, world.funding_b.pk}


def test_year_range_reads_the_end_of_each_period(world):
    assert metric_ids({"year_min": "2023", "year_max": "2023"}) == {
        world.funding_a.pk, world.funding_b.pk, world.trained_c.pk}


def test_ids_select_exactly_those_metrics(world):
    assert metric_ids({"ids": f"{world.jobs_c.pk}, {world.trained_c.pk}"}) == {world.jobs_c.pk, world.trained_c.pk}


def test_ordering(world):
    filterset = MetricFilterSet({"o": "-value"}, queryset=Metric.objects.all())
    values = [m.value for m in filterset.qs]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize("params, field", [
    ({"kind": "money"}, "kind"),
    ({"sector": "<script>"}, "sector"),
    ({"status": "deleted"}, "status"),
    ({"year_min": "1800"}, "year_min"),
    ({"year_max": "abc"}, "year_max"),
    ({"value_min": "1e400"}, "value_min"),
    ({"value_max": "NaN"}, "value_max"),
    ({"province": "jiangsu' OR 1=1 --"}, "province"),
    ({"area": "../etc"}, "area"),
    ({"ids": "1,2,x"}, "ids"),
    ({"ids": "9" * 30}, "ids"),
    ({"q": "x" * 201}, "q"),
    ({"o": "password"}, "o"),
])
def test_invalid_values_are_form_errors(params, field):
    assert errors(params) == {field}


@pytest.mark.parametrize("params, field", [
    ({"year": "-1"}, "year"),
    ({"province": "<b>"}, "province"),
    ({"o": "id"}, "o"),
    ({"publisher": "x" * 101}, "publisher"),
])
def test_invalid_article_filters_are_form_errors(params, field):
    assert errors(params, ArticleFilterSet) == {field}


def test_slug_list_field_limits_and_deduplicates():
    field = SlugListField()
    assert field.clean(["a,b", "a"]) == ["a", "b"]
    with pytest.raises(ValidationError):
        field.clean(",".join(f"p{i}" for i in range(51)))


def test_id_list_field_sorts_and_deduplicates():
    assert IdListField().clean("3,1,3") == [1, 3]
    with pytest.raises(ValidationError):
        IdListField().clean(",".join(str(i) for i in range(2001)))


def test_article_filters(world):
    assert article_ids({}) == {world.a.pk, world.b.pk, world.c.pk}
    assert article_ids({"all": "1"}) == {world.a.pk, world.b.pk, world.c.pk, world.d.pk}
    assert article_ids({"province": "jiangsu"}) == {world.a.pk, world.b.pk}
    assert article_ids({"area": "kashgar"}) == {world.c.pk}
    assert article_ids({"q": "莎车"}) == {world.c.pk}
    assert article_ids({"q": "培训"}) == {world.a.pk, world.c.pk}
