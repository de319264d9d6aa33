"""/api/v1/: the API's views (operations, openapi.json, the docs page), each answering reads only."""

from django.urls import include, path

from .http import read_only
from .site import api

# Not unpacked into module names: include() would read a module-level `app_name` as this module's namespace.
ninja_urls = api.urls
for pattern in ninja_urls[0]:
    pattern.callback = read_only(pattern.callback)

urlpatterns = [path("", include((ninja_urls[0], ninja_urls[1]), namespace=ninja_urls[2]))]
