"""The review screen and its JSON endpoints: thin, each one call into queue, claims, decisions or payload."""

from django.contrib import admin
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..choices import Status
from ..params import parse_id
from ..permissions import curator_required
from . import claims, decisions, payload, queue
from .forms import ReviewEditForm

# Queue positions tried when the first candidates were claimed by others in between.
CANDIDATES = 5


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


def _figure_or_404(pk: str):
    metric_id = parse_id(pk)
    metric = payload.load(metric_id) if metric_id else None
    if metric is None:
        return None, _error(_("There is no figure #%(pk)s.") % {"pk": pk}, 404)
    return metric, None


@curator_required
@require_GET
def screen(request):
    # The admin's header and user links, as on its own pages; no navigation sidebar: the figure needs the width.
    context = {**admin.site.each_context(request), "title": _("Review figures"), "is_nav_sidebar_enabled": False}
    try:
        narrowing = queue.parse_narrowing(request.GET)
    except queue.QueueParameterError as error:
        return render(request, "review/screen.html", {**context, "error": str(error)}, status=400)
    context |= {
        "narrowing": narrowing,
        "narrowing_query": narrowing.query(),
        "form": ReviewEditForm(),
        "endpoints": {
            "next": reverse("review:next"),
            "figure": reverse("review:figure", args=["0"]),
        },
    }
    return render(request, "review/screen.html", context)


@curator_required
@require_GET
def next_figure(request):
    """The first figure of the queue not skipped and not claimed by someone else, now claimed for this curator."""
    try:
        narrowing = queue.parse_narrowing(request.GET)
        skipped = queue.parse_skipped(request.GET.get("skip", ""))
    except queue.QueueParameterError as error:
        return _error(str(error), 400)
    for metric_id in queue.next_candidates(narrowing, request.user, skipped, CANDIDATES):
        if claims.take(metric_id, request.user):
            return JsonResponse({"figure": payload.figure_payload(payload.load(metric_id))})
    return JsonResponse({"figure": None, "message": _("No figure left to review here.")})


@curator_required
@require_GET
def figure(request, pk):
    """One figure by id (going back to it), claimed again; 409 while someone else holds it."""
    metric, refused = _claimed(request, pk)
    return refused or JsonResponse({"figure": payload.figure_payload(metric)})


@curator_required
@require_POST
def renew(request, pk):
    metric, refused = _claimed(request, pk)
    return refused or JsonResponse({"claimed": metric.pk})


def _claimed(request, pk):
    """(the figure, None) once the user holds its claim; (None, a 404 or 409 response) otherwise."""
    metric, missing = _figure_or_404(pk)
    if missing:
        return None, missing
    if not claims.take(metric.pk, request.user):
        return None, _error(_("Someone else is reviewing figure #%(pk)s right now.") % {"pk": metric.pk}, 409)
    return metric, None


def _decision(pk, act):
    metric, missing = _figure_or_404(pk)
    if missing:
        return missing
    try:
        decided = act(metric)
    except decisions.DecisionRefused as refused:
        return _error(str(refused), refused.status)
    return JsonResponse({"figure": payload.figure_payload(payload.load(decided.pk))})


@curator_required
@require_POST
def verify(request, pk):
    seen = request.POST.get("seen")
    return _decision(pk, lambda m: decisions.decide(m, Status.VERIFIED, request.user, seen))


@curator_required
@require_POST
def reject(request, pk):
    seen = request.POST.get("seen")
    return _decision(pk, lambda m: decisions.decide(m, Status.REJECTED, request.user, seen))


@curator_required
@require_POST
def undo(request, pk):
    return _decision(pk, lambda m: decisions.undo(m, request.user, request.POST.get("seen")))


@curator_required
@require_POST
def edit(request, pk):
    metric, missing = _figure_or_404(pk)
    if missing:
        return missing
    try:
        edited, errors = decisions.edit(metric, request.POST, request.user)
    except decisions.DecisionRefused as refused:
        return _error(str(refused), refused.status)
    if errors:
        return JsonResponse({"error": _("The figure was not saved; correct the fields named."), "errors": errors},
                            status=400)
    return JsonResponse({"figure": payload.figure_payload(payload.load(edited.pk))})
