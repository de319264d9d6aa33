"""What the extractor learns from the desk: the current extractor scored against curators' decisions. Plain Python.

Every curated figure is a decision about one span of a paragraph: verified (the extractor's reading was right),
edited (right on the fields the curator left, wrong on those changed), rejected (not an aid figure: a false
positive) or added by a curator (a figure the extractor missed). The current extractor's figures on the same
paragraphs are matched to them by overlapping span and scored field by field; the fields it gets wrong are
counted as corrections ("area: none → 喀什市 ×12"), most frequent first, so rule changes start from real ones.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

# The fields a curator decides and the extractor proposes, in the order the report lists them.
FIELDS = ("value", "kind", "sector", "province", "area", "stage")
DECISIONS = ("verified", "edited", "rejected", "added")


@dataclass(frozen=True)
class Decision:
    """A curator's decision on a span: `truth` holds the figure's fields as the curator left them."""

    article: int
    paragraph: int
    start: int
    end: int
    number_text: str
    decision: str
    truth: dict


@dataclass(frozen=True)
class Reading:
    """One figure the current extractor reads in an article: its span and its fields."""

    paragraph: int
    start: int
    end: int
    values: dict


@dataclass
class CuratedReport:
    decisions: Counter = field(default_factory=Counter)
    found: int = 0                       # true figures (verified, edited, added) the extractor reads now
    truths: int = 0                      # true figures decided on
    false_positives: int = 0             # rejected figures the extractor still reads
    rejected_dropped: int = 0            # rejected figures it no longer reads
    right: Counter = field(default_factory=Counter)      # field → found figures right on it
    corrections: Counter = field(default_factory=Counter)  # (field, extractor's value, curator's value) → times
    misses: list = field(default_factory=list)           # Decisions of true figures not read
    still_false: list = field(default_factory=list)      # rejected Decisions still read

    @property
    def recall(self) -> float:
        return self.found / self.truths if self.truths else 1.0

    @property
    def precision(self) -> float:
        """Of the decided spans the extractor reads now, the share that are aid figures."""
        read = self.found + self.false_positives
        return self.found / read if read else 1.0

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.found if self.found else 1.0

    def by_kind(self, decisions: list) -> list[tuple[str, int]]:
        """How many of these decisions (misses, or rejected figures still read) there are per kind, most first."""
        counts = Counter(d.truth.get("kind") for d in decisions)
        return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))

    def top_corrections(self, limit: int = 20) -> list[tuple[tuple, int]]:
        """The most frequent corrections, ties in field order then alphabetically."""
        order = {name: i for i, name in enumerate(FIELDS)}
        ranked = sorted(self.corrections.items(),
                        key=lambda item: (-item[1], order[item[0][0]], str(item[0][1]), str(item[0][2])))
        return ranked[:limit]


def overlaps(decision: Decision, reading: Reading) -> bool:
    return decision.paragraph == reading.paragraph and reading.start < decision.end and decision.start < reading.end


def score(decisions: list[Decision], readings: dict[int, list[Reading]]) -> CuratedReport:
    """Score the readings (article id → the current extractor's figures) against the decisions.

    A reading is matched to at most one decision: the first in span order that it overlaps.
    """
    report = CuratedReport()
    used: set[tuple[int, int]] = set()
    for decision in sorted(decisions, key=lambda d: (d.article, d.paragraph, d.start, d.end)):
        report.decisions[decision.decision] += 1
        reading = _match(decision, readings.get(decision.article, []), used)
        if decision.decision == "rejected":
            if reading is None:
                report.rejected_dropped += 1
            else:
                report.false_positives += 1
                report.still_false.append(decision)
            continue
        report.truths += 1
        if reading is None:
            report.misses.append(decision)
            continue
        report.found += 1
        for name in FIELDS:
            got, expected = reading.values.get(name), decision.truth.get(name)
            if got == expected:
                report.right[name] += 1
            else:
                report.corrections[(name, got, expected)] += 1
    return report


def _match(decision: Decision, readings: list[Reading], used: set) -> Reading | None:
    for index, reading in enumerate(readings):
        if (decision.article, index) not in used and overlaps(decision, reading):
            used.add((decision.article, index))
            return reading
    return None


def correction_text(correction: tuple, times: int, names: dict | None = None) -> str:
    """'area: none → 喀什市 ×12': the field, the extractor's value, the curator's, how often; `names` maps donor and
    area slugs to the names shown."""
    name, got, expected = correction

    def shown(value):
        if value is None or value == "":
            return "none"
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return (names or {}).get((name, value), str(value))

    return f"{name}: {shown(got)} → {shown(expected)} ×{times}"
