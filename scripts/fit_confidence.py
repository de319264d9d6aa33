"""Fit the confidence weights (articles/data/confidence.json) to the real-text gold set.

A logistic regression, L2-regularised, by plain gradient descent: the outcome is whether a figure the
extractor found is right in donor, area, kind and sector (a false figure counts as wrong). Run it after a
rule change, then check the reliability table of `evaluate_extraction` on both real sets:

    .venv/bin/python scripts/fit_confidence.py tests/data/gold/real.jsonl tests/data/gold/real2.jsonl …
"""

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.text.confidence import WEIGHTS  # noqa: E402
from articles.text.evaluate import evaluate, load_gold  # noqa: E402

PENALTY = 10.0      # L2 on every weight but the intercept: few examples per feature
STEPS, RATE = 4000, 0.5


def fit(samples: list[tuple[tuple[str, ...], bool]]) -> dict[str, float]:
    names = sorted({name for features, _ in samples for name in features})
    weights = dict.fromkeys(["intercept", *names], 0.0)
    count = len(samples)
    for _ in range(STEPS):
        gradient = dict.fromkeys(weights, 0.0)
        for features, right in samples:
            score = weights["intercept"] + sum(weights[name] for name in features)
            error = 1 / (1 + math.exp(-score)) - right
            gradient["intercept"] += error
            for name in features:
                gradient[name] += error
        for name in weights:
            regularise = PENALTY * weights[name] if name != "intercept" else 0.0
            weights[name] -= RATE * (gradient[name] + regularise) / count
    return {name: round(value, 3) for name, value in weights.items()}


def main() -> None:
    golds = sys.argv[1:]
    samples = []
    for gold in golds:
        report = evaluate(load_gold(gold), [str(Path(gold).with_suffix(""))])
        samples += [(draft.evidence, right) for draft, right in report.judged]
    weights = fit(samples)
    WEIGHTS.write_text(json.dumps({
        "about": "Logistic weights of articles/text/confidence.py, fitted by scripts/fit_confidence.py",
        "fitted_on": golds, "figures": len(samples), "weights": weights,
    }, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{len(samples)} figures; weights written to {WEIGHTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
