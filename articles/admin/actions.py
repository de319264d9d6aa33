"""Bulk actions of the review queue: verify, reject, set kind/sector/stage/province/area, merge into one fact,
unlink plans from their delivery."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import curation
from ..choices import Status
from .forms import AreaForm, KindForm, ProvinceForm, SectorForm, StageForm

# Merging more figures than this into one fact is almost surely a mis-selection ("select all").
MERGE_LIMIT = 50
# How many of the selected figures the intermediate page lists.
PREVIEW_ROWS = 20


def _unchanged(modeladmin, request, queryset):
    """The selected figures no one saved since the curator's page was built; the others are named in a warning.

    The filter stays in the queryset, so it is applied again by each statement that writes.
    """
    seen = curation.parse_seen(request.POST.get("seen_at"))
    fresh = curation.not_changed_since(queryset, seen)
    if seen is not None:
        changed = list(queryset.filter(updated_at__gt=seen).values_list("pk", flat=True)[:PREVIEW_ROWS + 1])
        if changed:
            shown = ", ".join(f"#{pk}" for pk in changed[:PREVIEW_ROWS]) + ("…" if len(changed) > PREVIEW_ROWS else "")
            modeladmin.message_user(request, _(
                "Left alone because someone else saved them after you loaded the page: %(figures)s. Reload the "
                "page to see them as they are now."
            ) % {"figures": shown}, messages.WARNING)
    return fresh


def _report(modeladmin, request, count: int, what: str) -> None:
    modeladmin.message_user(
        request,
        ngettext("%(count)d figure %(what)s.", "%(count)d figures %(what)s.", count)
        % {"count": count, "what": what},
        messages.SUCCESS,
    )


@admin.action(description=_("Verify selected figures"), permissions=["change"])
def verify(modeladmin, request, queryset):
    """Mark as checked; edited figures are already checked and stay edited."""
    count = curation.set_status(_unchanged(modeladmin, request, queryset), Status.VERIFIED, user=request.user)
    _report(modeladmin, request, count, _("verified"))


@admin.action(description=_("Reject selected figures"), permissions=["change"])
def reject(modeladmin, request, queryset):
    count = curation.set_status(_unchanged(modeladmin, request, queryset), Status.REJECTED, user=request.user)
    _report(modeladmin, request, count, _("rejected"))


def _set_field(field: str):
    def apply(queryset, target, user):
        value = target.pk if hasattr(target, "pk") else target
        return curation.update_metrics(queryset, {field: value}, user=user, reason=f"bulk: set {field}")
    return apply


def _set_province(queryset, target, user):
    return curation.set_province(queryset, target, user=user)


def target_action(name: str, form_class, apply, description):
    """An action that asks for a target value on an intermediate page, then applies it to the selection."""

    def action(modeladmin, request, queryset):
        if "apply" in request.POST:
            form = form_class(request.POST, admin_site=modeladmin.admin_site)
            if form.is_valid():
                count = apply(_unchanged(modeladmin, request, queryset), form.cleaned_data["target"], request.user)
                _report(modeladmin, request, count, _("changed"))
                return None
        else:
            form = form_class(admin_site=modeladmin.admin_site)
        return _target_page(modeladmin, request, queryset, form, name, description)

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


def _target_page(modeladmin, request, queryset, form, name, description):
    opts = modeladmin.model._meta
    select_across = request.POST.get("select_across") == "1"
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": description,
        "opts": opts,
        "form": form,
        "media": modeladmin.media + form.media,
        "action_name": name,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "seen_at": request.POST.get("seen_at", ""),
        "select_across": select_across,
        "count": queryset.count(),
        "preview": queryset.select_related("province", "area")[:PREVIEW_ROWS],
        "rule": curation.STATUS_RULE_HELP,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/articles/metric/bulk_set.html", context)


set_kind = target_action("set_kind", KindForm, _set_field("kind"), _("Set kind of selected figures"))
set_sector = target_action("set_sector", SectorForm, _set_field("sector"), _("Set sector of selected figures"))
set_stage = target_action("set_stage", StageForm, _set_field("stage"), _("Set stage of selected figures"))
set_province = target_action(
    "set_province", ProvinceForm, _set_province, _("Set donor province of selected figures")
)
set_area = target_action("set_area", AreaForm, _set_field("area"), _("Set recipient area of selected figures"))


@admin.action(description=_("Merge selected into one fact"), permissions=["change"])
def merge(modeladmin, request, queryset):
    """Keep the best-status, earliest figure as canonical; the others become its duplicates."""
    if queryset.count() > MERGE_LIMIT:
        modeladmin.message_user(
            request, _("Select at most %(limit)d figures to merge.") % {"limit": MERGE_LIMIT}, messages.ERROR
        )
        return None
    seen = curation.parse_seen(request.POST.get("seen_at"))
    if seen is not None and queryset.filter(updated_at__gt=seen).exists():
        modeladmin.message_user(request, _(
            "Nothing merged: someone else saved some of these figures after you loaded the page. Reload the page, "
            "check them, and merge again."
        ), messages.ERROR)
        return None
    try:
        canonical, changed = curation.merge_metrics(queryset.select_related("article"), user=request.user)
    except curation.CurationError as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None
    modeladmin.message_user(
        request,
        _("Merged into one fact: #%(pk)s “%(number)s” is counted, %(count)d figure(s) now point to it.")
        % {"pk": canonical.pk, "number": canonical.number_text, "count": len(changed)},
        messages.SUCCESS,
    )
    return None


@admin.action(description=_("Unlink plan and delivery of selected figures"), permissions=["change"])
def unlink_plan(modeladmin, request, queryset):
    """Plans counted again, each on its own; re-imports keep them unlinked (articles/plans.py)."""
    count = curation.unlink_plans(_unchanged(modeladmin, request, queryset), user=request.user)
    _report(modeladmin, request, count, _("unlinked"))


ACTIONS = [verify, reject, set_kind, set_sector, set_stage, set_province, set_area, merge, unlink_plan]
