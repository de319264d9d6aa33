"""The review queue: the Metric change list, its filters, and the change and add-figure forms."""

from django.contrib import admin, messages
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .. import curation
from ..choices import Stage, Status
from ..filters import area_subtree
from ..models import HELD_FOR_REVIEW, Article, Metric, Paragraph, RecipientArea
from ..params import parse_id
from . import display
from .actions import ACTIONS
from .base import GuardedHistoryAdmin
from .forms import AddFigureForm, MetricChangeForm, SeenActionForm
from .parameters import ParsedIdsMixin

# Other figures with the same value shown on a change form as merge candidates.
SAME_FIGURE_ROWS = 10

# The queue's rows stay within three lines at 1366 px wide (tests/browser/test_review_changelist.py): the sentence
# keeps this many characters each side of the figure, the source link this many of the title.
QUEUE_QUOTE_CONTEXT = 28
SOURCE_TITLE_CHARS = 8


class AreaFilter(admin.SimpleListFilter):
    """A recipient area and every area below it (a prefecture includes its counties)."""

    title = _("recipient area")
    parameter_name = "area"
    NONE = "none"

    def lookups(self, request, model_admin):
        areas = RecipientArea.objects.order_by("parent_id", "slug").values_list("pk", "name_zh", "level")
        return [(self.NONE, _("(no area)"))] + [(str(pk), f"{name} · {level}") for pk, name, level in areas]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.filter(area__isnull=True)
        area_id = parse_id(value)
        if area_id is not None:
            return queryset.filter(area_id__in=area_subtree(area_id, field="pk"))
        return queryset


class PublisherFilter(admin.SimpleListFilter):
    """The article's publisher; the choices come from the articles table, not from the metrics."""

    title = _("publisher")
    parameter_name = "publisher"

    def lookups(self, request, model_admin):
        publishers = (
            Article.objects.exclude(publisher="").order_by("publisher")
            .values_list("publisher", flat=True).distinct()
        )
        return [(name, name) for name in publishers]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(article__publisher=self.value())
        return queryset


class MergeFilter(admin.SimpleListFilter):
    title = _("merge")
    parameter_name = "merge"

    def lookups(self, request, model_admin):
        return [("canonical", _("counted once (canonical)")), ("duplicate", _("duplicate of another"))]

    def queryset(self, request, queryset):
        if self.value() == "canonical":
            return queryset.filter(duplicate_of__isnull=True)
        if self.value() == "duplicate":
            return queryset.filter(duplicate_of__isnull=False)
        return queryset


