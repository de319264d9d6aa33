"""Public pages: thin views that ask selectors for numbers, charts for figures, and render one template each."""

from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import charts, selectors
from .cache import cached, storing
from .choices import HEADLINE_KINDS, Approx, Kind, Sector, Status
from .export import checked_records, iter_csv, iter_jsonl
from .filters import ArticleFilterSet, MetricFilterSet
from .models import Metric
from .params import parse_id
from .templatetags.aidmap import (
    NON_ADDITIVE_FAMILIES,
    bilingual,
    family_label,
    highlight_paragraph,
    text_list,
    unit_label,
)

GEOJSON = "geo/xinjiang_prefectures.geojson"
METRICS_PER_PAGE = 50
ARTICLES_PER_PAGE = 30
# Stands for the visitor's CSRF token in a page cached for everyone (letters only: HTML escaping keeps it).
CSRF_PLACEHOLDER = "aidmapcsrftokenplaceholder"
# The overview's parameters with the values it knows: its only addresses cached whole.
OVERVIEW_PARAMETERS = {"verified": {"1"}, "map_kind": set(Kind.values)}


# Small helpers shared by the pages --------------------------------------------------------------------------

def _verified(request) -> bool:
    return request.GET.get("verified") == "1"


def _base_scope(request) -> dict:
    return {"verified": "1"} if _verified(request) else {}


def _chosen_kind(request, totals, default=Kind.FUNDING) -> str:
    """The `kind` asked for if valid, else funding if the totals have it, else the kind with most figures."""
    asked = request.GET.get("kind")
    if asked in Kind.values:
        return asked
    figures = {}
    for total in totals:
        if total.group.get("unit_family") not in NON_ADDITIVE_FAMILIES:
            figures[total.kind] = figures.get(total.kind, 0) + total.figures
    if default in figures or not figures:
        return default
    return max(figures, key=figures.get)


def _chosen_family(asked, totals) -> str | None:
    families = {t.unit_family for t in totals}
    return asked if asked in families else selectors.dominant_family(totals)


def _donor_names():
    return {p.slug: bilingual(p.name_zh, p.name_en) for p in selectors.donor_provinces()}


def _area_names():
    return {a["slug"]: bilingual(a["name_zh"], a["name_en"]) for a in selectors.area_tree().values()}


def _chart_block(chart_id, figure, rows, family, title="", note=""):
    """What a chart include needs: the figure's data, the table of the same numbers, notes."""
    mixed = any(row["total"].mixed_periods for row in rows)
    return {
        "id": chart_id,
        "title": title,
        "figure": charts.figure_data(figure) if rows else None,
        "rows": rows,
        "unit": unit_label(family),
        "note": note,
        "mixed": mixed,
    }


def _row(total, names, key, href=None):
    first, second = names.get(key, (key, ""))
    return {"label": first, "alt": second, "total": total, "href": href}


def _bars(rows):
    return [charts.Bar.of(row["label"], row["total"], hover_label=_hover_name(row)) for row in rows]


def _hover_name(row):
    return f"{row['label']} {row['alt']}".strip()


def _kind_chart(chart_id, totals, kind, family, names, key_name, hrefs=None, title=""):
    """A bar chart and table of the totals of one kind and unit family, by `key_name` (province, sector…)."""
    chosen = [t for t in totals if t.kind == kind and t.unit_family == family and t.group.get(key_name)]
    others = {t.unit_family for t in totals if t.kind == kind and t.unit_family != family}
    rows = sorted(
        (_row(t, names, t.group[key_name], (hrefs or {}).get(t.group[key_name])) for t in chosen),
        key=lambda r: r["total"].value, reverse=True,
    )
    note = ""
    if others:
        note = _("Figures in other units (%(units)s) are counted apart and not shown here.") % {
            "units": text_list(sorted(family_label(f) for f in others))}
    return _chart_block(chart_id, charts.bar_figure(_bars(rows), family), rows, family, title, note)


def _kind_options():
    return [(value, label) for value, label in Kind.choices]


def _cached_charts(name, compute, *key):
    """Chart blocks for this data version, language and choice of page: building Plotly figures is slow."""
    return cached(f"charts:{name}:{get_language()}:{selectors.key_digest(key)}", compute)


