"""Top-level URLs: the review screen, the admin, language switching, the read API and the public site."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever a page's <link rel="icon"> says; the hashed name is looked up late."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    # Before the admin's own URLs, which would take "review" for an app label.
    path("admin/review/", include("articles.review.urls")),
    path("admin/", admin.site.urls),
    path("review/", include("articles.review_second.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", FaviconView.as_view()),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.urls")),
]
