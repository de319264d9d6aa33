"""Each public chart page's data as typed blocks (totals, charts, their tables, notes), built once.

Views parse the request into a `Scope` and a few choices, call one function here, and render its `context()`.
The blocks are plain data (`as_dict()`): what a JSON twin of a page would serialise.
"""

from .compare import compare
from .detail import area, donor
from .figure import figure
from .overview import overview

__all__ = ["area", "compare", "donor", "figure", "overview"]