# Overview ----------------------------------------------------------------------------------------------------

def overview(request):
    """What the data holds, the donors compared on the headline kinds, the map, the flows, the latest articles.

    The busiest page is cached whole, per data version, language and address: a warm request is one cache
    read. The one per-visitor part, the language form's CSRF token, is put in after the cache. Only the
    page's own addresses are cached whole; any other is rendered each time (from the cached blocks), so
    made-up query strings cannot fill the cache.
    """
    if _is_own_overview_address(request.GET):
        key = f"page:overview:{get_language()}:{selectors.key_digest(request.get_full_path())}"
        html = cached(key, lambda: _render_overview(request).content.decode())
    else:
        html = _render_overview(request).content.decode()
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _is_own_overview_address(params) -> bool:
    """Whether each parameter is one the overview reads, given once, with a value it knows."""
    return all(
        len(params.getlist(name)) == 1 and params[name] in OVERVIEW_PARAMETERS.get(name, ())
        for name in params
    )


def _render_overview(request):
    scope = _base_scope(request)
    map_kind = request.GET.get("map_kind")
    map_kind = map_kind if map_kind in Kind.values else Kind.FUNDING
    context = {
        "summary": selectors.data_summary(_verified(request)),
        **_cached_charts("overview", lambda: _overview_charts(scope, map_kind), scope, map_kind),
        "latest": selectors.latest_articles(),
        "kinds": _kind_options(),
        "csrf_token": CSRF_PLACEHOLDER,
    }
    return render(request, "articles/overview.html", context)


def _overview_charts(scope, map_kind):
    donors = _donor_names()
    donor_urls = {slug: reverse("articles:province", args=[slug]) for slug in donors}
    by_province = selectors.totals_by_province(scope)
    headlines = []
    for kind in HEADLINE_KINDS:
        of_kind = [t for t in by_province if t.kind == kind]
        family = selectors.dominant_family(of_kind)
        block = _kind_chart(f"headline-{kind}", of_kind, kind, family, donors, "province", donor_urls,
                            title=str(Kind(kind).label))
        headlines.append(block)
    return {
        "headlines": headlines,
        "map": _map_block(map_kind, scope, donors),
        "flows": _flows_block(scope, donors, donor_urls),
    }


def _map_block(kind, scope, donors):
    totals = selectors.totals_by_prefecture({**scope, "kind": kind})
    family = selectors.dominant_family(totals)
    by_slug = {t.bucket: t for t in totals if t.unit_family == family and t.bucket}
    names = _area_names()
    regions, rows = [], []
    for area in selectors.prefecture_level_areas():
        first, second = names[area["slug"]]
        total = by_slug.get(area["slug"])
        url = reverse("articles:area", args=[area["slug"]])
        lon, lat = _seat(area)
        bar = charts.Bar.of(first, total) if total else None
        regions.append(charts.Region(area["slug"], f"{first} {second}", lon, lat, url, bar))
        if total:
            rows.append({"label": first, "alt": second, "total": total, "href": url})
    markers = [
        charts.Marker(
            donor=p["province__slug"], donor_label=donors.get(p["province__slug"], ("", ""))[0],
            label=bilingual(p["area__name_zh"], p["area__name_en"])[0],
            longitude=p["area__longitude"], latitude=p["area__latitude"],
            url=reverse("articles:area", args=[p["area__slug"]]),
        )
        for p in selectors.map_pairings() if p["area__longitude"] is not None and p["area__latitude"] is not None
    ]
    geojson = finders.find(GEOJSON)
    colors = charts.donor_colors(donors)
    figure = charts.map_figure(regions, markers, colors, family, str(Kind(kind).label),
                               static(GEOJSON) if geojson else None)
    rows.sort(key=lambda r: r["total"].value, reverse=True)
    block = _chart_block("map", figure, rows, family)
    block.update(kind=kind, has_shapes=bool(geojson), drawable=bool(regions or markers),
                 figure=charts.figure_data(figure) if (regions or markers) else None)
    return block


