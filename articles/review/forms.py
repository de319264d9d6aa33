"""The review screen's small edit form: the admin's change form (validation, edit conflicts) on fewer fields."""

from ..admin.forms import MetricChangeForm
from ..models import Metric

# The facts a curator corrects in place; the number as written and its span stay (the admin form moves them).
EDITABLE_FIELDS = (
    "value", "value_high", "unit", "approx", "kind", "sector", "stage", "province", "donor_city", "area",
    "period", "year_start", "year_end",
)


class ReviewEditForm(MetricChangeForm):
    class Meta:
        model = Metric
        fields = [*EDITABLE_FIELDS, "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The status is not asked for: it follows the edit (curation.status_after_edit).
        self.fields["status"].required = False
        self.fields["status"].disabled = True
        # The screen always says when it showed the figure: a save without it could overwrite unseen changes.
        self.fields["seen_updated_at"].required = True

    def changed_facts(self) -> list[str]:
        return [name for name in self.changed_data if name in EDITABLE_FIELDS]
