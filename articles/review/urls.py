"""URLs of the review screen, under /admin/review/."""

from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.screen, name="screen"),
    path("next/", views.next_figure, name="next"),
    path("figure/<str:pk>/", views.figure, name="figure"),
    path("figure/<str:pk>/claim/", views.renew, name="claim"),
    path("figure/<str:pk>/verify/", views.verify, name="verify"),
    path("figure/<str:pk>/reject/", views.reject, name="reject"),
    path("figure/<str:pk>/edit/", views.edit, name="edit"),
    path("figure/<str:pk>/undo/", views.undo, name="undo"),
]
