"""Score the extractor against hand-annotated gold figures: precision, recall and attribution accuracy."""

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field

from .extract import MetricDraft
from .gazetteer import Gazetteer
from .normalize import normalize
from .pipeline import process_path

ATTRIBUTES = ("province", "area", "kind", "sector")


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
    correct: dict = field(default_factory=lambda: defaultdict(int))
    misses: list = field(default_factory=list)
    false_hits: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

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
    for row in rows:
        prediction = _match(row, predictions)
        if row.get("negative"):
            if prediction:
                prediction.matched = True  # counted below as a false hit
                report.false_hits.append((row["file"], row["number_text"], row["context"], "negative"))
            continue
        core = row.get("core", True)
        report.gold_all += 1
        report.gold_core += core
        if prediction is None:
            report.misses.append((row["file"], row["number_text"], row["context"]))
            continue
        prediction.matched = True
        report.true_hits += 1
        report.found_all += 1
        report.found_core += core
        _score_attributes(row, prediction.draft, gazetteer, report)
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


def _score_attributes(row: dict, draft: MetricDraft, gazetteer, report: Report) -> None:
    predicted = {"province": draft.province, "area": draft.area, "kind": draft.kind, "sector": draft.sector}
    expected = {
        "province": _slug(gazetteer.provinces, row.get("province")),
        "area": _slug(gazetteer.areas, row.get("area")),
        "kind": row.get("kind"),
        "sector": row.get("sector"),
    }
    for attribute in ATTRIBUTES:
        if predicted[attribute] == expected[attribute]:
            report.correct[attribute] += 1
        else:
            names = {"province": gazetteer.provinces, "area": gazetteer.areas}.get(attribute)
            got = names[predicted[attribute]]["name_zh"] if names and predicted[attribute] else predicted[attribute]
            report.wrong.append((row["file"], row["number_text"], attribute, row.get(attribute), got))


def _slug(rows: dict, name: str | None) -> str | None:
    """The slug a gold name stands for: its full name or any alias (伊犁州 and 伊犁哈萨克自治州 are one area)."""
    if not name:
        return None
    for slug, row in rows.items():
        if name == slug or name == row["name_zh"] or name in row["aliases"]:
            return slug
    return name  # unknown to the gazetteer: can only match nothing
