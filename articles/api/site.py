"""The API object: one router per resource family, and what every answer shares (errors, revalidation).

A new family is one module with a `router` and one line in ROUTERS.
"""

from ninja import NinjaAPI, Swagger

from . import articles, conditional, errors, metrics, places, totals

ROUTERS = {
    "/metrics": metrics.router,
    "/provinces": places.provinces,
    "/areas": places.areas,
    "/articles": articles.router,
    "/totals": totals.router,
}

api = NinjaAPI(
    title="aidmap API",
    version="1",
    description=(
        "Read-only JSON over the aid figures extracted from news on counterpart aid to Xinjiang (对口援疆): "
        "the figures with the explorer's filters, the gazetteer of donors and areas, the articles and the "
        "spans of their figures. Lists are paged with an opaque cursor (follow `next`). Every answer has an "
        "ETag: send it back as If-None-Match for a 304 while the data has not changed."
    ),
    urls_namespace="api-v1",
    # Swagger UI would otherwise show a badge fetched from its makers' validator: the docs page asks no other site.
    docs=Swagger(settings={"validatorUrl": None}),
)
for prefix, router in ROUTERS.items():
    api.add_router(prefix, router)
api.add_decorator(conditional.revalidated, mode="view")
errors.install(api)
