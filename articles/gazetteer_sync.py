"""Gazetteer data file → Province, RecipientArea and Pairing rows; adds what is missing, never overwrites."""

from django.db import transaction

from .models import Pairing, Province, RecipientArea
from .text.gazetteer import Gazetteer


@transaction.atomic
def ensure_gazetteer(gazetteer: Gazetteer | None = None) -> int:
    """Create the donors, areas and pairings the database lacks; curators' edits of existing rows stay."""
    gazetteer = gazetteer or Gazetteer.load()
    created = _ensure_provinces(gazetteer) + _ensure_areas(gazetteer)
    return created + _ensure_pairings(gazetteer)


def _ensure_provinces(gazetteer: Gazetteer) -> int:
    known = set(Province.objects.values_list("slug", flat=True))
    rows = sorted(gazetteer.provinces.values(), key=lambda row: row.get("parent") is not None)
    created = 0
    for row in rows:
        if row["slug"] in known:
            continue
        parent = Province.objects.get(slug=row["parent"]) if row.get("parent") else None
        Province.objects.create(
            slug=row["slug"], name_zh=row["name_zh"], name_en=row["name_en"], parent=parent,
            aliases=row.get("aliases", []),
        )
        created += 1
    return created


def _ensure_areas(gazetteer: Gazetteer) -> int:
    known = set(RecipientArea.objects.values_list("slug", flat=True))
    pending = [row for row in gazetteer.areas.values() if row["slug"] not in known]
    created = 0
    while pending:  # parents before children, whatever the file's order
        ready = [row for row in pending if not row.get("parent") or row["parent"] in known]
        if not ready:
            raise ValueError(f"gazetteer areas with unknown parents: {[r['slug'] for r in pending][:5]}")
        for row in ready:
            RecipientArea.objects.create(
                slug=row["slug"], name_zh=row["name_zh"], name_en=row["name_en"], level=row["level"],
                parent=RecipientArea.objects.get(slug=row["parent"]) if row.get("parent") else None,
                aliases=row.get("aliases", []), adcode=str(row.get("adcode") or ""),
                longitude=row.get("lon"), latitude=row.get("lat"),
            )
            known.add(row["slug"])
            created += 1
        pending = [row for row in pending if row["slug"] not in known]
    return created


def _ensure_pairings(gazetteer: Gazetteer) -> int:
    provinces = dict(Province.objects.values_list("slug", "pk"))
    areas = dict(RecipientArea.objects.values_list("slug", "pk"))
    known = set(Pairing.objects.values_list("province_id", "area_id"))
    fresh = []
    for row in gazetteer.pairings:
        key = (provinces.get(row["donor"]), areas.get(row["area"]))
        if None in key or key in known:
            continue
        known.add(key)
        fresh.append(Pairing(province_id=key[0], area_id=key[1], confidence=row.get("confidence", ""),
                             source=row.get("source", "")[:200], note=row.get("note", "")))
    Pairing.objects.bulk_create(fresh)
    return len(fresh)
