"""Articles, their paragraphs and source files: metadata editable, text read-only, figures summarised."""

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .. import curation
from ..models import Article, Metric, Paragraph, SourceFile
from . import display
from .base import GuardedAdmin, GuardedHistoryAdmin
from .parameters import ParsedIdsMixin


class ReadOnlyInline(admin.TabularInline):
    """An inline that lists rows with links; changes happen on each row's own page."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MetricSummaryInline(ReadOnlyInline):
    model = Metric
    fk_name = "article"
    fields = readonly_fields = ("paragraph_position", "figure", "reading", "kind", "sector", "donor", "area",
                                "status")
    verbose_name_plural = _("figures (open one to curate it)")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("paragraph", "province", "donor_city", "area")
            .defer("paragraph__original_text")
        )

    @admin.display(description="¶")
    def paragraph_position(self, obj):
        return obj.paragraph.position

    @admin.display(description=_("figure in its sentence"))
    def figure(self, obj):
        return display.figure_in_quote(obj, context=30)

    @admin.display(description=_("reading"))
    def reading(self, obj):
        return display.reading(obj)

    @admin.display(description=_("donor"))
    def donor(self, obj):
        return " · ".join(p.name_zh for p in (obj.province, obj.donor_city) if p is not None) or "—"


class ParagraphInline(ReadOnlyInline):
    model = Paragraph
    fields = readonly_fields = ("position", "role", "text_with_figures", "links")

    def get_queryset(self, request):
        figures = Metric.objects.only("paragraph_id", "start", "end", "number_text", "status").order_by("start")
        return (
            super().get_queryset(request).select_related("article").defer("original_text", "article__original_text")
            .prefetch_related(Prefetch("metrics", queryset=figures))
        )

    @admin.display(description=_("text (figures marked)"))
    def text_with_figures(self, obj):
        return mark_figures(obj.text, obj.metrics.all())

    @admin.display(description=_("links"))
    def links(self, obj):
        add_url = reverse("admin:articles_metric_add") + f"?paragraph={obj.pk}"
        return format_html(
            '<a href="{}">{}</a><br>{}', add_url, _("add figure"), display.public_link(obj, _("public page"))
        )


def mark_figures(text: str, metrics) -> str:
    """The paragraph with every figure found in it marked; rejected ones struck through."""
    parts, at = [], 0
    for metric in sorted(metrics, key=lambda m: m.start):
        if metric.start < at or not metric.holds_its_number(text):
            continue  # overlapping or stale span: leave the text as it is
        tag = "del" if metric.status == "rejected" else "mark"
        parts.append(format_html('{}<{} class="figure">{}</{}>', text[at:metric.start], mark_safe(tag),
                                 text[metric.start:metric.end], mark_safe(tag)))
        at = metric.end
    parts.append(format_html("{}", text[at:]))
    return mark_safe("".join(parts))


@admin.register(Article)
class ArticleAdmin(ParsedIdsMixin, display.RecentChangesMixin, GuardedHistoryAdmin):
    list_display = ("title", "published", "publisher", "source_file", "is_aid", "duplicate_of")
    list_filter = ("is_aid", "script", "publisher", "source_file")
    list_select_related = ("source_file",)
    search_fields = ("title", "title_original", "publisher", "byline", "dateline")
    show_full_result_count = False
    raw_id_fields = ("duplicate_of",)
    readonly_fields = ("source_file", "position", "script", "aid_score", "content_hash", "curated_fields",
                       "public_page", "created_at", "updated_at", "recent_changes")
    fieldsets = (
        (None, {"fields": ("title", "title_original", ("publisher", "published"), "dateline", "byline",
                           "public_page")}),
        (_("Classification"), {"fields": ("is_aid", "duplicate_of", "aid_score")}),
        (_("Import"), {"fields": ("source_file", "position", "script", "content_hash", "curated_fields",
                                  ("created_at", "updated_at"))}),
        (_("Recent changes"), {"fields": ("recent_changes",)}),
    )
    inlines = (ParagraphInline, MetricSummaryInline)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("original_text")

    def has_add_permission(self, request):
        return False  # articles come from import_articles

    def save_model(self, request, obj, form, change):
        curation.mark_article_fields(obj, form.changed_data)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        return display.public_link(obj)


class ParagraphMetricsInline(MetricSummaryInline):
    fk_name = "paragraph"


@admin.register(Paragraph)
class ParagraphAdmin(ParsedIdsMixin, display.RecentChangesMixin, GuardedHistoryAdmin):
    """A paragraph's text is editable only while no figure points into it (spans are offsets in the text)."""

    list_display = ("__str__", "article", "position", "role", "excerpt")
    list_select_related = ("article",)
    list_filter = ("role",)
    search_fields = ("text", "article__title")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = ("article", "position", "role", "text", "original_text", "public_page", "recent_changes")

    def get_inlines(self, request, obj):
        return (ParagraphMetricsInline,) if obj else ()

    def get_readonly_fields(self, request, obj=None):
        fixed = ("article", "position", "original_text", "public_page", "recent_changes")
        if obj is not None and obj.metrics.exists():
            return (*fixed, "text")
        return fixed

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__original_text")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("text"))
    def excerpt(self, obj):
        return obj.text[:80]

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        add_url = reverse("admin:articles_metric_add") + f"?paragraph={obj.pk}"
        return format_html('{} · <a href="{}">{}</a>', display.public_link(obj), add_url, _("add figure"))


@admin.register(SourceFile)
class SourceFileAdmin(ParsedIdsMixin, GuardedAdmin):
    list_display = ("name", "size", "encoding", "imported_at")
    search_fields = ("name",)
    readonly_fields = ("name", "path", "sha256", "size", "encoding", "imported_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
