"""/api/v1/provinces/ and /api/v1/areas/: the gazetteer of donors and recipient areas, with their pairings."""

from collections import defaultdict

from ninja import Router

from ..models import Pairing, Province, RecipientArea
from . import schemas
from .links import link_pattern

provinces = Router(tags=["places"])
areas = Router(tags=["places"])


@provinces.get("/", response=list[schemas.Province], summary="Donor provinces")
def list_provinces(request):
    """Every donor, and the city-level teams under one (with `parent`), with the areas each is paired with."""
    paired = defaultdict(list)
    for province_slug, area_slug in Pairing.objects.order_by("area__slug").values_list(
            "province__slug", "area__slug"):
        paired[province_slug].append(area_slug)
    page = link_pattern(request, "articles:province")
    rows = list(Province.objects.order_by("slug").values("slug", "name_zh", "name_en", "parent__slug"))
    for row in rows:
        # A city-level team has no page of its own: its figures are on its province's.
        row["url"] = page.format(row["parent__slug"] or row["slug"])
        row["areas"] = paired[row["slug"]]
    return rows


@areas.get("/", response=list[schemas.Area], summary="Recipient areas")
def list_areas(request):
    """Every recipient area as a tree (each names its `parent`), with its donors and the source of each pairing."""
    donors = defaultdict(list)
    for pairing in Pairing.objects.order_by("province__slug").values(
            "area_id", "province__slug", "confidence", "source"):
        donors[pairing.pop("area_id")].append(pairing)
    page = link_pattern(request, "articles:area")
    rows = list(RecipientArea.objects.order_by("slug").values(
        "id", "slug", "name_zh", "name_en", "level", "parent__slug", "adcode", "longitude", "latitude"))
    for row in rows:
        row["url"] = page.format(row["slug"])
        row["donors"] = donors[row.pop("id")]
    return rows
