"""The five fields a curator codes in the second review and the third look."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import Kind, Sector, Stage
from ..models import Province, RecipientArea
from .models import CODED_FIELDS


class CodingForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    sector = forms.ChoiceField(label=_("sector"), choices=Sector.choices)
    province = forms.ModelChoiceField(
        label=_("donor province"), required=False, queryset=Province.objects.filter(parent__isnull=True),
    )
    area = forms.ModelChoiceField(label=_("recipient area"), required=False, queryset=RecipientArea.objects.all())
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)

    def codes(self) -> dict:
        """The coded values, donor and area as ids (None when left empty)."""
        data = self.cleaned_data
        return {name: getattr(data[name], "pk", data[name]) for name in CODED_FIELDS}

    @classmethod
    def initial_from(cls, codes: dict | None) -> dict:
        """Initial values from coded values (ids): the extractor's proposal."""
        return {name: value for name, value in (codes or {}).items() if value is not None}
