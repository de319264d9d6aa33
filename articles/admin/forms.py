"""Forms of the curation desk: editing a metric, adding a missed figure, the target of a bulk action."""

from django import forms
from django.contrib.admin import helpers
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import curation
from ..choices import Approx, Kind, Sector, Stage
from ..models import Metric, Paragraph, Province, RecipientArea
from ..text.stages import stage_of
from .parameters import IdAutocompleteSelect


class KeptWhenOmitted(forms.TypedChoiceField):
    """A choice a form may be sent without (from a page older than the field): the figure then keeps its value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, **kwargs)

    def has_changed(self, initial, data):
        return data not in self.empty_values and super().has_changed(initial, data)


class MetricChangeForm(forms.ModelForm):
    """A metric's fields; "duplicate of" is resolved to the fact's root and refused when it makes a cycle.

    The figure's updated_at when the page was built travels with the form: a save is refused, saying what
    changed, when someone else saved the figure in between (optimistic locking).
    """

    seen_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)
    stage = KeptWhenOmitted(
        label=Metric._meta.get_field("stage").verbose_name, choices=Stage.choices,
        help_text=Metric._meta.get_field("stage").help_text,
    )

    class Meta:
        model = Metric
        # The admin builds the form with the fields of its fieldsets (MetricAdmin.get_fieldsets): never all.
        fields = "__all__"  # noqa: DJ007

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # From the row, not the instance: the revert form's instance is an old version.
            current = Metric.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            self.initial["seen_updated_at"] = current.isoformat() if current else ""

    def clean_seen_updated_at(self):
        value = self.cleaned_data.get("seen_updated_at")
        seen = curation.parse_seen(value)
        if value and seen is None:
            raise forms.ValidationError(_("The page is damaged; reload it and make your change again."))
        return seen

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_updated_at")
        if seen is not None and self.instance.pk is not None:
            conflict = curation.edit_conflict(self.instance.pk, seen)
            if conflict:
                raise forms.ValidationError(conflict, code="conflict")
        if self.instance.stale and not self.errors:
            self.instance.paragraph = cleaned.get("paragraph") or self.instance.paragraph
            self.instance.number_text = cleaned.get("number_text") or self.instance.number_text
            self.relocated = curation.relocate_stale(self.instance)
        return cleaned

    def clean_stage(self):
        return self.cleaned_data.get("stage") or self.instance.stage

    def clean_fulfilled_by(self):
        try:
            return curation.plan_target(self.instance, self.cleaned_data.get("fulfilled_by"))
        except curation.CurationError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_duplicate_of(self):
        target = self.cleaned_data.get("duplicate_of")
        try:
            return curation.duplicate_target(self.instance, target)
        except curation.CurationError as error:
            raise forms.ValidationError(str(error)) from error


class AddFigureForm(forms.ModelForm):
    """A figure the extractor missed: a paragraph and the number as written; the rest is read from the number.

    The number must occur in the paragraph's text (as a whole number, not inside a longer one); its span
    and sentence are stored like an extracted figure's. Value, unit and approximation left blank are taken
    from parse_quantity; anything entered overrides it.
    """

    occurrence = forms.IntegerField(
        label=_("occurrence"), min_value=1, required=False,
        help_text=_("When the number appears more than once in the paragraph: which one (1 = the first)."),
    )
    approx = forms.ChoiceField(
        label=_("approximation"), required=False,
        choices=[("", _("— as read from the number —")), *Approx.choices],
    )
    stage = forms.ChoiceField(
        label=_("stage"), required=False,
        choices=[("", _("— as read from the text —")), *Stage.choices],
    )

    class Meta:
        model = Metric
        fields = [
            "paragraph", "number_text", "value", "value_high", "unit", "unit_family", "approx", "kind",
            "sector", "stage", "province", "donor_city", "area", "period", "year_start", "year_end",
        ]
        help_texts = {
            "number_text": _("Copy it exactly from the paragraph, with 万/亿 and the unit: 3.2亿元, 1200余人."),
            "value": _("Leave blank to read it from the number as written."),
            "unit": _("Leave blank to read it from the number as written."),
            "unit_family": _("Leave blank to read it from the number as written."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("value", "unit", "unit_family"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        paragraph, number_text = cleaned.get("paragraph"), cleaned.get("number_text")
        if paragraph is None or not number_text:
            return cleaned
        number_text = cleaned["number_text"] = number_text.strip()
        try:
            span = curation.locate_figure(paragraph, number_text, cleaned.get("occurrence"))
        except curation.CurationError as error:
            self.add_error("number_text", str(error))
            return cleaned
        existing = Metric.objects.filter(paragraph=paragraph, start=span.start, end=span.end).first()
        if existing is not None:
            self.add_error("number_text", _("This figure is already recorded as metric #%(pk)s.") % {"pk": existing.pk})
            return cleaned
        self._fill_from_reading(cleaned, number_text)
        cleaned["stage"] = cleaned.get("stage") or stage_in_text(paragraph, span, cleaned.get("year_start"))
        self._span = span
        return cleaned

    def _fill_from_reading(self, cleaned, number_text):
        quantity = curation.read_quantity(number_text)
        if quantity is not None:
            read = {
                "value": curation.as_decimal(quantity.value),
                "value_high": curation.as_decimal(quantity.value_high),
                "unit": quantity.unit,
                "unit_family": quantity.unit_family,
                "approx": quantity.approx,
            }
            for name, value in read.items():
                if cleaned.get(name) in (None, "") and value not in (None, ""):
                    cleaned[name] = value
        cleaned["approx"] = cleaned.get("approx") or Approx.EXACT
        for name in ("value", "unit", "unit_family"):
            if cleaned.get(name) in (None, ""):
                self.add_error(name, _("“%(number)s” could not be read; enter the %(field)s yourself.") % {
                    "number": number_text, "field": Metric._meta.get_field(name).verbose_name,
                })

    def _post_clean(self):
        span = getattr(self, "_span", None)
        if span is not None:
            paragraph = self.cleaned_data["paragraph"]
            template = curation.new_curator_metric(paragraph, span)
            for name in ("article_id", "start", "end", "quote", "origin", "status", "confidence"):
                setattr(self.instance, name, getattr(template, name))
            # Set here: a form sent without the field would leave the model's default (unknown) in place.
            self.instance.stage = self.cleaned_data["stage"]
        super()._post_clean()


def stage_in_text(paragraph: Paragraph, span, year_start: int | None) -> str:
    """The stage the import would give the figure at `span`: its paragraph read under the article's last heading."""
    heading = (
        Paragraph.objects.filter(article_id=paragraph.article_id, position__lt=paragraph.position, role="heading")
        .order_by("-position").values_list("text", flat=True).first()
    )
    published = paragraph.article.published
    return stage_of(paragraph.text, span.start, span.end, heading or "", published.year if published else None,
                    year_start)