class PlanFilter(admin.SimpleListFilter):
    """Plans linked to their later delivery (articles/plans.py), the deliveries, and the links curators set."""

    title = _("fulfilled plan")
    parameter_name = "plan"

    def lookups(self, request, model_admin):
        return [
            ("plan", _("plan of a later figure (not counted)")),
            ("delivery", _("fulfils an earlier plan")),
            ("curator", _("link set or cut by a curator")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "plan":
            return queryset.filter(fulfilled_by__isnull=False)
        if self.value() == "delivery":
            return queryset.filter(Exists(Metric.objects.filter(fulfilled_by=OuterRef("pk"))))
        if self.value() == "curator":
            return queryset.filter(plan_link_by_curator=True)
        return queryset


# 1 for a figure held for review that no curator has verified yet: the queue puts these first.
AWAITING_HOLD = Case(When(HELD_FOR_REVIEW, then=Value(1)), default=Value(0), output_field=IntegerField())


# 1 for a figure whose stage the extractor could not tell (no cue of plan or delivery) and no curator has set.
AWAITING_STAGE = Case(
    When(stage=Stage.UNKNOWN, status=Status.EXTRACTED, then=Value(1)), default=Value(0), output_field=IntegerField()
)


# Stale and held figures first: they are out of the totals until a curator has looked at them; then the
# figures whose stage (planned, committed, achieved) neither the extractor nor a curator could tell. The review
# screen (articles/review/queue.py) follows the same order.
QUEUE_ORDER = ("-stale", AWAITING_HOLD.desc(), AWAITING_STAGE.desc(), "confidence", "pk")


class HeldFilter(admin.SimpleListFilter):
    title = _("held for review")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("awaiting", _("held, awaiting a curator")), ("any", _("held at import (any status)"))]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(HELD_FOR_REVIEW)
        if self.value() == "any":
            return queryset.exclude(hold_reason="")
        return queryset


@admin.register(Metric)
class MetricAdmin(ParsedIdsMixin, display.RecentChangesMixin, GuardedHistoryAdmin):
    form = MetricChangeForm
    add_form = AddFigureForm

    list_display = (
        "figure", "reading", "kind", "sector", "stage", "donor", "area_name", "status", "confidence", "source",
    )
    list_display_links = ("reading",)
    list_select_related = ("article", "paragraph", "province", "donor_city", "area")
    list_filter = (
        "status", "kind", "sector", "stage", "province", AreaFilter, "approx", PublisherFilter,
        "article__source_file", "origin", "stale", HeldFilter, MergeFilter, PlanFilter,
    )
    search_fields = ("number_text", "quote", "article__title")
    search_help_text = _("Searches the number as written, the sentence and the article title.")
    ordering = QUEUE_ORDER
    list_per_page = 100
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ACTIONS
    action_form = SeenActionForm

    raw_id_fields = ("paragraph", "duplicate_of", "fulfilled_by")
    autocomplete_fields = ("province", "donor_city", "area")

    change_readonly = (
        "figure_in_paragraph", "source_info", "number_text", "merged_by_curator", "stale", "hold_reason", "origin",
        "confidence", "extraction_key", "same_figure_elsewhere", "created_at", "updated_at",
        "recent_changes", "plan_links", "plan_link_by_curator",
    )
    add_fieldsets = (
        (_("Where"), {"fields": ("paragraph", "number_text", "occurrence")}),
        (_("Reading (blank: read from the number)"), {
            "fields": (("value", "value_high"), ("unit", "unit_family"), "approx"),
        }),
        (_("What it measures"), {
            "fields": ("kind", "sector", "stage", ("province", "donor_city"), "area", "period",
                       ("year_start", "year_end")),
        }),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return (
            (None, {"fields": ("figure_in_paragraph", "source_info")}),
            (_("Figure"), {
                "fields": ("number_text", ("value", "value_high"), ("unit", "unit_family"), "approx"),
            }),
            (_("What it measures"), {
                "fields": ("kind", "sector", "stage", ("province", "donor_city"), "area", "period",
                           ("year_start", "year_end")),
            }),
            (_("Review"), {
                "description": curation.STATUS_RULE_HELP,
                "fields": ("status", "duplicate_of", "same_figure_elsewhere", "merged_by_curator", "stale",
                           "hold_reason", ("origin", "confidence"), "extraction_key", ("created_at", "updated_at"),
                           "seen_updated_at"),
            }),
            (_("Plan and delivery"), {
                "description": _(
                    "A plan (planned or committed) whose later delivery is linked is not counted: the delivery is. "
                    "Enter the id of the delivery to link by hand, clear it to unlink; either way re-imports keep "
                    "your decision."
                ),
                "fields": ("fulfilled_by", "plan_links", "plan_link_by_curator"),
            }),
            (_("Recent changes"), {"fields": ("recent_changes",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.stale:  # the number may have been reworded: the curator can enter it as the text now writes it
            return tuple(name for name in self.change_readonly if name != "number_text")
        return self.change_readonly

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_queryset(self, request):
        # The article's and paragraph's original text can be long and the list never shows them.
        return super().get_queryset(request).defer("article__original_text", "paragraph__original_text")

    def get_changeform_initial_data(self, request):
        """Adding from a paragraph: guess donor, area and sector from the figures already found there."""
        initial = super().get_changeform_initial_data(request)
        paragraph_id = initial.get("paragraph")  # an id: ParsedIdsMixin leaves out anything else
        if paragraph_id is not None:
            neighbour = (
                Metric.objects.filter(paragraph_id=paragraph_id).not_rejected()
                .values("province", "donor_city", "area", "sector").first()
            )
            for name, value in (neighbour or {}).items():
                initial.setdefault(name, value)
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = extra_context or {}
        paragraph_id = parse_id(request.POST.get("paragraph") or request.GET.get("paragraph"))
        if paragraph_id is not None:
            extra_context["paragraph_preview"] = (
                Paragraph.objects.select_related("article").filter(pk=paragraph_id).first()
            )
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            requested = obj.status
            fact_changed = bool(curation.FACT_FIELDS & set(form.changed_data))
            obj.status = curation.status_after_edit(form.initial["status"], requested, fact_changed)
            if obj.status != requested:
                self.message_user(
                    request, _("Status set to “edited” because the figure changed."), messages.INFO
                )
            if "duplicate_of" in form.changed_data:
                obj.merged_by_curator = True
            if "fulfilled_by" in form.changed_data:
                obj.plan_link_by_curator = True
            if getattr(form, "relocated", None) is False:
                self.message_user(request, _(
                    "“%(number)s” is still not in the paragraph, so the figure stays stale and uncounted: enter the "
                    "number as the text now writes it, choose the paragraph that holds it, or reject the figure."
                ) % {"number": obj.number_text}, messages.WARNING)
        super().save_model(request, obj, form, change)
        if change and "duplicate_of" in form.changed_data:
            curation.keep_root(obj, request.user)
            curation.repoint_duplicates(obj, request.user)
        if change and "fulfilled_by" in form.changed_data:
            curation.keep_delivery(obj, request.user)

    # --- columns ---------------------------------------------------------------------------------------

    @admin.display(description=_("figure in its sentence"))
    def figure(self, obj):
        return format_html('<div class="row-clamp">{}</div>', display.figure_in_quote(obj, QUEUE_QUOTE_CONTEXT))

    @admin.display(description=_("reading"))
    def reading(self, obj):
        text = display.reading(obj)
        if obj.duplicate_of_id:
            text = f"{text} (= #{obj.duplicate_of_id})"
        if obj.fulfilled_by_id:
            text = f"{text} (→ #{obj.fulfilled_by_id})"
        return text

    @admin.display(description=_("donor"), ordering="province__slug")
    def donor(self, obj):
        names = [p.name_zh for p in (obj.province, obj.donor_city) if p is not None]
        return " · ".join(names) or "—"

    @admin.display(description=_("area"), ordering="area__slug")
    def area_name(self, obj):
        return obj.area.name_zh if obj.area else "—"

    @admin.display(description=_("source"), ordering="article__published")
    def source(self, obj):
        article = obj.article
        paragraph = obj.paragraph
        paragraph.article = article  # its URL needs the article, already joined: no query per row
        about = " · ".join(str(part) for part in (article.title, article.publisher, article.published) if part)
        return display.public_link(paragraph, display.shortened(article.title, SOURCE_TITLE_CHARS), title=about)

    # --- change form fields ----------------------------------------------------------------------------

    @admin.display(description=_("paragraph"))
    def figure_in_paragraph(self, obj):
        return format_html(
            '<div class="figure-paragraph">{}</div><p>{} · {}</p>',
            display.figure_in_paragraph(obj),
            display.public_link(obj.paragraph, _("public page at this paragraph")),
            display.admin_link(obj.paragraph, _("edit paragraph")),
        )

    @admin.display(description=_("article"))
    def source_info(self, obj):
        article = obj.article
        rows = [
            (_("title"), display.admin_link(article, article.title)),
            (_("publisher"), article.publisher or "—"),
            (_("published"), article.published or "—"),
            (_("dateline"), article.dateline or "—"),
            (_("byline"), article.byline or "—"),
            (_("source file"), f"{article.source_file.name} · #{article.position}"),
            (_("about aid"), _("yes") if article.is_aid else _("no (not counted)")),
        ]
        return format_html(
            '<table class="source-info">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("plan and delivery"))
    def plan_links(self, obj):
        """Both directions: the later figure this plan is fulfilled by, and the earlier plans this one fulfils."""
        rows = []
        if obj.fulfilled_by_id:
            delivery = Metric.objects.select_related("article").get(pk=obj.fulfilled_by_id)
            rows.append((_("plan of →"), display.admin_link(delivery, f"#{delivery.pk} {delivery.number_text}"),
                         delivery.get_stage_display(), delivery.article.published or ""))
        for plan in obj.plans.select_related("article").order_by("article__published", "pk"):
            rows.append((_("fulfils ←"), display.admin_link(plan, f"#{plan.pk} {plan.number_text}"),
                         plan.get_stage_display(), plan.article.published or ""))
        if not rows:
            return "—"
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("same figure elsewhere"))
    def same_figure_elsewhere(self, obj):
        """Merge candidates: the same value, unit family and kind in other articles."""
        others = (
            Metric.objects.filter(kind=obj.kind, unit_family=obj.unit_family, value=obj.value)
            .exclude(article_id=obj.article_id).select_related("article")
            .order_by("article__published", "pk")[:SAME_FIGURE_ROWS]
        )
        rows = [
            (display.admin_link(m, f"#{m.pk}"), m.get_status_display(),
             f"= #{m.duplicate_of_id}" if m.duplicate_of_id else "", m.article.title[:40], m.article.published or "")
            for m in others
        ]
        if not rows:
            return "—"
        return format_html(
            "<table>{}</table><p class=\"help\">{}</p>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
            _("To merge: enter the id of the canonical figure in “duplicate of”, or select them in the list "
              "and use “Merge selected into one fact”."),
        )
