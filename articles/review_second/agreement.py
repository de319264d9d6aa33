"""How far two codings of the same figures agree: the share agreed and Cohen's κ. Plain Python, no Django."""

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


def cohens_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's κ of (first coder's value, second coder's value) pairs: (pₒ − pₑ) / (1 − pₑ).

    pₒ is the share of pairs that agree, pₑ the agreement expected by chance from each coder's own distribution of
    values. None where κ is undefined: no pairs, or both coders always gave one and the same value (pₑ = 1).
    """
    n = len(pairs)
    if not n:
        return None
    observed = sum(first == second for first, second in pairs) / n
    firsts = Counter(first for first, _ in pairs)
    seconds = Counter(second for _, second in pairs)
    expected = sum(firsts[value] * seconds.get(value, 0) for value in firsts) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class Agreement:
    """Agreement over `pairs` codings: how many agreed, their share and κ (None when undefined)."""

    pairs: int
    agreed: int
    kappa: float | None

    @property
    def share(self) -> float | None:
        return self.agreed / self.pairs if self.pairs else None


def agreement(pairs: Sequence[tuple[Hashable, Hashable]]) -> Agreement:
    return Agreement(len(pairs), sum(a == b for a, b in pairs), cohens_kappa(pairs))


def field_agreement(codings: Iterable[tuple[dict, dict]], fields: Sequence[str]) -> dict[str, Agreement]:
    """Per field, the agreement of (first, second) codings, each a dict of field → value."""
    codings = list(codings)
    return {name: agreement([(first[name], second[name]) for first, second in codings]) for name in fields}


@dataclass(frozen=True)
class CuratorAgreement:
    """One curator's double-coded figures (as first or second coder): how many, and how many agreed on all fields."""

    curator: Hashable
    figures: int
    all_agreed: int
    fields_agreed: dict[str, int]

    @property
    def share(self) -> float | None:
        return self.all_agreed / self.figures if self.figures else None


def curator_agreement(codings: Iterable[tuple[Hashable, Hashable, dict, dict]],
                      fields: Sequence[str]) -> list[CuratorAgreement]:
    """Per curator, from (first curator, second curator, first coding, second coding): each figure counts for both
    of its curators. Sorted by curator."""
    figures, all_agreed = Counter(), Counter()
    fields_agreed: dict[Hashable, Counter] = {}
    for first_curator, second_curator, first, second in codings:
        same = {name for name in fields if first[name] == second[name]}
        for curator in {first_curator, second_curator}:
            figures[curator] += 1
            all_agreed[curator] += len(same) == len(fields)
            fields_agreed.setdefault(curator, Counter()).update(same)
    return [
        CuratorAgreement(curator, figures[curator], all_agreed[curator],
                         {name: fields_agreed[curator][name] for name in fields})
        for curator in sorted(figures, key=str)
    ]