class SeenActionForm(helpers.ActionForm):
    """The change list's action bar, with the time the page was built: a bulk action leaves alone the figures
    someone saved after it, instead of overwriting what the curator never saw."""

    seen_at = forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: timezone.now().isoformat())


class BulkTargetForm(forms.Form):
    """The value a bulk "set …" action writes; `target` is a choice or a row chosen by autocomplete."""

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin_site = admin_site


class KindForm(BulkTargetForm):
    target = forms.ChoiceField(label=_("kind"), choices=Kind.choices)


class SectorForm(BulkTargetForm):
    target = forms.ChoiceField(label=_("sector"), choices=Sector.choices)


class StageForm(BulkTargetForm):
    target = forms.ChoiceField(label=_("stage"), choices=Stage.choices)


class _RowTargetForm(BulkTargetForm):
    field_name = ""
    queryset = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_field = Metric._meta.get_field(self.field_name)
        self.fields["target"] = forms.ModelChoiceField(
            label=model_field.verbose_name,
            queryset=self.queryset.complex_filter(model_field.get_limit_choices_to()),
            widget=IdAutocompleteSelect(model_field, self.admin_site),
        )


class ProvinceForm(_RowTargetForm):
    field_name = "province"
    queryset = Province.objects.all()


class AreaForm(_RowTargetForm):
    field_name = "area"
    queryset = RecipientArea.objects.all()