def _seat(area):
    """An area's coordinates, or the mean of its children's when it has none of its own."""
    if area["longitude"] is not None and area["latitude"] is not None:
        return area["longitude"], area["latitude"]
    tree = selectors.area_tree()
    points = [(tree[c]["longitude"], tree[c]["latitude"]) for c in area["children"]
              if tree[c]["longitude"] is not None and tree[c]["latitude"] is not None]
    if not points:
        return None, None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _flows_block(scope, donors, donor_urls):
    data = selectors.donor_flows(scope)
    funded = {t.province for t in data["funding"]}
    flows = [charts.Flow(t.province, t.bucket, charts.Bar.of("", t), True)
             for t in data["funding"] if t.province and t.bucket]
    flows += [charts.Flow(t.province, t.bucket, charts.Bar.of("", t), False)
              for t in data["figures"] if t.province and t.bucket and t.province not in funded]
    areas = _area_names()
    area_urls = {slug: reverse("articles:area", args=[slug]) for slug in areas}
    figure = charts.sankey_figure(
        flows, {k: v[0] for k, v in donors.items()}, {k: v[0] for k, v in areas.items()},
        charts.donor_colors(donors), data["family"], donor_urls, area_urls,
    )
    rows = [
        {"donor": donors.get(f.donor, (f.donor, ""))[0], "area": areas.get(f.area, (f.area, ""))[0],
         "total": data_total, "by_funding": f.by_funding}
        for f, data_total in zip(flows, [*(t for t in data["funding"] if t.province and t.bucket),
                                         *(t for t in data["figures"] if t.province and t.bucket
                                           and t.province not in funded)])
    ]
    return {"id": "flows", "figure": charts.figure_data(figure) if flows else None, "rows": rows,
            "unit": unit_label(data["family"]), "any_counts": any(not f.by_funding for f in flows)}


# Compare -----------------------------------------------------------------------------------------------------

def compare(request):
    """Chosen donors (default: all with data) on one kind: by province and by sector, each with its table."""
    form = MetricFilterSet(
        {key: request.GET.getlist(key) if key == "province" else request.GET.get(key)
         for key in ("province", "kind", "verified") if key in request.GET}
    )
    valid = form.is_valid()
    chosen = form.form.cleaned_data.get("province") or []
    # A donor the data does not have matches nothing: computed, but not stored under its made-up name.
    with storing(valid and set(chosen) <= {p.slug for p in selectors.donor_provinces()}):
        return _compare(request, form, valid, chosen)


def _compare(request, form, valid, chosen):
    kind = form.form.cleaned_data.get("kind")
    scope = {**_base_scope(request), "province": chosen}
    all_kinds = selectors.totals_by_kind(scope)
    kind = kind or _chosen_kind(request, all_kinds)
    scope["kind"] = kind
    by_province = selectors.totals_by_province(scope)
    family = _chosen_family(request.GET.get("unit"), by_province)
    charts_of = _cached_charts("compare", lambda: _compare_charts(scope, kind, by_province, family), scope, family)
    context = {
        "form_errors": form.errors if not valid else None,
        "provinces": selectors.donor_provinces(),
        "chosen": set(chosen),
        "kinds": _kind_options(),
        **charts_of,
    }
    return render(request, "articles/compare.html", context, status=400 if not valid else 200)


def _compare_charts(scope, kind, by_province, family):
    donors = _donor_names()
    donor_urls = {slug: reverse("articles:province", args=[slug]) for slug in donors}
    province_chart = _kind_chart("by-province", by_province, kind, family, donors, "province", donor_urls)

    by_sector = [t for t in selectors.totals_by_sector_and_province(scope) if t.unit_family == family]
    sectors = [value for value in Sector.values if any(t.sector == value for t in by_sector)]
    sector_names = {value: (str(label), "") for value, label in Sector.choices}
    colors = charts.donor_colors(donors)
    shown = sorted({t.province for t in by_sector if t.province}, key=lambda s: donors.get(s, (s,))[0])
    series = [
        (donors.get(slug, (slug,))[0], colors.get(slug, charts.ACCENT),
         {sector_names[t.sector][0]: charts.Bar.of(sector_names[t.sector][0], t,
                                                   f"{donors.get(slug, (slug,))[0]} · {sector_names[t.sector][0]}")
          for t in by_sector if t.province == slug})
        for slug in shown
    ]
    sector_rows = sorted(
        ({"label": sector_names[t.sector][0], "alt": donors.get(t.province, (t.province, ""))[0], "total": t,
          "href": None} for t in by_sector if t.province),
        key=lambda r: (Sector.values.index(r["total"].sector), -r["total"].value),
    )
    sector_chart = _chart_block(
        "by-sector", charts.grouped_bar_figure([sector_names[s][0] for s in sectors], series, family),
        sector_rows, family)
    families = sorted({t.unit_family for t in by_province if t.kind == kind})
    return {
        "kind": kind,
        "family": family,
        "families": [(f, family_label(f)) for f in families],
        "province_chart": province_chart,
        "sector_chart": sector_chart,
        "non_additive": family in NON_ADDITIVE_FAMILIES,
    }


