"""The extractor against the hand-annotated gold set: a regression in any measure fails here."""

from pathlib import Path

import pytest

from articles.text.evaluate import evaluate, load_gold

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold"
SETS = ("extra", "real", "real2", "real3", "real4", "real5", "real_holdout")
SEARCH = [str(GOLD / name) for name in SETS] + [str(ROOT / "seeds")]
# Floors just below what the extractor measures (see the report of issue 3); raise them when it improves.
# real.jsonl: 47 published reports and excerpts nobody here wrote (sources in real/sources.jsonl); the
# measure that counts. Its floors sit just below today's scores, which are still short of issue 11's targets.
FLOORS = {
    # Round 2 of issue 11 (2026-12-01): area 0.872 -> 0.903, sector 0.806 -> 0.822, kind 0.911 -> 0.914.
    # Round 3 (towns and regiments, the donor's bare 投资 as funding): area 0.903 -> 0.914, kind 0.914 -> 0.927;
    # sector 0.822 -> 0.819, floor lowered to 0.81: rn_08's 投资1.7亿元, now funding like its restatements, is
    # merged with the title's mention (dedupe keeps the first), whose sentence names no sector.
    # Round 4 (sector by what the money or people are for): sector 0.819 -> 0.885 (one gold row brought to the guide).
    # Round 5 (a donor's recipients counted together, 五县两市: no one area): area 0.914 -> 0.919.
    # Round 6 (lengths of things built are facilities, a firm's 利税 no output, 带动就业N个 jobs): kind 0.932 -> 0.935.
    # Round 6 on real5's classes (接诊, 意向投资金额, signed projects' sums, 基层阵地): kind 0.935 -> 0.942.
    "real.jsonl": {"precision": 0.95, "recall": 0.96, "province": 0.99, "area": 0.915, "kind": 0.94,
                   "sector": 0.88, "stage": 0.955},
    # 17 more published texts (北京 … 辽宁, 兵团 and national totals) chosen for hard areas, annotated by reading
    # (sources in real2/sources.jsonl). Scores on 2026-12-01 after the wave of issue 11 that added it: area 0.894,
    # sector 0.803; before it, 0.750 and 0.758.
    # Round 2: kind 0.886 -> 0.894; area and sector unchanged.
    # Round 3: area 0.894 -> 0.917 (126团 and 一八三团 name their division), kind 0.894 -> 0.917, sector 0.811.
    # Stage round 2 of issue 12 (rules found on this set and real4): stage 0.833 -> 0.917.
    # Round 4 of issue 11: sector 0.811 -> 0.894.
    # Round 6 (a donor's cities, districts and counties name it: 淮安工作组, 镇江援疆): province 0.947 -> 0.977.
    # Round 6: kind 0.917 -> 0.932, sector 0.894 -> 0.902.
    # Round 6 of issue 12 (筹措 committed, 落实 achieved, 援建资金 a noun): stage 0.917 -> 0.932.
    # Round 6: the corps as subject carries past a semicolon to the full stop: area 0.917 -> 0.947.
    "real2.jsonl": {"precision": 0.96, "recall": 0.96, "province": 0.97, "area": 0.94, "kind": 0.93,
                    "sector": 0.90, "stage": 0.93},
    # Annotated by another hand and never looked at figure by figure while the rules were written.
    # stage 0.795 on 2026-12-01, short of issue 12's 0.90: the rules were written on real.jsonl (0.961);
    # 0.808 once the rules were generalised on real3.jsonl (scored as a whole, never read figure by figure).
    # Round 2 of issue 11, scored as a whole only: area 0.808 -> 0.822; sector, kind and precision unchanged.
    # Round 3, scored as a whole only: precision 0.811 -> 0.901 (no figures from its non-aid texts any more).
    # Stage round 2 of issue 12, scored as a whole only: stage 0.808, unchanged.
    # Round 4 of issue 11, scored as a whole only: sector 0.630 unchanged (no figure's sector changes with its rules).
    # Round 6 of issue 11 (rules from real5), scored as a whole only: kind 0.795 -> 0.808, sector 0.630 -> 0.658.
    "real_holdout.jsonl": {"precision": 0.89, "recall": 0.98, "province": 0.94, "area": 0.82, "kind": 0.80,
                           "sector": 0.65, "stage": 0.80},
    # real3.jsonl: 20 more published texts chosen for stage variety (plans, allocations, delivery, project
    # attributes, progress rates); stage 0.781 before the rules were generalised on it, 0.896 after. The other
    # floors sit just below what the extractor measured when the set was added (donors and areas of the set's
    # multi-donor and 兵团 texts are hard for it).
    # Stage round 2 of issue 12: stage 0.896 -> 0.927 (precision 0.932 -> 0.941: a small count pointing back is
    # one fact with the count it restates).
    # Round 4 of issue 11: sector 0.812 -> 0.917.
    # Round 5 of issue 11 (donors counted together, 福建、山西两省, have no donor; a paragraph on the donor's
    # recipients together, 四县 or 5个受援县（师市）, is their common unit): province 0.833 -> 0.885,
    # area 0.688 -> 0.792.
    # Round 6 of issue 11: kind 0.948 -> 0.969.
    # Round 6: area 0.792 -> 0.833 (donors counted together still give their figures the area of the article).
    # Round 6 of issue 12: stage 0.927 -> 0.917 (筹措500万元防疫物资: goods raised and given, now committed).
    "real3.jsonl": {"precision": 0.92, "recall": 0.88, "province": 0.88, "area": 0.83, "kind": 0.96,
                    "sector": 0.91, "stage": 0.91},
    # real4.jsonl: 12 more published texts (round 3 of issue 11): 7 aid texts naming towns, townships and a
    # regiment, 5 non-aid texts (gifts from Xinjiang to 武汉 and 上海, two 兵团 statistical bulletins), sources in
    # real4/sources.jsonl. Floors just below the first scores after the round's rules (precision 0.523 before
    # them: 35 figures from the non-aid texts).
    # Stage round 2 of issue 12: stage 0.822 -> 0.867.
    # Round 4 of issue 11: sector 0.756 -> 0.889.
    # Round 6 of issue 11: kind 0.933 -> 0.978.
    # Round 6: a town shared with another province names its county right after its prefecture (昌吉回族自治州
    # 二十里店镇), and a donor's figures take the one county the article names within the donor's areas:
    # area 0.778 -> 0.933.
    "real4.jsonl": {"precision": 0.87, "recall": 0.96, "province": 0.93, "area": 0.93, "kind": 0.97,
                    "sector": 0.88, "stage": 0.86},
    # real5.jsonl: 23 more published texts (20 aid, 3 non-aid), annotated by another hand for round 6 of issue 11
    # (sources in real5/sources.jsonl). Its first score, before any rule was looked at on it (2026-12-01):
    # precision 0.855, recall 0.935, donor 1.000, area 0.934, kind 0.877, sector 0.858, stage 0.726.
    # Round 6: the parts of a total listed after 其中 are as far along as the total: stage 0.726 -> 0.811.
    # Round 6: a donor paired across units takes the one unit its article names: area 0.934 -> 0.953.
    # Round 6: the scheme's structure in more spellings (省(市), N个师, 前方指挥部), prices, numerals inside place
    # names (五家渠): precision 0.855 -> 0.906.
    # Round 6 of issue 12: 筹措/落实/援建资金 0.830 -> 0.840; a year's projects counted without a verb, 落成 and
    # 完工 as built, and 建成后 no sign of being built: 0.840 -> 0.877.
    # Round 6: a year's aid money named without a verb is its allocation; a project's attributes take the progress
    # the next sentence reports (主体已经封顶): stage 0.811 -> 0.830.
    # Round 6: kind cues (接诊, 意向投资金额, signed projects' sums, 基层阵地, 助力脱贫): kind 0.877 -> 0.943,
    # sector 0.858 -> 0.868.
    "real5.jsonl": {"precision": 0.90, "recall": 0.93, "province": 0.99, "area": 0.95, "kind": 0.94,
                    "sector": 0.86, "stage": 0.87},
    "seeds.jsonl": {"precision": 0.99, "recall": 0.99, "province": 0.99, "area": 0.95, "kind": 0.99,
                    "sector": 0.97},
    # extra: area 0.99 -> 0.94 when the article's title or lead came before the donor's pairings (issue 11).
    # extra: back to 0.959 in round 2 (a county named earlier in the paragraph beats the article's prefecture).
    "extra.jsonl": {"precision": 0.99, "recall": 0.99, "province": 0.99, "area": 0.95, "kind": 0.99,
                    "sector": 0.96},
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request):
    return request.param, evaluate(load_gold(GOLD / request.param), SEARCH)


