"""Small functions that create gazetteer, article and metric rows for tests, with plain defaults."""

import hashlib
import itertools
from datetime import date
from decimal import Decimal

from articles.choices import Approx, AreaLevel, Kind, Script, Sector, Stage, Status
from articles.models import (
    Article,
    Metric,
    Pairing,
    Paragraph,
    Province,
    RecipientArea,
    SourceFile,
)

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_province(slug=None, name_zh=None, name_en=None, parent=None, **fields) -> Province:
    n = _next()
    slug = slug or f"province-{n}"
    return Province.objects.create(
        slug=slug,
        name_zh=name_zh or f"省{n}",
        name_en=name_en or slug.replace("-", " ").title(),
        parent=parent,
        **fields,
    )


def make_area(slug=None, name_zh=None, name_en=None, level=AreaLevel.PREFECTURE, parent=None,
              **fields) -> RecipientArea:
    n = _next()
    slug = slug or f"area-{n}"
    return RecipientArea.objects.create(
        slug=slug,
        name_zh=name_zh or f"地区{n}",
        name_en=name_en or slug.replace("-", " ").title(),
        level=level,
        parent=parent,
        **fields,
    )


def make_pairing(province, area, confidence="high", source="test") -> Pairing:
    return Pairing.objects.create(province=province, area=area, confidence=confidence, source=source)


def make_source_file(name=None) -> SourceFile:
    name = name or f"file-{_next()}.txt"
    return SourceFile.objects.create(
        name=name, path=f"seeds/{name}", sha256=hashlib.sha256(name.encode()).hexdigest(),
        size=100, encoding="utf-8",
    )


def make_article(title=None, paragraphs=("第一段。",), published=date(2024, 5, 1), source_file=None,
                 originals=None, **fields) -> Article:
    """An article with one Paragraph per text in `paragraphs` (positions 0, 1, …)."""
    n = _next()
    source_file = source_file or make_source_file()
    text = "\n".join(paragraphs)
    article = Article.objects.create(
        source_file=source_file,
        position=fields.pop("position", n),
        title=title or f"援疆新闻{n}",
        published=published,
        original_text=text,
        content_hash=hashlib.sha256(f"{n}{text}".encode()).hexdigest(),
        script=fields.pop("script", Script.SIMPLIFIED),
        **fields,
    )
    originals = originals or paragraphs
    for position, (para, original) in enumerate(zip(paragraphs, originals, strict=True)):
        Paragraph.objects.create(article=article, position=position, text=para, original_text=original)
    return article


def make_metric(article=None, number_text=None, value=100, paragraph=0, kind=Kind.FUNDING,
                unit_family="yuan", unit="元", sector=Sector.GENERAL, province=None, area=None,
                status=Status.EXTRACTED, approx=Approx.EXACT, **fields) -> Metric:
    """A metric on the paragraph at position `paragraph`, its span found by `number_text` in the text.

    Without `number_text`, the span covers the first two characters of the paragraph.
    """
    article = article or make_article()
    para = article.paragraphs.get(position=paragraph)
    if number_text and number_text in para.text:
        start = para.text.index(number_text)
    else:
        start = 0
        number_text = number_text or para.text[:2]
    end = start + len(number_text)
    return Metric.objects.create(
        article=article,
        paragraph=para,
        start=fields.pop("start", start),
        end=fields.pop("end", end),
        number_text=number_text,
        quote=fields.pop("quote", para.text),
        value=Decimal(str(value)),
        unit=unit,
        unit_family=unit_family,
        approx=approx,
        kind=kind,
        sector=sector,
        province=province,
        area=area,
        status=status,
        **fields,
    )


def make_achieved(*args, **fields) -> Metric:
    """`make_metric` for a figure that reports aid delivered: the stage every page shows by default."""
    return make_metric(*args, stage=Stage.ACHIEVED, **fields)