# One donor, one area -------------------------------------------------------------------------------------------

def _detail_charts(request, scope):
    """The charts a donor's and an area's page share: totals by kind, by sector and over time."""
    kind_totals = selectors.totals_by_kind(scope)
    kind = _chosen_kind(request, kind_totals)
    of_kind = [t for t in kind_totals if t.kind == kind]
    family = _chosen_family(request.GET.get("unit"), of_kind)
    return _cached_charts("detail", lambda: _detail_chart_blocks(scope, kind_totals, kind, family),
                          scope, kind, family)


def _detail_chart_blocks(scope, kind_totals, kind, family):
    sector_names = {value: (str(label), "") for value, label in Sector.choices}
    sector_chart = _kind_chart("by-sector", selectors.totals_by_sector(scope), kind, family, sector_names, "sector")
    year_totals = [t for t in selectors.totals_by_year(scope)
                   if t.kind == kind and t.unit_family == family and t.year]
    year_rows = [{"label": str(t.year), "alt": "", "total": t, "href": None}
                 for t in sorted(year_totals, key=lambda t: t.year)]
    time_chart = _chart_block("over-time", charts.timeline_figure(_bars(year_rows), family), year_rows, family)
    kind_rows = sorted(kind_totals, key=lambda t: (Kind.values.index(t.kind), -t.figures))
    return {
        "kind": kind, "family": family, "kinds": _kind_options(),
        "kind_totals": kind_rows, "sector_chart": sector_chart, "time_chart": time_chart,
        "non_additive": family in NON_ADDITIVE_FAMILIES,
    }


def province_detail(request, slug):
    """One donor: its pairings, totals by kind, sectors, figures over time, metrics and articles."""
    province = selectors.province_by_slug(slug)
    if province is None:
        raise Http404(_("No donor province with this name."))
    scope = {**_base_scope(request), "province": [province.slug]}
    context = {
        "province": province,
        "pairings": selectors.province_pairings(province),
        "metrics": selectors.scope_metrics(scope),
        "articles": selectors.articles_with_metrics(scope),
        "explorer_url": _explorer_url(scope),
        "held": selectors.held_count(scope),
        **_detail_charts(request, scope),
    }
    return render(request, "articles/province.html", context)


def area_detail(request, slug):
    """One recipient area with the areas below it: pairings, totals, child areas, sectors, time, metrics."""
    area = selectors.area_by_slug(slug)
    if area is None:
        raise Http404(_("No recipient area with this name."))
    scope = {**_base_scope(request), "area": slug}
    detail = _detail_charts(request, scope)
    tree = selectors.area_tree()
    children = sorted((tree[c] for c in area["children"]), key=lambda a: a["slug"])
    child_chart = None
    if children:
        names = _area_names()
        names[selectors.SELF_BUCKET + slug] = (_("(the area as a whole)"), "")
        child_totals = selectors.totals_by_child_area(slug, _base_scope(request))
        hrefs = {c["slug"]: reverse("articles:area", args=[c["slug"]]) for c in children}
        child_chart = _cached_charts(
            "by-child", lambda: _kind_chart("by-child", child_totals, detail["kind"], detail["family"], names,
                                            "bucket", hrefs),
            slug, _base_scope(request), detail["kind"], detail["family"])
    context = {
        "area": area,
        "level": area["level"],
        "ancestors": list(reversed(selectors.ancestors(area["id"]))),
        "children": children,
        "child_chart": child_chart,
        "pairings": selectors.area_pairings(area["id"]),
        "metrics": selectors.scope_metrics(scope),
        "articles": selectors.articles_with_metrics(scope),
        "explorer_url": _explorer_url(scope),
        "held": selectors.held_count(scope),
        **detail,
    }
    return render(request, "articles/area.html", context)


