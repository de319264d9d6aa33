"""The site's FilterSets as API query parameters: validated by the FilterSet itself, documented from it.

The parameters are read from the FilterSet's declared filters, so a filter added to the explorer is an API
parameter, in the schema too, without a line here.
"""

import django_filters as df
from django.utils import translation

from ..filters import SLUG_RE, SlugListFilter
from .errors import BadParameter


def filtered(filterset_class, request, queryset):
    """The rows the request's filters select, or BadParameter naming the first filter that is wrong."""
    for name in sort_parameters(filterset_class):
        if name in request.GET:
            raise BadParameter(name, "The API's order is fixed so that cursors stay valid: sort the rows yourself.")
    filterset = filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        name, messages = next(iter(filterset.errors.items()))
        raise BadParameter(name, " ".join(messages))
    return filterset.qs


def sort_parameters(filterset_class) -> list[str]:
    """The filters that choose an order: the API keeps one order per resource (cursors depend on it)."""
    return [name for name, f in filterset_class.base_filters.items() if isinstance(f, df.OrderingFilter)]


def query_parameters(filterset_class) -> list[dict]:
    """OpenAPI descriptions of the FilterSet's parameters (labels in English), sorting left out."""
    with translation.override("en"):
        return [
            {"name": name, "in": "query", "required": False, "description": str(f.label), "schema": _schema(f),
             **({"style": "form", "explode": True} if isinstance(f, SlugListFilter) else {})}
            for name, f in filterset_class.base_filters.items()
            if name not in sort_parameters(filterset_class)
        ]


def _schema(f) -> dict:
    if isinstance(f, SlugListFilter):
        return {"type": "array", "items": {"type": "string", "pattern": SLUG_RE.pattern}}
    if isinstance(f, df.ChoiceFilter):
        return {"type": "string", "enum": [value for value, _ in f.extra["choices"]]}
    if isinstance(f, df.BooleanFilter):
        return {"type": "boolean"}
    if isinstance(f, df.NumberFilter):
        bounds = {"minimum": f.extra.get("min_value"), "maximum": f.extra.get("max_value")}
        return {"type": "number", **{key: value for key, value in bounds.items() if value is not None}}
    max_length = f.extra.get("max_length")
    return {"type": "string", **({"maxLength": max_length} if max_length else {})}
