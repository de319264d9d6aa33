"""Tests for near-duplicate detection: shingles, bottom-k sketches and containment, on the seed pair 000/001."""
from pathlib import Path

from articles.text.dedupe import NEAR_DUPLICATE, containment, is_near_copy, shingles, sketch
from articles.text.split import split_articles

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _body(prefix: str, index: int = 0) -> str:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text("utf-8")
    return "\n".join(p.text for p in split_articles(text)[index].paragraphs)


def test_shingles_ignore_punctuation_and_spaces():
    assert shingles("援疆资金，3亿元。", 4) == shingles("援疆 资金3亿元", 4)


def test_shingles_of_short_and_empty_text():
    assert shingles("，。 ", 8) == set()
    assert len(shingles("援疆", 8)) == 1
    assert len(shingles("援疆资金3亿元", 4)) == 4


def test_shingle_hashes_are_stable_and_fit_a_signed_bigint():
    values = shingles("南通援疆干部人才晒出首年成绩单")
    assert values == shingles("南通援疆干部人才晒出首年成绩单")
    assert all(0 <= value < 2**63 for value in values)
    assert min(shingles("援疆资金3亿元", 8)) == 8223788788992676967  # XXH3-64 of the UTF-32-LE text, >> 1


def test_sketch_is_the_k_smallest_ascending():
    values = {9, 3, 7, 1, 5}
    assert sketch(values, k=3) == [1, 3, 5]
    assert sketch(set(), k=3) == []


def test_containment():
    assert containment({1, 2, 3, 4}, {1, 2, 3, 9}) == 0.75
    assert containment(set(), {1}) == 0.0


def test_000_is_a_near_copy_of_001s_first_article_but_not_of_the_red_tourism_report():
    page, agency, red = shingles(_body("000")), shingles(_body("001")), shingles(_body("001", 1))
    assert containment(page, agency) >= NEAR_DUPLICATE
    assert containment(page, red) < 0.05
    assert len(set(sketch(page)) & set(sketch(agency))) >= 3


def test_unrelated_seeds_are_not_near_copies():
    assert containment(shingles(_body("002")), shingles(_body("003"))) < 0.1


def test_near_copy_is_judged_on_the_shorter_text():
    page, truncated = set(range(100)), set(range(60))
    assert is_near_copy(page, truncated) and is_near_copy(truncated, page)
    assert not is_near_copy(set(range(100)), set(range(41, 141)))
    assert not is_near_copy(set(), set())


def test_seed_reprint_is_a_near_copy_and_other_seeds_are_not():
    assert is_near_copy(shingles(_body("000")), shingles(_body("001")))
    assert not is_near_copy(shingles(_body("002")), shingles(_body("003")))
