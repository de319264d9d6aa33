"""Imported articles, their paragraphs, the gazetteer of donors and areas, and the aid figures (metrics)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Approx, AreaLevel, Kind, Origin, PublishedFrom, Script, Sector, Stage, Status


class Province(models.Model):
    """A donor (援疆省市), or a city-level team under one (南通 under 江苏)."""

    slug = models.SlugField(max_length=64, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=32, unique=True)
    name_en = models.CharField(_("English name"), max_length=64)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="cities"
    )
    aliases = models.JSONField(default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["parent_id", "slug"]
        verbose_name = _("donor province")
        verbose_name_plural = _("donor provinces")

    def __str__(self):
        return f"{self.name_zh} {self.name_en}"

    def get_absolute_url(self):
        return reverse("articles:province", args=[self.top.slug])

    @property
    def top(self) -> "Province":
        return self.parent if self.parent_id else self


class RecipientArea(models.Model):
    """A recipient area in Xinjiang (受援地): prefecture, county, 兵团 division or regiment, zone."""

    slug = models.SlugField(max_length=64, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128)
    level = models.CharField(max_length=16, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.JSONField(default=list, blank=True)
    adcode = models.CharField(max_length=12, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    donors = models.ManyToManyField(Province, through="Pairing", related_name="areas")

    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("recipient area")
        verbose_name_plural = _("recipient areas")

    def __str__(self):
        return f"{self.name_zh} {self.name_en}"

    def get_absolute_url(self):
        return reverse("articles:area", args=[self.slug])


class Pairing(models.Model):
    """The official pairing of a donor with a recipient area (对口支援关系), with its source."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="pairings")
    area = models.ForeignKey(RecipientArea, on_delete=models.CASCADE, related_name="pairings")
    confidence = models.CharField(max_length=16)
    source = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "area"], name="unique_pairing"),
        ]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")

    def __str__(self):
        return f"{self.province.name_zh} → {self.area.name_zh}"


class SourceFile(models.Model):
    """A file given to import_articles; its digest makes a re-import of unchanged files a no-op."""

    name = models.CharField(
        max_length=255, unique=True, help_text=_("Path under the folder given to the import, or the base name")
    )
    path = models.CharField(max_length=1024)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    encoding = models.CharField(max_length=32)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("source file")
        verbose_name_plural = _("source files")

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def about_aid(self):
        return self.filter(is_aid=True)


