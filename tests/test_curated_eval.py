"""evaluate_extraction --curated: the current extractor scored against curators' decisions (issue 17)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.choices import Kind, Origin, Sector, Stage, Status
from articles.curated_eval import Decision, Reading, correction_text, score
from articles.gazetteer_sync import ensure_gazetteer
from articles.models import Province, RecipientArea
from tests.factories import make_article, make_metric

FIELDS = {"value": Decimal(100), "kind": "funding", "sector": "general", "province": "jiangsu", "area": None,
          "stage": "achieved"}


def decision(made, start=0, end=4, paragraph=0, **truth):
    return Decision(article=1, paragraph=paragraph, start=start, end=end, number_text="100万", decision=made,
                    truth={**FIELDS, **truth})


def reading(start=0, end=4, paragraph=0, **values):
    return Reading(paragraph, start, end, {**FIELDS, **values})


# The scoring, without a database --------------------------------------------------------------------------------

def test_a_verified_figure_read_the_same_is_right_on_every_field():
    report = score([decision("verified")], {1: [reading()]})
    assert (report.found, report.truths, report.corrections) == (1, 1, {})
    assert all(report.accuracy(name) == 1.0 for name in FIELDS)


def test_an_edited_figure_counts_the_changed_fields_as_corrections():
    report = score([decision("edited", area="kashi-shi", kind="investment")], {1: [reading()]})
    assert report.corrections == {("area", None, "kashi-shi"): 1, ("kind", "funding", "investment"): 1}
    assert (report.accuracy("area"), report.accuracy("sector")) == (0.0, 1.0)


def test_a_rejected_figure_still_read_is_a_false_positive_and_one_no_longer_read_is_not():
    report = score([decision("rejected"), decision("rejected", paragraph=1)], {1: [reading()]})
    assert (report.false_positives, report.rejected_dropped, report.precision) == (1, 1, 0.0)


def test_a_figure_a_curator_added_and_the_extractor_still_misses_is_a_miss():
    added = decision("added", start=10, end=14)
    report = score([added], {1: [reading()]})
    assert (report.misses, report.recall) == ([added], 0.0)


def test_one_reading_answers_one_decision_only():
    report = score([decision("verified", start=0, end=4), decision("added", start=2, end=6)], {1: [reading()]})
    assert (report.found, len(report.misses)) == (1, 1)


def test_corrections_are_listed_most_frequent_first_with_names():
    decisions = [decision("edited", start=i * 10, end=i * 10 + 4, area="kashi-shi") for i in range(3)]
    decisions.append(decision("edited", start=40, end=44, kind="investment"))
    readings = [reading(start=i * 10, end=i * 10 + 4) for i in range(5)]
    report = score(decisions, {1: readings})
    lines = [correction_text(c, n, {("area", "kashi-shi"): "喀什市"}) for c, n in report.top_corrections()]
    assert lines == ["area: none → 喀什市 ×3", "kind: funding → investment ×1"]
    assert correction_text(("value", Decimal("5E+4"), Decimal("500000.0000")), 2) == "value: 50000 → 500000 ×2"


# The command, on a small database of curated figures -------------------------------------------------------------

TEXTS = ["江苏今年投入援疆资金12亿元，用于伊宁县民生。", "上海援疆资金约5亿元，实施项目20个。",
         "带动就业8000人，培训1.2万人次。", "喀什市新建学校3所，当地人口50万人。"]


@pytest.fixture
def curated(db):
    """The four paragraphs as imported, then curated: 12亿 verified; 5亿 edited (area → 莎车县, kind → investment);
    20个 edited (area → 莎车县); 50万人 (the town's population) rejected; 3所 verified; and a figure the extractor
    does not read, 两批 (two groups of cadres), added by a curator. 8000人 and 1.2万人次 are left undecided."""
    ensure_gazetteer()
    article = make_article("援疆成效", paragraphs=TEXTS)
    jiangsu, shanghai = Province.objects.get(slug="jiangsu"), Province.objects.get(slug="shanghai")
    area = RecipientArea.objects.get

    def figure(paragraph, number, value, kind, sector, province, area_slug, status, **fields):
        return make_metric(article, number, value, paragraph=paragraph, kind=kind, sector=sector, province=province,
                           area=area(slug=area_slug), status=status, stage=Stage.ACHIEVED, **fields)

    figure(0, "12亿元", 1_200_000_000, Kind.FUNDING, Sector.LIVELIHOOD, jiangsu, "yining-xian", Status.VERIFIED)
    figure(1, "约5亿元", 500_000_000, Kind.INVESTMENT, Sector.GENERAL, shanghai, "shache-xian", Status.EDITED)
    figure(1, "20个", 20, Kind.PROJECTS, Sector.GENERAL, shanghai, "shache-xian", Status.EDITED)
    figure(3, "3所", 3, Kind.FACILITIES, Sector.EDUCATION, shanghai, "kashi-shi", Status.VERIFIED)
    figure(3, "50万人", 500_000, Kind.BENEFICIARIES, Sector.EDUCATION, shanghai, "kashi-shi", Status.REJECTED)
    figure(2, "8000人", 8000, Kind.JOBS, Sector.EMPLOYMENT, shanghai, "yining-xian", Status.EXTRACTED)
    other = make_article("援疆干部", paragraphs=["上海选派两批干部。"])
    make_metric(other, "两批", 2, kind=Kind.CADRES, unit_family="count", province=shanghai, status=Status.VERIFIED,
                origin=Origin.CURATOR, stage=Stage.ACHIEVED)
    return article


def run(*args) -> str:
    out = StringIO()
    call_command("evaluate_extraction", "--curated", *args, stdout=out)
    return out.getvalue()


def test_the_command_scores_every_decision_and_lists_the_corrections(curated):
    output = run()
    assert "decisions: verified 2, edited 2, rejected 1, added 1" in output
    assert "recall 0.800 (4/5 verified, edited or added figures read)" in output
    assert "precision 0.800 (1 rejected figures still read, 0 no longer)" in output
    corrections = output.split("most frequent corrections:\n")[1].splitlines()
    assert corrections[:2] == ["  area: 喀什地区 → 莎车县 ×2", "  kind: funding → investment ×1"]
    assert "misses by kind: cadres ×1\nfalse positives by kind: beneficiaries ×1" in output
    assert "MISS   article" in output and "两批 (added)" in output
    assert "50万人 (rejected by a curator)" in output


def test_quiet_lists_no_single_figures(curated):
    output = run("--quiet")
    assert "area: 喀什地区 → 莎车县 ×2" in output and "MISS" not in output and "FALSE" not in output


def test_without_curated_figures_the_command_says_what_to_do(db):
    with pytest.raises(CommandError, match="no curated figure"):
        run()


def test_curated_and_gold_files_are_not_mixed(db):
    with pytest.raises(CommandError, match="not both"):
        call_command("evaluate_extraction", "tests/data/gold/seeds.jsonl", "--curated")
    with pytest.raises(CommandError, match="gold files"):
        call_command("evaluate_extraction")

