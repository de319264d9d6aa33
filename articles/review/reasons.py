"""Why a figure's confidence is low, in words a curator can check, from what the figure row stores.

The row keeps the outcome of reading the figure, not every feature confidence.py weighed (where in the text
the donor and area were found is not stored), so these are the reasons that can be read back: a hold, a
missing donor or area, a stage the text gave no cue for, a kind the extractor often gets wrong.
"""

from django.utils.translation import gettext as _

from ..text.confidence import weight

# A kind whose weight lowers confidence by at least this much is named as a reason.
KIND_PENALTY = -0.1


def low_confidence_reasons(*, hold_reason: str, has_donor: bool, has_area: bool, stage: str, kind: str,
                           kind_label: str) -> list[str]:
    reasons = []
    if hold_reason:
        reasons.append(_("held for review: %(reason)s") % {"reason": hold_reason})
    if not has_donor:
        reasons.append(_("no donor found in the text"))
    if not has_area:
        reasons.append(_("no recipient area found in the text"))
    if stage == "unknown":
        reasons.append(_("the text gives no cue whether it is planned, committed or achieved"))
    if weight(f"kind:{kind}") <= KIND_PENALTY:
        reasons.append(_("figures of the kind “%(kind)s” are often misread") % {"kind": kind_label})
    return reasons
