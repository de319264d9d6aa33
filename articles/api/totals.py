"""/api/v1/totals/: the totals the pages chart, as data, from the same selectors (so page and API agree)."""

from ninja import Router

from .. import selectors
from ..choices import Kind
from ..context_processors import DEFAULT_STAGE, PAGE_STAGES
from ..formatting import exact_number
from ..selectors import Scope, Total
from . import schemas
from .errors import BadParameter
from .links import absolute

router = Router(tags=["totals"])

# `by` → the selector the pages draw that breakdown with; the group's own key in its `group`.
BREAKDOWNS = {
    "province": (selectors.totals_by_province, "province"),   # the overview's and /compare/'s bars
    "area": (selectors.totals_by_prefecture, "bucket"),        # the map: prefecture-level areas
    "sector": (selectors.totals_by_sector, "sector"),
    "year": (selectors.totals_by_year, "year"),
    "kind": (selectors.totals_by_kind, "kind"),
}


@router.get("/", response={200: list[schemas.Total], 400: schemas.Error}, summary="Totals",
            openapi_extra={"parameters": [
                {"in": "query", "name": "by", "schema": {"type": "string", "enum": list(BREAKDOWNS)},
                 "description": "What the totals are per (default province)"},
                {"in": "query", "name": "kind", "schema": {"type": "string", "enum": list(Kind.values)},
                 "description": "Only this kind of figure"},
                {"in": "query", "name": "stage", "schema": {"type": "string", "enum": list(PAGE_STAGES)},
                 "description": "The one stage the totals are for (default achieved): stages are never added"},
                {"in": "query", "name": "verified", "schema": {"type": "string", "enum": ["1"]},
                 "description": "1: verified figures only"},
                {"in": "query", "name": "province", "schema": {"type": "string"},
                 "description": "Only this donor's figures (slug); repeat for several"},
                {"in": "query", "name": "area", "schema": {"type": "string"},
                 "description": "Only figures in this area and the areas below it (slug)"},
            ]})
def list_totals(request):
    """Totals of counted figures, one per group, kind and unit family (a total never adds two units, two kinds
    or two stages), with the number of figures and sources behind each and the link to those figures."""
    by = _one(request, "by", "province")
    if by not in BREAKDOWNS:
        raise BadParameter("by", f"Use one of: {', '.join(BREAKDOWNS)}.")
    selector, key = BREAKDOWNS[by]
    totals = selector(_scope(request))
    return [_record(request, total, by, key) for total in totals if total.group.get(key) is not None]


def _scope(request) -> Scope:
    stage = _one(request, "stage", DEFAULT_STAGE)
    if stage not in PAGE_STAGES:
        raise BadParameter("stage", f"Use one of: {', '.join(PAGE_STAGES)} (figures of unknown stage are in no total).")
    kind = _one(request, "kind", None)
    if kind is not None and kind not in Kind.values:
        raise BadParameter("kind", f"Unknown kind {kind!r}.")
    verified = _one(request, "verified", None)
    if verified not in (None, "1"):
        raise BadParameter("verified", "Use verified=1, or leave it out.")
    provinces = tuple(request.GET.getlist("province"))
    if provinces and not all(selectors.province_by_slug(slug) for slug in provinces):
        raise BadParameter("province", "Unknown donor; see /api/v1/provinces/.")
    area = _one(request, "area", None)
    if area is not None and selectors.area_by_slug(area) is None:
        raise BadParameter("area", "Unknown area; see /api/v1/areas/.")
    return Scope(verified=verified == "1", provinces=provinces, area=area, kind=kind, stage=stage)


def _one(request, name: str, default):
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, "Give it once.")
    return values[0] if values and values[0] != "" else default


def _record(request, total: Total, by: str, key: str) -> dict:
    return {
        "by": by,
        "group": str(total.group[key]),
        "kind": total.group.get("kind"),
        "unit_family": total.group.get("unit_family"),
        "value": exact_number(total.value),
        "figures": total.figures,
        "sources": total.sources,
        "sign": total.sign,
        "year_from": total.year_from,
        "year_to": total.year_to,
        "mixed_periods": total.mixed_periods,
        "url": absolute(request, total.url),
        "verified_value": exact_number(total.verified_value),
        "verified_figures": total.verified_figures,
        "verified_share": total.verified_share,
    }
