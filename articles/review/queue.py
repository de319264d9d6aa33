"""Which figures the review screen shows, in what order, narrowed by donor, area, kind or article."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ..admin.metrics import AWAITING_STAGE, QUEUE_ORDER
from ..choices import Kind, Stage, Status
from ..filters import area_subtree
from ..models import Article, Metric, Province, RecipientArea, ReviewClaim
from ..params import parse_id, parse_id_list

# Ids the client may ask to skip at once (figures shown this session and left undecided).
MAX_SKIPPED = 500


class QueueParameterError(ValueError):
    """A query parameter of the review screen that names nothing; the message says which and why."""


@dataclass(frozen=True)
class Narrowing:
    """The review queue narrowed to one donor, area (with the areas below it), kind or article."""

    donor: Province | None = None
    area: RecipientArea | None = None
    kind: str = ""
    article: Article | None = None

    def query(self) -> dict[str, str]:
        """The narrowing as query parameters, for links and the page's script."""
        values = {
            "donor": self.donor.slug if self.donor else "",
            "area": self.area.slug if self.area else "",
            "kind": self.kind,
            "article": str(self.article.pk) if self.article else "",
        }
        return {name: value for name, value in values.items() if value}


def parse_narrowing(params) -> Narrowing:
    """The narrowing from a request's GET parameters; QueueParameterError names a parameter that names nothing."""
    donor = area = article = None
    if slug := params.get("donor", ""):
        donor = Province.objects.filter(slug=slug).first()
        if donor is None:
            raise QueueParameterError(_("donor: no donor province or city has the slug “%(value)s”.") % {"value": slug})
    if slug := params.get("area", ""):
        area = RecipientArea.objects.filter(slug=slug).first()
        if area is None:
            raise QueueParameterError(_("area: no recipient area has the slug “%(value)s”.") % {"value": slug})
    kind = params.get("kind", "")
    if kind and kind not in Kind.values:
        raise QueueParameterError(_("kind: “%(value)s” is not a kind; use one of %(kinds)s.") % {
            "value": kind, "kinds": ", ".join(Kind.values)})
    if (text := params.get("article", "")):
        article_id = parse_id(text)
        article = Article.objects.filter(pk=article_id).first() if article_id else None
        if article is None:
            raise QueueParameterError(_("article: “%(value)s” is not the id of an article.") % {"value": text})
    return Narrowing(donor, area, kind, article)


def parse_skipped(text: str) -> list[int]:
    """The `skip` parameter: figure ids separated by commas."""
    ids = parse_id_list(text or "")
    if ids is None:
        raise QueueParameterError(_("skip: give figure ids separated by commas."))
    if len(ids) > MAX_SKIPPED:
        raise QueueParameterError(_("skip: at most %(count)s ids.") % {"count": MAX_SKIPPED})
    return ids


def awaiting_review(narrowing: Narrowing):
    """Figures no curator has decided on, in the review queue's order (held for review first, then the lowest
    confidence). Stale figures are left to the admin form: they need their number pointed at the text again."""
    return _undecided(narrowing).order_by(*QUEUE_ORDER)


def queue_parts(narrowing: Narrowing):
    """awaiting_review() as three queries, each served by an index instead of one sort of the whole queue: the held
    figures, then those whose stage is unknown, then the rest, each lowest confidence first (docs/benchmarks.md:
    the single sorted query took 80–170 ms at 10,000 articles). The undecided figures are not stale, so QUEUE_ORDER
    comes to exactly this; tests/test_review.py checks that both give the same order."""
    figures = _undecided(narrowing)
    # The held ids as a subquery: SQLite then reads them off their partial index (metric_held_by_confidence)
    # instead of walking every undecided figure by the status index.
    held = Metric.objects.exclude(hold_reason="").values("pk")
    rest = figures.filter(hold_reason="")
    return [
        figures.filter(pk__in=held).order_by(AWAITING_STAGE.desc(), "confidence", "pk"),
        rest.filter(stage=Stage.UNKNOWN).order_by("confidence", "pk"),
        rest.exclude(stage=Stage.UNKNOWN).order_by("confidence", "pk"),
    ]


def _undecided(narrowing: Narrowing):
    figures = Metric.objects.filter(status=Status.EXTRACTED, stale=False)
    if narrowing.donor is not None:
        field = "donor_city" if narrowing.donor.parent_id else "province"
        figures = figures.filter(**{field: narrowing.donor})
    if narrowing.area is not None:
        figures = figures.filter(area_id__in=area_subtree(narrowing.area.pk, field="pk"))
    if narrowing.kind:
        figures = figures.filter(kind=narrowing.kind)
    if narrowing.article is not None:
        figures = figures.filter(article=narrowing.article)
    return figures


def next_candidates(narrowing: Narrowing, user, skipped=(), count: int = 5) -> list[int]:
    """The first `count` ids of the queue that are not skipped and no one else holds a claim on."""
    held_by_others = ReviewClaim.objects.filter(expires_at__gt=timezone.now()).exclude(user=user).values("metric_id")
    found = []
    for part in queue_parts(narrowing):
        part = part.exclude(pk__in=held_by_others)
        if skipped:
            part = part.exclude(pk__in=list(skipped))
        found += part.values_list("pk", flat=True)[:count - len(found)]
        if len(found) == count:
            break
    return found
