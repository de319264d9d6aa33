"""Public pages: each view reads its request, asks `dashboard` (or the selectors) for the page's data, renders it."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import dashboard, selectors
from .api.links import site_root
from .cache import cached, storing
from .choices import Approx, Kind, Sector, Status
from .context_processors import PAGE_STAGES, chosen_stage, verified_only
from .export import XLSX_MAX_ROWS, checked_records, iter_csv, iter_jsonl, xlsx_file
from .filters import ArticleFilterSet, MetricFilterSet
from .models import Metric
from .params import parse_id
from .selectors import Scope
from .templatetags.aidmap import highlight_paragraph

METRICS_PER_PAGE = 50
ARTICLES_PER_PAGE = 30
# Stands for the visitor's CSRF token in a page cached for everyone (letters only: HTML escaping keeps it).
CSRF_PLACEHOLDER = "aidmapcsrftokenplaceholder"
# The overview's parameters with the values it knows: its only addresses cached whole.
OVERVIEW_PARAMETERS = {"verified": {"1"}, "map_kind": set(Kind.values), "stage": set(PAGE_STAGES)}


def _scope(request) -> Scope | None:
    """The figures every total of the page covers, as the request asks (verified only or not, one stage), or
    None when the stage asked for is not one a page shows."""
    stage = chosen_stage(request)
    return None if stage is None else Scope(verified=verified_only(request), stage=stage)


def _unknown_stage():
    return HttpResponseBadRequest(
        _("Unknown stage: use stage=achieved, stage=committed or stage=planned. Figures of unknown stage are in "
          "no total; the explorer lists them with stage=unknown.")
    )


# Overview ----------------------------------------------------------------------------------------------------

def overview(request):
    """What the data holds, the donors compared on the headline kinds, the map, the flows, the latest articles.

    The busiest page is cached whole, per data version, language and address: a warm request is one cache
    read. The one per-visitor part, the language form's CSRF token, is put in after the cache. Only the
    page's own addresses are cached whole; any other is rendered each time (from the cached blocks), so
    made-up query strings cannot fill the cache.
    """
    if _scope(request) is None:
        return _unknown_stage()
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
    map_kind = request.GET.get("map_kind")
    page = dashboard.overview(_scope(request), map_kind if map_kind in Kind.values else Kind.FUNDING)
    return render(request, "articles/overview.html", {**page.context(), "csrf_token": CSRF_PLACEHOLDER})


# Compare -----------------------------------------------------------------------------------------------------

def compare(request):
    """Chosen donors (default: all with data) on one kind: by province and by sector, each with its table."""
    form = MetricFilterSet(
        {key: request.GET.getlist(key) if key == "province" else request.GET.get(key)
         for key in ("province", "kind", "verified") if key in request.GET}
    )
    valid = form.is_valid()
    chosen = form.form.cleaned_data.get("province") or []
    if (scope := _scope(request)) is None:
        return _unknown_stage()
    scope = scope.narrowed(provinces=tuple(chosen))
    # A donor the data does not have matches nothing: computed, but not stored under its made-up name.
    with storing(valid and set(chosen) <= {p.slug for p in selectors.donor_provinces()}):
        page = dashboard.compare(scope, form.form.cleaned_data.get("kind"), request.GET.get("unit"))
        context = {**page.context(), "form_errors": form.errors if not valid else None}
        return render(request, "articles/compare.html", context, status=400 if not valid else 200)


# One donor, one area -------------------------------------------------------------------------------------------

def province_detail(request, slug):
    """One donor: its pairings, totals by kind, sectors, figures over time, metrics and articles."""
    if (scope := _scope(request)) is None:
        return _unknown_stage()
    page = dashboard.donor(slug, scope, request.GET.get("kind"), request.GET.get("unit"))
    if page is None:
        raise Http404(_("No donor province with this name."))
    return render(request, "articles/province.html", page.context())


def area_detail(request, slug):
    """One recipient area with the areas below it: pairings, totals, child areas, sectors, time, metrics."""
    if (scope := _scope(request)) is None:
        return _unknown_stage()
    page = dashboard.area(slug, scope, request.GET.get("kind"), request.GET.get("unit"))
    if page is None:
        raise Http404(_("No recipient area with this name."))
    return render(request, "articles/area.html", page.context())


# Metric explorer ----------------------------------------------------------------------------------------------

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
STREAMED = {"csv": iter_csv, "json": iter_jsonl}


def metric_list(request):
    """The metric explorer: filtered, sorted, paginated; `format=csv|json|xlsx` exports exactly the filtered rows."""
    filterset = MetricFilterSet(request.GET, queryset=Metric.objects.all())
    valid = filterset.is_valid()
    export = request.GET.get("format")
    if export:
        if export not in EXPORTS:
            return _bad_request(_("Unknown format “%(format)s”: use format=csv, format=json or format=xlsx.")
                                % {"format": export[:40]})
        if not valid:
            return HttpResponseBadRequest(_("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()})
        return _export(request, filterset.qs, export)
    with storing(valid):
        return _metric_page(request, filterset, valid)


def _export(request, metrics, export):
    content_type, extension = EXPORTS[export]
    filename = f"aidmap-metrics.{extension}"
    if export == "xlsx" and metrics[:XLSX_MAX_ROWS + 1].count() > XLSX_MAX_ROWS:
        return _bad_request(_("More figures than an xlsx export holds (%(limit)s rows): narrow the filters or use "
                              "format=csv.") % {"limit": f"{XLSX_MAX_ROWS:,}"})
    records = checked_records(metrics, site_root(request))
    if export == "xlsx":  # a zip, written whole before it is sent
        return FileResponse(xlsx_file(records), as_attachment=True, filename=filename, content_type=content_type)
    response = StreamingHttpResponse(STREAMED[export](records), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_request(message: str) -> HttpResponseBadRequest:
    """A refused request, in plain text: the message may repeat what was sent."""
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def metric_detail(request, pk):
    """A figure's permalink: its sentence, attribution, status, other reports of the same fact, citations."""
    figure_id = parse_id(pk)
    page = dashboard.figure(figure_id, site_root(request), timezone.localdate()) if figure_id else None
    if page is None:
        raise Http404(_("No figure with this number."))
    return render(request, "articles/metric.html", page.context())


def _metric_page(request, filterset, valid):
    metrics = selectors.explorer_order(filterset.qs if valid else Metric.objects.none())
    count_key = selectors.count_key(filterset.form.cleaned_data) if valid else None
    page = selectors.MetricPaginator(metrics, METRICS_PER_PAGE, count_key).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "errors": filterset.errors if not valid else None,
        "page": page,
        "options": selectors.filter_options(),
        "kinds": Kind.choices,
        "sectors": Sector.choices,
        "statuses": Status.choices,
        "approxes": Approx.choices,
        "query": _query_without(request, "page", "format"),
        "sorts": [("", _("Most recently added first")), ("-published", _("Newest articles first")),
                  ("-value", _("Largest value")), ("value", _("Smallest value")),
                  ("-year", _("Latest year")), ("year", _("Earliest year")), ("-confidence", _("Most confident"))],
    }
    return render(request, "articles/metrics.html", context, status=200 if valid else 400)


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
    verified = verified_only(request)
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
