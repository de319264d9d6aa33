"""The shapes of the API's answers, as its OpenAPI schema publishes them.

Records are read from `values()` rows: a field whose row key is a lookup (`province__slug`) names it as its
validation alias, so the labels come joined from SQL and no model object is built per row.
"""

from datetime import date, datetime

from ninja import Field, Schema


class Error(Schema):
    detail: str = Field(description="What was wrong and what to do")
    parameter: str | None = Field(None, description="The query or path parameter at fault")


class Metric(Schema):
    id: int
    url: str = Field(description="The figure's permalink (absolute)")
    article_id: int
    article_title: str = Field(validation_alias="article__title")
    source_url: str = Field(validation_alias="article__url",
                            description="The article's original web address, after redirects; empty for a file")
    published: date | None = Field(validation_alias="article__published")
    article_url: str = Field(description="The paragraph the figure is in, on this site (absolute)")
    paragraph: int = Field(validation_alias="paragraph__position", description="Position of the paragraph")
    start: int = Field(description="Offset of the figure in the paragraph's text")
    end: int
    quote: str = Field(description="The sentence that holds the figure")
    number_text: str = Field(description="The number as written")
    value: float = Field(description="In base units: yuan, people, projects…")
    value_high: float | None = Field(description="Upper bound of a range")
    unit: str
    unit_family: str
    approx: str
    kind: str
    sector: str
    stage: str = Field(description="planned, committed, achieved or unknown: how far along the figure is")
    province: str | None = Field(validation_alias="province__slug", description="Donor province (slug)")
    province_name_zh: str | None = Field(validation_alias="province__name_zh")
    province_name_en: str | None = Field(validation_alias="province__name_en")
    donor_city: str | None = Field(validation_alias="donor_city__slug")
    donor_city_name_zh: str | None = Field(validation_alias="donor_city__name_zh")
    area: str | None = Field(validation_alias="area__slug", description="Recipient area (slug)")
    area_name_zh: str | None = Field(validation_alias="area__name_zh")
    area_name_en: str | None = Field(validation_alias="area__name_en")
    period: str
    year_start: int | None
    year_end: int | None
    confidence: float
    status: str
    duplicate_of: int | None = Field(validation_alias="duplicate_of_id", description="The figure this one repeats")
    hold_reason: str = Field(description="Why the figure is held out of totals until verified (empty if not)")
    stale: bool


class MetricPage(Schema):
    next: str | None = Field(description="The next page (absolute), or null on the last")
    results: list[Metric]


class Province(Schema):
    slug: str
    name_zh: str
    name_en: str
    parent: str | None = Field(validation_alias="parent__slug", description="The province of a city-level team")
    url: str
    areas: list[str] = Field(description="Slugs of the areas it is paired with")


class Pairing(Schema):
    province: str = Field(validation_alias="province__slug")
    confidence: str
    source: str


class Area(Schema):
    slug: str
    name_zh: str
    name_en: str
    level: str
    parent: str | None = Field(validation_alias="parent__slug")
    adcode: str
    longitude: float | None
    latitude: float | None
    url: str
    donors: list[Pairing] = Field(description="The official pairings of donors with this area")


class Article(Schema):
    id: int
    title: str
    publisher: str
    published: date | None
    figures: int = Field(description="Its figures, rejected ones left out")
    source_url: str = Field(description="The original web address, after redirects; empty for a file")
    url: str


class ArticlePage(Schema):
    next: str | None
    results: list[Article]


class Figure(Schema):
    id: int
    url: str
    start: int = Field(description="Offset of the figure's first character in the paragraph's text")
    end: int = Field(description="Offset just after its last character: text[start:end] is the number")
    number_text: str
    value: float
    unit: str
    kind: str
    sector: str
    status: str


class Paragraph(Schema):
    position: int
    role: str
    text: str = Field(description="Simplified, cleaned text; the figures' offsets point into it")
    figures: list[Figure]


class ArticleDetail(Schema):
    id: int
    title: str
    title_original: str
    publisher: str
    published: date | None
    dateline: str
    byline: str
    is_aid: bool
    duplicate_of: int | None = Field(validation_alias="duplicate_of_id")
    source_url: str = Field(description="The original web address, after redirects; empty for a file")
    fetched_at: datetime | None = Field(description="When the page was fetched, or captured by a web archive")
    published_from: str = Field(
        description="Where the date was read: text, metadata (the page's), capture (an archive's capture date)")
    url: str
    paragraphs: list[Paragraph]


class Total(Schema):
    by: str = Field(description="What the totals are per: province, area, sector, year or kind")
    group: str = Field(description="The group: a donor's or area's slug, a sector, a year or a kind")
    kind: str = Field(description="The kind of figure summed: a total never adds two kinds")
    unit_family: str = Field(description="The unit summed (money in yuan, people…): a total never adds two units")
    value: str = Field(description="The sum in base units, as an exact decimal")
    figures: int = Field(description="How many figures the sum adds")
    sources: int = Field(description="How many articles those figures come from")
    sign: str = Field(description="'≥' when a figure is a lower bound (多, 余), '≈' when one is approximate, else ''")
    year_from: int | None
    year_to: int | None
    mixed_periods: bool = Field(description="The figures cover different periods")
    url: str = Field(description="The figures behind the total, in the explorer (absolute)")
    verified_value: str = Field(description="Of the sum, the part a curator verified or edited (exact decimal)")
    verified_figures: int = Field(description="How many of the figures a curator verified or edited")
    verified_share: float = Field(
        description="How much of the total rests on checked figures, 0 to 1: by value, or by count for shares")