class Article(models.Model):
    """One news article, as split out of a source file."""

    source_file = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="articles")
    position = models.PositiveIntegerField(help_text=_("Order of the article within its file"))
    title = models.CharField(max_length=500)
    title_original = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=100, blank=True)
    published = models.DateField(null=True, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    byline = models.CharField(max_length=200, blank=True)
    original_text = models.TextField(help_text=_("The article's lines exactly as read"))
    content_hash = models.CharField(max_length=64, db_index=True)
    script = models.CharField(max_length=12, choices=Script.choices)
    is_aid = models.BooleanField(_("about aid to Xinjiang"), default=True, db_index=True)
    aid_score = models.FloatField(default=0)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
        help_text=_("The article this one is a near-copy of"),
    )
    curated_fields = models.JSONField(
        _("fields set by a curator"), default=list, blank=True,
        help_text=_("A re-import of a changed file keeps these as the curator left them"),
    )
    # Where the article came from, for an article read from the web or a web archive (empty for a file on disk).
    url = models.URLField(
        _("original address"), max_length=2048, blank=True,
        help_text=_("The web address the article was read from, after redirects"),
    )
    requested_url = models.URLField(_("requested address"), max_length=2048, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    fetched_at = models.DateTimeField(
        _("fetched or captured"), null=True, blank=True,
        help_text=_("When the page was fetched, or captured by the web archive it was read from"),
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    published_from = models.CharField(
        _("date read from"), max_length=12, choices=PublishedFrom.choices, blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["original_text"])

    class Meta:
        ordering = ["-published", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["source_file", "position"], name="unique_article_in_file"),
        ]
        indexes = [
            models.Index(fields=["is_aid", "published"]),
            # Newest aid articles first, as the overview, the article list and a donor's or area's page list them:
            # the database walks this index and stops after a page instead of sorting every article.
            models.Index(
                F("published").desc(nulls_last=True), F("id").desc(),
                condition=Q(is_aid=True), name="article_aid_newest_first",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article", args=[self.pk])


class ArticleSketch(models.Model):
    """A bottom-k sample of an article's shingle hashes: finds near-copy candidates by index look-up."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sketch")
    value = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"{self.article_id}: {self.value}"


class Paragraph(models.Model):
    """One paragraph of an article; every figure on the site links to one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    original_text = models.TextField()
    text = models.TextField(help_text=_("Simplified, cleaned text; metric spans point into it"))
    role = models.CharField(max_length=12, default="body")

    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="unique_paragraph_position"),
        ]

    def __str__(self):
        return f"{self.article_id}#p-{self.position}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#p-{self.position}"


# Checked by a curator: what `verified()` and the explorer's `?verified=1` select, and a total's verified share.
VERIFIED = Q(status__in=[Status.VERIFIED, Status.EDITED])
# An implausible figure (articles/text/plausibility.py) no curator has verified yet: out of every total.
HELD_FOR_REVIEW = ~Q(hold_reason="") & Q(status=Status.EXTRACTED)


class MetricQuerySet(models.QuerySet):
    def not_rejected(self):
        return self.exclude(status=Status.REJECTED)

    def counted(self):
        """Figures that enter totals: not rejected, not a second report of a fact, not a plan a later figure
        reports delivered (articles/plans.py: the delivery counts), from aid articles, not
        stale (a re-import no longer found the number; a curator has to look at it first) and not held for review
        (too large for what it claims) unless a curator verified or edited it."""
        return self.not_rejected().filter(
            duplicate_of__isnull=True, fulfilled_by__isnull=True, article__is_aid=True, stale=False,
        ).exclude(HELD_FOR_REVIEW)

    def held(self):
        """Figures kept out of totals until a curator verifies them (articles/text/plausibility.py)."""
        return self.not_rejected().filter(HELD_FOR_REVIEW, duplicate_of__isnull=True, article__is_aid=True)

    def verified(self):
        return self.filter(VERIFIED)

    def curated(self):
        """Rows a re-import must never touch."""
        return self.filter(
            ~Q(status=Status.EXTRACTED) | Q(origin=Origin.CURATOR) | Q(merged_by_curator=True)
            | Q(plan_link_by_curator=True)
        )

    def uncurated(self):
        """The complement of curated(): rows only the extractor has decided on."""
        return self.filter(status=Status.EXTRACTED, merged_by_curator=False, plan_link_by_curator=False).exclude(
            origin=Origin.CURATOR)


class Metric(models.Model):
    """One quantitative fact about an aid programme, found in (or added to) a paragraph."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="metrics"
    )
    paragraph = models.ForeignKey(
        Paragraph, verbose_name=_("paragraph"), on_delete=models.PROTECT, related_name="metrics"
    )
    start = models.PositiveIntegerField(_("start"), help_text=_("Offset of the figure in the paragraph text"))
    end = models.PositiveIntegerField(_("end"))
    number_text = models.CharField(_("number as written"), max_length=64)
    quote = models.TextField(_("quote"), help_text=_("The sentence that holds the figure"))
    value = models.DecimalField(
        _("value"), max_digits=24, decimal_places=4, help_text=_("In base units: yuan, people…")
    )
    value_high = models.DecimalField(_("upper bound"), max_digits=24, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16)
    unit_family = models.CharField(_("unit family"), max_length=20, db_index=True)
    approx = models.CharField(_("approximation"), max_length=12, choices=Approx.choices, default=Approx.EXACT)
    # kind, province and area have no index of their own: the composite indexes in Meta start with them
    # and serve the same look-ups, and every index costs each imported figure an insert.
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, db_index=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.UNKNOWN, db_index=True,
        help_text=_(
            "Planned, committed (allocated or signed) or achieved (delivered); unknown where the text gives no cue"
        ),
    )
    province = models.ForeignKey(
        Province, verbose_name=_("donor province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="metrics", db_index=False,
        limit_choices_to={"parent__isnull": True},
    )
    donor_city = models.ForeignKey(
        Province, verbose_name=_("donor city"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="city_metrics",
        limit_choices_to={"parent__isnull": False},
    )
    area = models.ForeignKey(
        RecipientArea, verbose_name=_("recipient area"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="metrics", db_index=False,
    )
    period = models.CharField(_("period"), max_length=64, blank=True)
    year_start = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    year_end = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True, db_index=True)
    confidence = models.FloatField(_("confidence"), default=0.5, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.EXTRACTED, db_index=True
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.EXTRACTED)
    duplicate_of = models.ForeignKey(
        # PROTECT: a figure others are merged into is deleted only after they are pointed elsewhere, with history
        # (a SET_NULL would count them again without a trace).
        "self", verbose_name=_("same fact as"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="duplicates",
        help_text=_("The same fact reported elsewhere; this row is then not counted again"),
    )
    merged_by_curator = models.BooleanField(_("merged by a curator"), default=False)
    fulfilled_by = models.ForeignKey(
        # SET_NULL: the link is derived again after every import batch (articles/plans.py). A re-import that
        # replaces an uncurated delivery releases its plan, which the same batch links to the new row, where
        # PROTECT would fail the file; a link a curator set marks both ends curated, so no import deletes them.
        "self", verbose_name=_("plan of"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="plans",
        help_text=_("The later figure that reports this plan delivered; this one is then not counted"),
    )
    plan_link_by_curator = models.BooleanField(
        _("plan link set by a curator"), default=False,
        help_text=_("A curator linked or unlinked this figure as a plan or a delivery: re-imports keep it"),
    )
    hold_reason = models.CharField(
        _("held for review"), max_length=100, blank=True, default="",
        help_text=_("Why the figure is kept out of totals until a curator verifies it (too large for what it claims)"),
    )
    stale = models.BooleanField(
        _("stale"), default=False, help_text=_("A curated figure no longer found in the re-imported article")
    )
    # Matched in Python among one article's figures on re-import: an index would only slow every insert.
    extraction_key = models.CharField(_("extraction key"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MetricQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "paragraph__position", "start"]
        verbose_name = _("aid figure")
        verbose_name_plural = _("aid figures")
        indexes = [
            models.Index(fields=["province", "kind"]),
            models.Index(fields=["area", "kind"]),
            models.Index(fields=["kind", "unit_family"]),
            # A donor's latest figures (its page's short list) without sorting all of the donor's figures.
            models.Index(
                F("province"), F("year_end").desc(nulls_last=True), F("id").desc(), name="metric_province_latest",
            ),
            # The explorer's default order (newest first) over the figures it shows: a page's ids, even 4,000
            # pages deep, are read off this index alone. The condition is spelled as the explorer's filter is,
            # so SQLite recognises it.
            models.Index(fields=["id"], condition=~Q(status=Status.REJECTED), name="metric_shown_by_id"),
            # The review screen's first look-up, the held figures (articles/review/queue.py): only they are in it, so
            # it costs an import nothing for the others. Spelled as the queue's filter is, so SQLite recognises it.
            models.Index(fields=["confidence", "id"], condition=~Q(hold_reason=""), name="metric_held_by_confidence"),
        ]

    def __str__(self):
        return f"{self.number_text} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return self.paragraph.get_absolute_url()

    @property
    def is_curated(self) -> bool:
        """The row-level form of MetricQuerySet.curated(): a re-import must never touch it."""
        return (self.status != Status.EXTRACTED or self.origin == Origin.CURATOR or self.merged_by_curator
                or self.plan_link_by_curator)

    def holds_its_number(self, text: str) -> bool:
        """Whether the stored span of `text` (its paragraph's) is the number as written: a stale figure's is not."""
        return self.end > self.start and text[self.start:self.end] == self.number_text


class ReviewClaim(models.Model):
    """A curator's short hold on a figure in the review screen (articles/review/claims.py): no one else is
    shown it until the claim expires. One row per figure at most: the unique metric makes taking it atomic."""

    metric = models.OneToOneField(Metric, on_delete=models.CASCADE, related_name="review_claim")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_claims")
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("review claim")
        verbose_name_plural = _("review claims")

    def __str__(self):
        return f"#{self.metric_id} → {self.user_id} until {self.expires_at:%H:%M:%S}"


# The second review's rows live with their module (articles/review_second/); imported here so the app registers them.
from .review_second.models import FigureReview  # noqa: E402, F401
