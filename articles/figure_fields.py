"""A figure's fields, declared once: where each comes from and which lists (import, curation, export) hold it.

The pipeline's side is MetricDraft (articles/text/extract.py), a plain dataclass because text/ knows nothing of
Django; this table maps its attributes onto Metric's columns. The loader, curation and the export derive their
lists from it. Forms, admin fieldsets, the explorer's filters and the gold checker stay written by hand, and
tests/test_field_coverage.py fails when one of them misses a field. docs/development.md has the checklist.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureField:
    name: str           # the Metric field
    draft: str | None   # the MetricDraft attribute every import and re-import writes into it; None: never extracted
    fact: bool          # a curator's change to it is a change of the fact: the figure becomes "edited"
    export: bool        # a column of the export (CSV and JSON lines), under its own name
    filter: bool        # the explorer (MetricFilterSet) filters by it
    gold: bool          # the gold annotations (tests/data/gold) give it, and the accuracy is measured on it


# In the export's column order.
FIGURE_FIELDS = (
    #           name           draft          fact   export filter gold
    FigureField("paragraph",   "paragraph",   False, True,  False, False),
    FigureField("start",       "start",       False, False, False, False),
    FigureField("end",         "end",         False, False, False, False),
    FigureField("quote",       "quote",       False, True,  True,  False),
    FigureField("number_text", "number_text", True,  True,  False, True),
    FigureField("value",       "value",       True,  True,  True,  True),
    FigureField("value_high",  "value_high",  True,  False, False, True),
    FigureField("unit",        "unit",        True,  True,  False, True),
    FigureField("unit_family", "unit_family", True,  False, True,  False),
    FigureField("approx",      "approx",      True,  True,  True,  True),
    FigureField("kind",        "kind",        True,  True,  True,  True),
    FigureField("sector",      "sector",      True,  True,  True,  True),
    FigureField("stage",       "stage",       True,  True,  True,  True),
    FigureField("province",    "province",    True,  True,  True,  True),
    FigureField("donor_city",  "donor_city",  True,  True,  False, True),
    FigureField("area",        "area",        True,  True,  True,  True),
    FigureField("period",      "period",      True,  True,  False, True),
    FigureField("year_start",  "year_start",  True,  False, False, False),
    FigureField("year_end",    "year_end",    True,  False, True,  False),
    FigureField("confidence",  "confidence",  False, True,  False, False),
    FigureField("hold_reason", "hold",        False, False, False, False),
)

# MetricDraft attributes no column stores, and why.
DRAFT_ONLY = {
    "evidence": "the features the confidence was computed from; only the score is stored",
}

EXTRACTED = tuple(f for f in FIGURE_FIELDS if f.draft)
FACT_FIELDS = frozenset(f.name for f in FIGURE_FIELDS if f.fact)
EXPORTED = tuple(f.name for f in FIGURE_FIELDS if f.export)
