"""HTML snippets the admin shows: a figure highlighted in its text, a metric's reading, recent history."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..formatting import approx_sign, compact_number
from ..text.find import find_all

# Characters of text kept on each side of a figure in the change list.
LIST_CONTEXT = 60


def highlight(text: str, start: int, end: int, context: int | None = None):
    """`text` with text[start:end] in a <mark>, escaped; `context` trims each side to that many characters."""
    before, figure, after = text[:start], text[start:end], text[end:]
    if context is not None:
        if len(before) > context:
            before = "…" + before[-context:]
        if len(after) > context:
            after = after[:context] + "…"
    return format_html('{}<mark class="figure">{}</mark>{}', before, figure, after)


def figure_in_quote(metric, context: int | None = LIST_CONTEXT):
    """The metric's quote with its number highlighted; falls back to the paragraph around the span."""
    quote, number = metric.quote, metric.number_text
    starts = find_all(quote, number)
    if len(starts) == 1:
        return highlight(quote, starts[0], starts[0] + len(number), context)
    paragraph_text = metric.paragraph.text
    offset = paragraph_text.find(quote) if quote else -1
    if starts and offset >= 0 and metric.start - offset in starts:
        start = metric.start - offset
        return highlight(quote, start, start + len(number), context)
    if starts:
        return highlight(quote, starts[0], starts[0] + len(number), context)
    if not metric.holds_its_number(paragraph_text):
        return format_html('{} <span class="errornote">{}</span>', quote, _("stale: the number is not in the text"))
    return highlight(paragraph_text, metric.start, metric.end, context or LIST_CONTEXT)


def figure_in_paragraph(metric):
    """The whole paragraph with the figure marked; unmarked, with a warning, when the span no longer holds the
    number (it would mark other characters)."""
    text = metric.paragraph.text
    if not metric.holds_its_number(text):
        return format_html(
            '{}<p class="errornote">{}</p>', text,
            _("The stored span does not hold “%(number)s” any more: the paragraph text changed.")
            % {"number": metric.number_text},
        )
    return highlight(text, metric.start, metric.end)


def reading(metric) -> str:
    """The parsed value as a curator checks it, signed as the site signs it: "≈30亿 元", "3万–5万 人"."""
    value = compact_number(metric.value)
    if metric.value_high is not None:
        value = f"{value}–{compact_number(metric.value_high)}"
    return f"{approx_sign(metric.approx)}{value} {metric.unit}".strip()


def public_link(obj, label=None, title=""):
    """A link to the object's public page (`title`: its tooltip), or a dash when the public site has no such page."""
    try:
        url = obj.get_absolute_url()
    except NoReverseMatch:
        return "—"
    if title:
        return format_html('<a href="{}" target="_blank" rel="noopener" title="{}">{}</a>', url, title, label or url)
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, label or url)


def shortened(text: str, length: int) -> str:
    """`text` cut to `length` characters, with an ellipsis when cut."""
    return text if len(text) <= length else text[:length] + "…"


def admin_link(obj, label=None):
    """A link to the object's admin change page."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label if label is not None else str(obj))


class RecentChangesMixin:
    """Adds a read-only "recent changes" field: who changed what, when, from which value to which."""

    recent_changes_count = 5

    @admin.display(description=_("Recent changes"))
    def recent_changes(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        records = list(
            obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
                : self.recent_changes_count + 1
            ]
        )
        rows = []
        for newer, older in zip(records[: self.recent_changes_count], records[1:] + [None], strict=False):
            rows.append((
                newer.history_date.strftime("%Y-%m-%d %H:%M"),
                newer.history_user or _("(import or script)"),
                newer.get_history_type_display(),
                _describe_changes(newer, older),
                newer.history_change_reason or "",
            ))
        history_url = reverse(
            f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk]
        )
        return format_html(
            '<table class="recent-changes"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table><p><a href=\"{}\">{}</a></p>",
            _("When"), _("Who"), _("What"), _("Changes"), _("Reason"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
            history_url, _("Full history"),
        )


def _describe_changes(newer, older):
    """“field: old → new” lines for one history record against the one before it."""
    if older is None:
        return _("created")
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    if not delta.changes:
        return _("no field changed")
    model = newer.instance_type
    return format_html_join(
        "", "<div><b>{}</b>: {} → {}</div>",
        (
            (
                model._meta.get_field(change.field).verbose_name,
                _display_value(model, change.field, change.old),
                _display_value(model, change.field, change.new),
            )
            for change in delta.changes
        ),
    )


def _display_value(model, field_name: str, value) -> str:
    field = model._meta.get_field(field_name)
    if value is None or value == "":
        return "∅"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
