"""Score the extractor against hand-annotated gold figures: precision, recall and attribution accuracy."""

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from .extract import MetricDraft
from .gazetteer import Gazetteer
from .normalize import normalize
from .pipeline import process_path

ATTRIBUTES = ("province", "area", "kind", "sector")
# Confidence bands of the reliability table: a figure at >= 0.8 should be right at least 90% of the time.
BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass
class Prediction:
    file: str
    paragraph_text: str
    draft: MetricDraft
    matched: bool = False


@dataclass
class Report:
    predictions: int = 0
    true_hits: int = 0
    gold_core: int = 0
    found_core: int = 0
    gold_all: int = 0
    found_all: int = 0
    non_aid_hits: int = 0
    staged: int = 0           # found figures whose gold row carries a stage (issue 12)
    stage_right: int = 0
    correct: dict = field(default_factory=lambda: defaultdict(int))
    misses: list = field(default_factory=list)
    false_hits: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    # (draft, right) for every scored prediction: right = a gold figure with donor, area, kind and sector right
    judged: list = field(default_factory=list)

    @property
    def brier(self) -> float:
        """Mean squared gap between a prediction's confidence and whether it was right (0 is perfect)."""
        return sum((d.confidence - r) ** 2 for d, r in self.judged) / len(self.judged) if self.judged else 0.0

    def reliability(self) -> list[tuple[float, float, int, float]]:
        """Per confidence band: (low, high, predictions, share right)."""
        rows = []
        for low, high in pairwise(BANDS):
            inside = [r for d, r in self.judged if low <= d.confidence < high or (high == d.confidence == 1.0)]
            rows.append((low, high, len(inside), sum(inside) / len(inside) if inside else 0.0))
        return rows

    def right_share_at(self, threshold: float) -> float:
        above = [r for d, r in self.judged if d.confidence >= threshold]
        return sum(above) / len(above) if above else 1.0

    @property
    def precision(self) -> float:
        return self.true_hits / self.predictions if self.predictions else 1.0

    @property
    def recall(self) -> float:
        return self.found_core / self.gold_core if self.gold_core else 1.0

    @property
    def recall_all(self) -> float:
        return self.found_all / self.gold_all if self.gold_all else 1.0

    def accuracy(self, attribute: str) -> float:
        return self.correct[attribute] / self.found_all if self.found_all else 1.0

    @property
    def stage_accuracy(self) -> float:
        """Share of found figures with a gold stage whose stage is right; 1.0 where no gold row has one."""
        return self.stage_right / self.staged if self.staged else 1.0