def make_sample_world():
    """Two donors, a small gazetteer and four articles whose figures exercise every counting rule.

    江苏 → 伊犁州 (伊宁县), 上海 → 喀什地区 (莎车县), 浙江 → 第一师 (no figures). Figures:
    - A: 江苏 援疆资金 12亿元 (verified, 2021–2023) in 伊宁县, also reported by B (a duplicate);
    - A: 江苏 3000多人 trained (more_than) in 伊犁州; a rejected 江苏 funding figure (never counted);
    - C: 上海 5亿元 funding (about) in 莎车县, 2022; 上海 20 projects; 上海 8000 jobs (people) and
      1.2万人次 (person_times) of training: jobs and training in unlike units stay apart;
    - D (not about aid): 上海 99亿元, never counted.
    Every figure is achieved, as the importer reads its text (投入, 培训, 实施, 带动就业): the stage pages show by
    default.
    """
    from types import SimpleNamespace

    jiangsu = make_province("jiangsu", "江苏", "Jiangsu")
    nantong = make_province("nantong", "南通", "Nantong", parent=jiangsu)
    shanghai = make_province("shanghai", "上海", "Shanghai")
    zhejiang = make_province("zhejiang", "浙江", "Zhejiang")
    xinjiang = make_area("xinjiang", "新疆", "Xinjiang", level=AreaLevel.REGION)
    yili = make_area("yili", "伊犁州", "Ili", parent=xinjiang, longitude=81.3, latitude=43.9)
    yining = make_area("yining-county", "伊宁县", "Yining County", level=AreaLevel.COUNTY, parent=yili,
                       longitude=81.5, latitude=43.98)
    kashgar = make_area("kashgar", "喀什地区", "Kashgar", parent=xinjiang, longitude=75.99, latitude=39.47)
    shache = make_area("shache", "莎车县", "Shache County", level=AreaLevel.COUNTY, parent=kashgar,
                       longitude=77.25, latitude=38.41)
    corps = make_area("xpcc", "新疆生产建设兵团", "XPCC", level=AreaLevel.CORPS)
    first_division = make_area("first-division", "第一师", "1st Division", level=AreaLevel.DIVISION,
                               parent=corps, longitude=81.28, latitude=40.55)
    make_pairing(jiangsu, yining)
    make_pairing(shanghai, shache)
    make_pairing(zhejiang, first_division)

    a = make_article(
        "江苏援疆成效显著",
        paragraphs=["江苏今年投入援疆资金12亿元，用于伊宁县民生。", "培训各类人才3000多人。", "另有资金7亿元。"],
        published=date(2024, 3, 1), publisher="新疆日报",
    )
    b = make_article(
        "伊宁县获江苏援助", paragraphs=["江苏投入援疆资金12亿元。"], published=date(2024, 3, 2),
        publisher="伊犁日报",
    )
    c = make_article(
        "上海援疆莎车", paragraphs=["上海援疆资金约5亿元，实施项目20个。", "带动就业8000人，培训1.2万人次。"],
        published=date(2023, 6, 1), publisher="文汇报",
        originals=["上海援疆資金約5億元，實施項目20個。", "帶動就業8000人，培訓1.2萬人次。"],
    )
    d = make_article("非援疆新闻", paragraphs=["上海某公司投资99亿元。"], published=date(2024, 1, 1), is_aid=False)

    funding_a = make_achieved(a, "12亿元", 1_200_000_000, province=jiangsu, donor_city=nantong, area=yining,
                            status=Status.VERIFIED, year_start=2021, year_end=2023, period="2021—2023年",
                            sector=Sector.LIVELIHOOD)
    funding_b = make_achieved(b, "12亿元", 1_200_000_000, province=jiangsu, area=yining, duplicate_of=funding_a,
                            year_start=2021, year_end=2023, sector=Sector.LIVELIHOOD)
    trained_a = make_achieved(a, "3000多人", 3000, paragraph=1, kind=Kind.TRAINEES, unit_family="people",
                            unit="人", approx=Approx.MORE_THAN, province=jiangsu, area=yili, year_end=2024,
                            sector=Sector.TALENT)
    rejected_a = make_achieved(a, "7亿元", 700_000_000, paragraph=2, province=jiangsu, area=yili,
                             status=Status.REJECTED, year_end=2024)
    funding_c = make_achieved(c, "约5亿元", 500_000_000, province=shanghai, area=shache, approx=Approx.ABOUT,
                            year_start=2022, year_end=2022, sector=Sector.INDUSTRY)
    projects_c = make_achieved(c, "20个", 20, kind=Kind.PROJECTS, unit_family="count", unit="个",
                             province=shanghai, area=shache, year_end=2022, sector=Sector.INDUSTRY)
    jobs_c = make_achieved(c, "8000人", 8000, paragraph=1, kind=Kind.JOBS, unit_family="people", unit="人",
                         province=shanghai, area=shache, year_end=2022, sector=Sector.EMPLOYMENT)
    trained_c = make_achieved(c, "1.2万人次", 12000, paragraph=1, kind=Kind.TRAINEES, unit_family="person_times",
                            unit="人次", province=shanghai, area=shache, year_end=2023, sector=Sector.TALENT)
    not_aid = make_achieved(d, "99亿元", 9_900_000_000, province=shanghai, area=kashgar, year_end=2024)
    return SimpleNamespace(**locals())


def bulk_articles(count, world, start=0):
    """`count` more aid articles for the sample world, each with one paragraph and two counted figures
    (funding and jobs, achieved) spread over its donors and areas, written with bulk_create: cheap for a thousand."""
    source_file = make_source_file()
    donors = [(world.jiangsu, world.yining), (world.shanghai, world.shache)]
    articles = Article.objects.bulk_create([
        Article(source_file=source_file, position=start + i, title=f"批量援疆新闻{start + i}",
                published=date(2020 + i % 5, 1 + i % 12, 1), original_text="援疆资金3亿元，带动就业500人。",
                content_hash=hashlib.sha256(f"bulk{start + i}".encode()).hexdigest(), script=Script.SIMPLIFIED,
                publisher=f"报社{i % 7}")
        for i in range(count)
    ])
    paragraphs = Paragraph.objects.bulk_create([
        Paragraph(article=article, position=0, text="援疆资金3亿元，带动就业500人。",
                  original_text="援疆资金3亿元，带动就业500人。")
        for article in articles
    ])
    metrics = []
    for i, (article, paragraph) in enumerate(zip(articles, paragraphs, strict=True)):
        province, area = donors[i % len(donors)]
        common = {"article": article, "paragraph": paragraph, "province": province, "area": area,
                  "quote": paragraph.text, "year_end": 2020 + i % 5, "stage": Stage.ACHIEVED}
        metrics.append(Metric(start=4, end=7, number_text="3亿元", value=Decimal(300_000_000), unit="元",
                              unit_family="yuan", kind=Kind.FUNDING, sector=Sector.INDUSTRY,
                              approx=Approx.MORE_THAN if i % 3 == 0 else Approx.EXACT,
                              status=Status.VERIFIED if i % 4 == 0 else Status.EXTRACTED, **common))
        metrics.append(Metric(start=12, end=16, number_text="500人", value=Decimal(500), unit="人",
                              unit_family="people", kind=Kind.JOBS, sector=Sector.EMPLOYMENT, **common))
    Metric.objects.bulk_create(metrics)
    return articles
