"""Cohen's κ and the share agreed, against values worked out by hand. No database."""

import pytest

from articles.review_second.agreement import agreement, cohens_kappa, curator_agreement, field_agreement


def test_kappa_of_a_textbook_table():
    # 50 items: both yes 20, first yes/second no 5, first no/second yes 10, both no 15.
    # pₒ = 35/50 = 0.7; first yes 25/50, second yes 30/50: pₑ = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2/0.5 = 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohens_kappa(pairs) == pytest.approx(0.4)


def test_kappa_of_three_categories():
    # a/a, a/a, b/b, b/c, c/c, c/a: pₒ = 4/6; first a2 b2 c2, second a3 b1 c2: pₑ = (2·3 + 2·1 + 2·2)/36 = 12/36.
    # κ = (4/6 − 1/3) / (1 − 1/3) = (1/3)/(2/3) = 0.5.
    pairs = [("a", "a"), ("a", "a"), ("b", "b"), ("b", "c"), ("c", "c"), ("c", "a")]
    assert cohens_kappa(pairs) == pytest.approx(0.5)


def test_perfect_agreement_is_one_and_systematic_disagreement_is_below_zero():
    assert cohens_kappa([("a", "a"), ("b", "b")]) == 1.0
    # a/b, b/a: pₒ = 0, pₑ = 0.5 → κ = −1.
    assert cohens_kappa([("a", "b"), ("b", "a")]) == -1.0


def test_kappa_is_undefined_without_pairs_or_when_both_always_give_one_value():
    assert cohens_kappa([]) is None
    assert cohens_kappa([("a", "a"), ("a", "a")]) is None


def test_none_is_a_value_like_any_other():
    # A donor left empty by one coder and set by the other is a disagreement.
    assert agreement([(None, 1), (2, 2)]).agreed == 1


def test_field_agreement_and_share():
    codings = [({"kind": "funding", "sector": "health"}, {"kind": "funding", "sector": "education"}),
               ({"kind": "jobs", "sector": "health"}, {"kind": "jobs", "sector": "health"})]
    result = field_agreement(codings, ["kind", "sector"])
    assert (result["kind"].share, result["kind"].kappa) == (1.0, 1.0)
    # sector: pₒ = 1/2; first health 2/2, second health 1/2: pₑ = 1/2 → κ = 0.
    assert (result["sector"].share, result["sector"].kappa) == (0.5, 0.0)


def test_each_figure_counts_for_both_its_curators():
    fields = ["kind", "sector"]
    rows = [("ann", "bob", {"kind": "a", "sector": "x"}, {"kind": "a", "sector": "y"}),
            ("ann", "cai", {"kind": "a", "sector": "x"}, {"kind": "a", "sector": "x"})]
    by_curator = {row.curator: row for row in curator_agreement(rows, fields)}
    assert (by_curator["ann"].figures, by_curator["ann"].all_agreed, by_curator["ann"].share) == (2, 1, 0.5)
    assert by_curator["bob"].fields_agreed == {"kind": 1, "sector": 0}
    assert by_curator["cai"].share == 1.0