# Metric explorer ----------------------------------------------------------------------------------------------

EXPORTS = {
    "csv": (iter_csv, "text/csv; charset=utf-8", "csv"),
    "json": (iter_jsonl, "application/x-ndjson; charset=utf-8", "jsonl"),
}


def metric_list(request):
    """The metric explorer: filtered, sorted, paginated; `format=csv|json` streams exactly the filtered rows."""
    filterset = MetricFilterSet(request.GET, queryset=Metric.objects.all())
    valid = filterset.is_valid()
    export = request.GET.get("format")
    if export:
        if export not in EXPORTS:
            return HttpResponseBadRequest(_("Unknown format: use format=csv or format=json."))
        if not valid:
            return HttpResponseBadRequest(_("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()})
        writer, content_type, extension = EXPORTS[export]
        response = StreamingHttpResponse(writer(checked_records(filterset.qs)), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="aidmap-metrics.{extension}"'
        return response
    with storing(valid):
        return _metric_page(request, filterset, valid)


def _metric_page(request, filterset, valid):
    metrics = selectors.explorer_order(filterset.qs if valid else Metric.objects.none())
    count_key = selectors.count_key(filterset.form.cleaned_data) if valid else None
    page = selectors.MetricPaginator(metrics, METRICS_PER_PAGE, count_key).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "errors": filterset.errors if not valid else None,
        "page": page,
        "options": selectors.filter_options(),
        "kinds": _kind_options(),
        "sectors": Sector.choices,
        "statuses": Status.choices,
        "approxes": Approx.choices,
        "query": _query_without(request, "page", "format"),
        "sorts": [("", _("Most recently added first")), ("-published", _("Newest articles first")),
                  ("-value", _("Largest value")), ("value", _("Smallest value")),
                  ("-year", _("Latest year")), ("year", _("Earliest year")), ("-confidence", _("Most confident"))],
    }
    return render(request, "articles/metrics.html", context, status=200 if valid else 400)


def _explorer_url(scope):
    return reverse("articles:metrics") + "?" + urlencode(selectors.clean_scope(scope), doseq=True)


def _query_without(request, *keys):
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


# Articles -----------------------------------------------------------------------------------------------------

def article_list(request):
    """Aid articles, newest first, with search and filters."""
    filterset = ArticleFilterSet(request.GET, queryset=selectors.article_list_queryset())
    valid = filterset.is_valid()
    with storing(valid):
        return _article_page(request, filterset, valid)


def _article_page(request, filterset, valid):
    articles = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "errors": filterset.errors if not valid else None,
        "page": page,
        "options": selectors.filter_options(),
        "query": _query_without(request, "page"),
    }
    return render(request, "articles/article_list.html", context, status=200 if valid else 400)


def article_detail(request, pk):
    """The reader: each paragraph anchored, figures highlighted and linked, other sources, original text."""
    article = selectors.article_for_reader(pk)
    if article is None:
        raise Http404(_("No article with this number."))
    original = request.GET.get("text") == "original"
    current_id = parse_id(request.GET.get("metric"))
    paragraphs = selectors.reader_paragraphs(article)
    verified = _verified(request)
    for paragraph in paragraphs:
        if original:
            paragraph.html = paragraph.original_text
        else:
            paragraph.html = highlight_paragraph(
                paragraph.text, paragraph.shown_metrics,
                lambda m: selectors.metrics_link([m.pk], verified=verified), current_id,
            )
    context = {
        "article": article,
        "paragraphs": paragraphs,
        "original": original,
        "others": selectors.other_sources(article),
        "figures": [m for p in paragraphs for m in p.shown_metrics],
    }
    return render(request, "articles/article.html", context)
