"""The one place a request's page-wide switches are read: "verified only" (`?verified=1`) and the stage
(`?stage=`) every total of a page is for. Views and templates ask here."""

from .choices import Stage

# The stages a page's totals can be for, in the switch's order. Figures of unknown stage are in no total: a
# figure the text gives no cue for may be a plan or money spent, so adding it to either would mix the two.
PAGE_STAGES = (Stage.ACHIEVED, Stage.COMMITTED, Stage.PLANNED)
DEFAULT_STAGE = Stage.ACHIEVED


def verified_only(request) -> bool:
    """Whether the visitor asked for verified figures only: every total, link and form of the page keeps it."""
    return request.GET.get("verified") == "1"


def chosen_stage(request) -> str | None:
    """The stage the page's totals are for: `?stage=` if given once with one of PAGE_STAGES, the default when
    absent or empty, None when it is anything else (the page answers 400)."""
    asked = request.GET.getlist("stage")
    if not asked or asked == [""]:
        return DEFAULT_STAGE
    return asked[0] if len(asked) == 1 and asked[0] in PAGE_STAGES else None


def verified(request) -> dict:
    """`verified_only` for every template (the header's switch, hidden form fields, links that keep it)."""
    return {"verified_only": verified_only(request)}


def stage(request) -> dict:
    """The stage for every template (the header's switch, hidden form fields, links that keep it).

    `page_stage` is the page's stage (the default where the request's is not one a page shows);
    `page_stage_kept` is what links carry: the stage when it is not the default (so the default's address
    stays the plain one). `page_stages` is the switch: (value, label, value as links carry it) per stage.
    """
    chosen = chosen_stage(request) or DEFAULT_STAGE
    return {
        "page_stage": chosen,
        "page_stage_label": Stage(chosen).label,
        "page_stage_kept": _kept(chosen),
        "page_stages": [(value, Stage(value).label, _kept(value)) for value in PAGE_STAGES],
    }


def _kept(stage: str) -> str:
    return "" if stage == DEFAULT_STAGE else stage
