"""Staff pages of the second review: the blind second coding, the third look, the supervisor's agreement page.

Thin: each reads the request, calls `desk` (queues, decisions) or `agreement`, and renders an admin-styled page.
"""

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..choices import Kind, Sector, Stage
from ..models import Metric, Province, RecipientArea
from ..permissions import curator_required
from . import desk
from .agreement import curator_agreement, field_agreement
from .forms import CodingForm
from .models import CODED_FIELDS, Round, codes_of

FIELD_LABELS = {"kind": Kind, "sector": Sector, "stage": Stage}


def field_label(name: str) -> str:
    """A coded field's name in the page's language (the model's verbose name)."""
    return str(Metric._meta.get_field(name).verbose_name)


def _page(request, template, **context):
    """An admin-styled page: the admin site's own context (header, user links) and ours."""
    return render(request, template, {**admin.site.each_context(request), "enabled": desk.enabled(), **context})


@curator_required
def second_queue(request):
    waiting = desk.awaiting_second(request.user) if desk.enabled() else []
    return _page(request, "review_second/queue.html", title=_("Second review"), waiting=waiting,
                 third=len(desk.disagreements()) if desk.enabled() else 0)


@curator_required
def second_review(request, metric_id: int):
    metric = _figure(metric_id)
    form = CodingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = desk.record_second(metric, request.user, form.codes())
        except desk.ReviewError as error:
            messages.error(request, str(error))
            return redirect("review_second:queue")
        fields = [name for name in review.differs_on.split(",") if name]
        if fields:
            messages.warning(request, _("Figure #%(pk)s: you and the first curator differ on %(fields)s; it goes to "
                                        "a third look.") % {"pk": metric.pk,
                                                            "fields": ", ".join(map(field_label, fields))})
        else:
            messages.success(request, _("Figure #%(pk)s: you agree with the first curator; its review is closed.")
                             % {"pk": metric.pk})
        return _next_second(request)
    proposal = desk.proposal(metric)
    if not form.is_bound:
        form = CodingForm(initial=CodingForm.initial_from(proposal))
    return _page(request, "review_second/code.html", title=_("Second review of figure #%(pk)s") % {"pk": metric.pk},
                 metric=metric, form=form, proposal=_labelled(proposal), **_paragraph(metric))


@curator_required
def third_queue(request):
    ids = desk.disagreements() if desk.enabled() else []
    by_metric = desk.rounds(ids)
    rows = [{"metric": metric, "fields": [field_label(name) for name in desk.differing(
                by_metric[metric.pk][Round.FIRST], by_metric[metric.pk][Round.SECOND])]}
            for metric in Metric.objects.filter(pk__in=ids).select_related("article").order_by("pk")]
    return _page(request, "review_second/third_queue.html", title=_("Third look"), rows=rows)


@curator_required
def third_look(request, metric_id: int):
    metric = _figure(metric_id)
    reviews = desk.rounds([metric.pk]).get(metric.pk, {})
    if Round.SECOND not in reviews:
        messages.error(request, _("Figure #%(pk)s has had no second review.") % {"pk": metric.pk})
        return redirect("review_second:third_queue")
    form = CodingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            desk.record_third(metric, request.user, form.codes())
        except desk.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Figure #%(pk)s decided.") % {"pk": metric.pk})
        return redirect("review_second:third_queue")
    codings = [(reviews[r], _labelled(codes_of(reviews[r]))) for r in (Round.FIRST, Round.SECOND)]
    return _page(request, "review_second/third.html", title=_("Third look at figure #%(pk)s") % {"pk": metric.pk},
                 metric=metric, form=form, codings=codings, differing=desk.differing(*(c for c, _ in codings)),
                 **_paragraph(metric))


@curator_required
def supervisor(request):
    coded = desk.double_coded()
    pairs = [(reviews[Round.FIRST], reviews[Round.SECOND]) for reviews in coded.values()]
    fields = field_agreement(((codes_of(a), codes_of(b)) for a, b in pairs), CODED_FIELDS)
    curators = curator_agreement(
        ((_name(a.reviewer), _name(b.reviewer), codes_of(a), codes_of(b)) for a, b in pairs), CODED_FIELDS)
    decided = [reviews for reviews in coded.values() if Round.THIRD in reviews]
    return _page(request, "review_second/agreement.html", title=_("Agreement between curators"),
                 figures=len(pairs), fields=[(name, field_label(name), fields[name]) for name in CODED_FIELDS],
                 curators=curators, field_names=[field_label(name) for name in CODED_FIELDS], third_looks=len(decided),
                 sided_with_first=sum(codes_of(r[Round.THIRD]) == codes_of(r[Round.FIRST]) for r in decided),
                 sided_with_second=sum(codes_of(r[Round.THIRD]) == codes_of(r[Round.SECOND]) for r in decided),
                 waiting_third=len(desk.disagreements()), waiting_second=desk.second_review_count())


# Helpers -----------------------------------------------------------------------------------------------------

def _figure(metric_id: int) -> Metric:
    if not 0 < metric_id < 2**63:
        raise Http404
    return get_object_or_404(Metric.objects.select_related("article", "paragraph", "donor_city"), pk=metric_id)


def _next_second(request):
    waiting = desk.awaiting_second(request.user, limit=1)
    if waiting:
        return redirect("review_second:code", metric_id=waiting[0].pk)
    return redirect("review_second:queue")


def _paragraph(metric: Metric) -> dict:
    """The paragraph split around the figure, for the page to mark it."""
    text = metric.paragraph.text
    return {"before": text[:metric.start], "figure": text[metric.start:metric.end], "after": text[metric.end:]}


def _labelled(codes: dict | None) -> list[tuple[str, str]] | None:
    """Coded values as (field, field's label, value's label) in the page's language: choices by their label, donor
    and area by name."""
    if codes is None:
        return None
    names = {"province": Province, "area": RecipientArea}
    labelled = []
    for name in CODED_FIELDS:
        value = codes[name]
        if value is None:
            text = "—"
        elif name in names:
            row = names[name].objects.filter(pk=value).first()
            text = str(row) if row else str(value)
        else:
            text = str(FIELD_LABELS[name](value).label) if value in FIELD_LABELS[name].values else value
        labelled.append((name, field_label(name), text))
    return labelled


def _name(user) -> str:
    return user.get_username() if user is not None else _("(unknown)")
