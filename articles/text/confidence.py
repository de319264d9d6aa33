"""How likely a figure is right in all of donor, area, kind and sector, from how it was read.

A figure's evidence is a few named features (where its donor and its area came from, whether its kind was
sure, its kind, whether it is held for review); `articles/data/confidence.json` holds one weight per feature,
fitted by `scripts/fit_confidence.py` as a logistic regression against the real-text gold set, so that a
confidence of 0.7 means right about 7 times in 10 on published reporting.
"""

import json
import math
from functools import lru_cache
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "confidence.json"
FLOOR, CEILING = 0.05, 0.99


def evidence(kind: str, kind_sure: bool, sector_sure: bool, donor_source: str, area_source: str) -> tuple[str, ...]:
    """The named features a figure's confidence is computed from."""
    features = [f"donor:{donor_source}", f"area:{area_source}", f"kind:{kind}"]
    if not kind_sure:
        features.append("kind:unsure")
    if not sector_sure:
        features.append("sector:unsure")
    return tuple(features)


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    return json.loads(WEIGHTS.read_text("utf-8"))["weights"]


def weight(feature: str) -> float:
    """The fitted weight of one named feature (0 for a feature the fit did not see)."""
    return _weights().get(feature, 0.0)


@lru_cache(maxsize=4096)
def confidence(features: tuple[str, ...]) -> float:
    weights = _weights()
    score = weights["intercept"] + sum(weights.get(name, 0.0) for name in features)
    return round(min(CEILING, max(FLOOR, 1 / (1 + math.exp(-score)))), 2)
