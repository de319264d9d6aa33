"""FilterSets over metrics and articles: the filter state lives in the query string, so every view is a permalink."""

import re

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .choices import Approx, Kind, Sector, Stage, Status
from .models import Article, Metric, Paragraph, RecipientArea
from .params import parse_id_list

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")
MAX_IDS = 2000
# The gazetteer is at most region → prefecture → county → (town/regiment) deep.
AREA_DEPTH = 4
YEAR_BOUNDS = {"min_value": 1949, "max_value": 2100}
# Bounds that fit Metric.value (24 digits, 4 decimals), so no lookup can overflow the column.
VALUE_BOUNDS = {"min_value": -(10**19), "max_value": 10**19, "max_digits": 24, "decimal_places": 4}


class SlugListField(forms.Field):
    """One or more slugs (`?province=a&province=b` or `?province=a,b`), checked for form only.

    An unknown slug simply matches nothing, so validating costs no query.
    """

    widget = forms.SelectMultiple

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        slugs = [slug.strip() for item in value for slug in str(item).split(",") if slug.strip()]
        bad = [slug for slug in slugs if not SLUG_RE.match(slug)]
        if bad:
            raise ValidationError(_("Not a valid name: %(value)s"), params={"value": bad[0][:40]})
        if len(slugs) > 50:
            raise ValidationError(_("Choose at most 50."))
        return list(dict.fromkeys(slugs))


class SlugField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value and not SLUG_RE.match(value):
            raise ValidationError(_("Not a valid name: %(value)s"), params={"value": value[:40]})
        return value


class IdListField(forms.CharField):
    """`1,2,3`: the ids of exactly the metrics a chart element stands for."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        ids = parse_id_list(value)
        if ids is None:
            raise ValidationError(_("Give metric ids as numbers separated by commas."))
        if len(ids) > MAX_IDS:
            raise ValidationError(_("At most %(n)s ids."), params={"n": MAX_IDS})
        return ids


class SlugListFilter(df.Filter):
    field_class = SlugListField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class SlugFilter(df.Filter):
    field_class = SlugField


class IdsFilter(df.Filter):
    field_class = IdListField


def area_subtree(value, field: str = "slug"):
    """The ids of the area whose `field` is `value` and of every area below it, as a subquery (no query of its own)."""
    match = Q(**{field: value})
    for depth in range(1, AREA_DEPTH + 1):
        match |= Q(**{"__".join(["parent"] * depth) + f"__{field}": value})
    return RecipientArea.objects.filter(match).values("pk")


class MetricFilterSet(df.FilterSet):
    """The metric explorer's filters; the dashboard's selectors build their totals with it too."""

    ids = IdsFilter(field_name="pk", lookup_expr="in", label=_("Metric ids"))
    q = df.CharFilter(field_name="quote", lookup_expr="icontains", max_length=200, label=_("Quote contains"))
    province = SlugListFilter(field_name="province__slug", label=_("Donor province"))
    area = SlugFilter(method="filter_area", max_length=64,
                     label=_("Recipient area (with the areas below it)"))
    kind = df.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    unit_family = df.CharFilter(max_length=20, label=_("Unit family"))
    sector = df.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    stage = df.ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    status = df.ChoiceFilter(choices=Status.choices, label=_("Status"))
    approx = df.ChoiceFilter(choices=Approx.choices, label=_("Approximation"))
    year_min = df.NumberFilter(field_name="year_end", lookup_expr="gte", label=_("From year"), **YEAR_BOUNDS)
    year_max = df.NumberFilter(field_name="year_end", lookup_expr="lte", label=_("To year"), **YEAR_BOUNDS)
    value_min = df.NumberFilter(field_name="value", lookup_expr="gte", label=_("Value at least"), **VALUE_BOUNDS)
    value_max = df.NumberFilter(field_name="value", lookup_expr="lte", label=_("Value at most"), **VALUE_BOUNDS)
    verified = df.BooleanFilter(method="filter_verified", widget=df.widgets.BooleanWidget,
                                label=_("Verified figures only"))
    counted = df.BooleanFilter(method="filter_counted", widget=df.widgets.BooleanWidget,
                               label=_("Counted figures only (no duplicates)"))
    o = df.OrderingFilter(
        fields=(
            ("id", "id"),
            ("value", "value"),
            ("year_end", "year"),
            ("article__published", "published"),
            ("confidence", "confidence"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Metric
        fields = []

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_id__in=area_subtree(value)) if value else queryset

    def filter_verified(self, queryset, name, value):
        return queryset.verified() if value else queryset

    def filter_counted(self, queryset, name, value):
        return queryset.counted() if value else queryset

    def filter_queryset(self, queryset):
        """Rejected figures are left out unless the status filter asks for them."""
        if self.form.cleaned_data.get("status") != Status.REJECTED:
            queryset = queryset.not_rejected()
        return super().filter_queryset(queryset)


class ArticleFilterSet(df.FilterSet):
    """The article list's filters: text search, donor, area, publisher and year."""

    q = df.CharFilter(method="filter_text", max_length=200, label=_("Search title and text"))
    province = SlugFilter(method="filter_province", max_length=64, label=_("Donor province"))
    area = SlugFilter(method="filter_area", max_length=64, label=_("Recipient area"))
    publisher = df.CharFilter(max_length=100, label=_("Publisher"))
    year = df.NumberFilter(field_name="published__year", label=_("Year published"), **YEAR_BOUNDS)
    all = df.BooleanFilter(method="filter_all", widget=df.widgets.BooleanWidget,
                           label=_("Include articles not about aid"))
    o = df.OrderingFilter(fields=(("published", "published"), ("title", "title")), label=_("Sort by"))

    class Meta:
        model = Article
        fields = []

    def filter_text(self, queryset, name, value):
        in_text = Paragraph.objects.filter(article=OuterRef("pk"), text__icontains=value)
        return queryset.filter(Q(title__icontains=value) | Exists(in_text))

    def filter_province(self, queryset, name, value):
        return queryset.filter(Exists(Metric.objects.filter(article=OuterRef("pk"), province__slug=value)))

    def filter_area(self, queryset, name, value):
        in_area = Metric.objects.filter(article=OuterRef("pk"), area_id__in=area_subtree(value))
        return queryset.filter(Exists(in_area))

    def filter_all(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("all"):
            queryset = queryset.about_aid()
        return super().filter_queryset(queryset)
