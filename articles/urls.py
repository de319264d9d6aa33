"""Public pages of the dashboard."""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("compare/", views.compare, name="compare"),
    path("provinces/<slug:slug>/", views.province_detail, name="province"),
    path("areas/<slug:slug>/", views.area_detail, name="area"),
    path("metrics/", views.metric_list, name="metrics"),
    path("metrics/<str:pk>/", views.metric_detail, name="metric"),
    path("articles/", views.article_list, name="articles"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
]
