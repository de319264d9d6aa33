"""One curator's coding of a figure in a round of the second review: the five fields double coding compares."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Kind, Sector, Stage

# The fields each round codes, in the order the pages show them.
CODED_FIELDS = ("kind", "sector", "province", "area", "stage")


class Round(models.IntegerChoices):
    FIRST = 1, _("first curator (verified it)")
    SECOND = 2, _("second curator (blind)")
    THIRD = 3, _("third look (decides)")


class FigureReview(models.Model):
    """What one curator coded for a figure in one round: round 1 is the verification as it stood when the second
    curator answered, round 2 the blind second coding, round 3 the third look's decision."""

    metric = models.ForeignKey("articles.Metric", on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="figure_reviews",
        help_text=_("Empty when the figure's history does not say who verified it"),
    )
    round = models.PositiveSmallIntegerField(choices=Round.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    province = models.ForeignKey(
        "articles.Province", verbose_name=_("donor province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "articles.RecipientArea", verbose_name=_("recipient area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    decided_at = models.DateTimeField(_("decided at"))
    # Stored with the second coding, so the third-look queue is one indexed query however many figures agreed.
    differs_on = models.CharField(
        _("differs on"), max_length=64, blank=True,
        help_text=_("Round 2: the fields coded otherwise than in round 1, comma-separated; empty when they agree"),
    )

    class Meta:
        app_label = "articles"
        verbose_name = _("figure review")
        verbose_name_plural = _("figure reviews")
        constraints = [models.UniqueConstraint(fields=["metric", "round"], name="one_review_per_round")]
        indexes = [models.Index(fields=["round", "metric"])]

    def __str__(self):
        return f"{self.metric_id} round {self.round}"

    def codes(self) -> dict:
        """The five coded values, donor and area as ids: what agreement compares."""
        return codes_of(self)


def attname(name: str) -> str:
    """The column of a coded field: donor and area are compared by id."""
    return {"province": "province_id", "area": "area_id"}.get(name, name)


def codes_of(row) -> dict:
    """The five coded values of a FigureReview or a Metric, donor and area as ids."""
    return {name: getattr(row, attname(name)) for name in CODED_FIELDS}