def load_gold(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def resolve_file(name: str, search_dirs: list[str]) -> str:
    for folder in search_dirs:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(f"gold file {name!r} not found in {search_dirs}")


def evaluate(gold: list[dict], search_dirs: list[str]) -> Report:
    gazetteer = Gazetteer.load()
    report = Report()
    by_file = defaultdict(list)
    for row in gold:
        by_file[row["file"]].append(row)
    for name, rows in sorted(by_file.items()):
        predictions, non_aid = _predict(resolve_file(name, search_dirs), name)
        if all(row.get("negative") for row in rows):
            # A text not about aid at all (a statistical communiqué, aid to Tibet): every figure from it is wrong.
            non_aid += len(predictions)
        report.non_aid_hits += non_aid
        _score_file(rows, predictions, gazetteer, report)
    return report


def _predict(path: str, name: str) -> tuple[list[Prediction], int]:
    processed = process_path(path)
    predictions, non_aid = [], 0
    for article in processed.articles:
        texts = {p.position: p.text for p in article.draft.paragraphs}
        if not article.draft.is_aid:
            non_aid += len(article.metrics)
        for draft in article.metrics:
            predictions.append(Prediction(name, texts[draft.paragraph], draft))
    return predictions, non_aid


def _score_file(rows: list[dict], predictions: list[Prediction], gazetteer, report: Report) -> None:
    report.predictions += len(predictions)
    found: dict[str, Prediction] = {}  # context of a gold figure -> the prediction that found it
    for row in sorted(rows, key=lambda r: bool(r.get("repeat"))):  # figures first, then their restatements
        prediction = _match(row, predictions)
        if row.get("repeat"):
            _score_repeat(row, prediction, rows, found, gazetteer, report)
            continue
        if row.get("negative"):
            if prediction:
                prediction.matched = True  # counted below as a false hit
                report.false_hits.append((row["file"], row["number_text"], row["context"], "negative"))
                report.judged.append((prediction.draft, False))
            continue
        core = row.get("core", True)
        report.gold_all += 1
        report.gold_core += core
        if prediction is None:
            report.misses.append((row["file"], row["number_text"], row["context"]))
            continue
        prediction.matched = True
        found[row["context"]] = prediction
        _count_found(row, prediction, gazetteer, report)
    matched = {_fact(p) for p in predictions if p.matched}
    for prediction in predictions:
        if prediction.matched:
            continue
        if _fact(prediction) in matched:
            # A repeated mention of an annotated fact (headline, repeated paragraph): neither right nor wrong.
            report.predictions -= 1
            continue
        draft = prediction.draft
        report.false_hits.append((prediction.file, draft.number_text, draft.quote[:40], "unannotated"))
        report.judged.append((draft, False))


def _count_found(row: dict, prediction: Prediction, gazetteer, report: Report) -> None:
    core = row.get("core", True)
    report.true_hits += 1
    report.found_all += 1
    report.found_core += core
    right = _score_attributes(row, prediction.draft, gazetteer, report)
    report.judged.append((prediction.draft, right))
    _score_stage(row, prediction.draft, report)


def _score_stage(row: dict, draft: MetricDraft, report: Report) -> None:
    """Stage is scored apart from the four attributes: it does not enter confidence (not yet read by it)."""
    if not row.get("stage"):
        return
    report.staged += 1
    if draft.stage == row["stage"]:
        report.stage_right += 1
    else:
        report.wrong.append((row["file"], row["number_text"], "stage", row["stage"], draft.stage))


def _score_repeat(row, prediction, rows, found, gazetteer, report) -> None:
    """A restatement of a figure annotated elsewhere in the file ('repeats <context>' in its note).

    Found as well as the figure, it is the fact counted twice: a false hit. Found instead of it, it stands for
    the figure: the miss is taken back and the prediction scored as the figure.
    """
    if prediction is None:
        return
    prediction.matched = True
    original = next((r for r in rows if not r.get("repeat") and not r.get("negative")
                     and r["context"] in (row.get("note") or "")), None)
    if original is None or original["context"] in found:
        report.false_hits.append((row["file"], row["number_text"], row["context"], "counted twice"))
        report.judged.append((prediction.draft, False))
        return
    miss = (original["file"], original["number_text"], original["context"])
    if miss in report.misses:
        report.misses.remove(miss)
    found[original["context"]] = prediction
    _count_found(original, prediction, gazetteer, report)


def _fact(prediction: Prediction) -> tuple:
    return prediction.file, prediction.draft.value, prediction.draft.kind


def _match(row: dict, predictions: list[Prediction]) -> Prediction | None:
    """The unmatched prediction whose span covers the gold figure inside its context.

    Contexts are quoted from the file; the pipeline's text has its punctuation normalized (',' -> '，'),
    so both are compared in normalized form.
    """
    context, number = _normalized(row["context"]), _normalized(row["number_text"])
    for prediction in predictions:
        if prediction.matched:
            continue
        text, draft = prediction.paragraph_text, prediction.draft
        at = text.find(context)
        while at != -1:
            figure = at + context.find(number)
            if draft.start < figure + len(number) and figure < draft.end:
                return prediction
            at = text.find(context, at + 1)
    return None


def _normalized(text: str) -> str:
    return normalize(text, "simplified").text


def _score_attributes(row: dict, draft: MetricDraft, gazetteer, report: Report) -> bool:
    """Count each attribute right or wrong; True when all of them are right."""
    predicted = {"province": draft.province, "area": draft.area, "kind": draft.kind, "sector": draft.sector}
    expected = {
        "province": _slug(gazetteer.provinces, row.get("province")),
        "area": _slug(gazetteer.areas, row.get("area")),
        "kind": row.get("kind"),
        "sector": row.get("sector"),
    }
    all_right = True
    for attribute in ATTRIBUTES:
        if predicted[attribute] == expected[attribute]:
            report.correct[attribute] += 1
        else:
            all_right = False
            names = {"province": gazetteer.provinces, "area": gazetteer.areas}.get(attribute)
            got = names[predicted[attribute]]["name_zh"] if names and predicted[attribute] else predicted[attribute]
            report.wrong.append((row["file"], row["number_text"], attribute, row.get(attribute), got))
    return all_right


def _slug(rows: dict, name: str | None) -> str | None:
    """The slug a gold name stands for: its full name or any alias (伊犁州 and 伊犁哈萨克自治州 are one area)."""
    if not name:
        return None
    for slug, row in rows.items():
        if name == slug or name == row["name_zh"] or name in row["aliases"]:
            return slug
    return name  # unknown to the gazetteer: can only match nothing