def test_precision_and_recall(scored):
    name, report = scored
    floors = FLOORS[name]
    assert report.precision >= floors["precision"], report.false_hits
    assert report.recall >= floors["recall"], report.misses


@pytest.mark.parametrize("attribute", ["province", "area", "kind", "sector"])
def test_attribution(scored, attribute):
    name, report = scored
    wrong = [w for w in report.wrong if w[2] == attribute]
    assert report.accuracy(attribute) >= FLOORS[name][attribute], wrong


def test_stage(scored):
    """Only the real-text sets carry a gold stage (issue 12)."""
    name, report = scored
    if "stage" not in FLOORS[name]:
        pytest.skip(f"{name} has no stage annotations")
    wrong = [w for w in report.wrong if w[2] == "stage"]
    assert report.stage_accuracy >= FLOORS[name]["stage"], wrong


# No set's non-aid texts give figures since round 3 of issue 11 (the held-out set's gave 9 before: gifts from
# Xinjiang to a donor and statistical bulletins, now rejected as classes by split.aid_relevance).
NON_AID_HITS: dict[str, int] = {}


def test_no_figures_from_articles_not_about_aid(scored):
    name, report = scored
    assert report.non_aid_hits <= NON_AID_HITS.get(name, 0)


@pytest.mark.parametrize("name, brier", [("real.jsonl", 0.20), ("real_holdout.jsonl", 0.31)])
def test_confidence_is_calibrated_on_real_text(name, brier):
    """Brier scores on 2026-12-01: 0.191 on the set the weights were fitted on, 0.301 held out (0.318 and 0.367
    with the hand-set penalties before issue 11)."""
    report = evaluate(load_gold(GOLD / name), SEARCH)
    assert report.brier <= brier


def test_confident_figures_are_right_nine_times_in_ten_on_real_text():
    report = evaluate(load_gold(GOLD / "real.jsonl"), SEARCH)
    assert report.right_share_at(0.8) >= 0.9
