"""URLs of the second review, under /review/."""

from django.urls import path

from . import views

app_name = "review_second"

urlpatterns = [
    path("second/", views.second_queue, name="queue"),
    path("second/<int:metric_id>/", views.second_review, name="code"),
    path("third/", views.third_queue, name="third_queue"),
    path("third/<int:metric_id>/", views.third_look, name="third"),
    path("agreement/", views.supervisor, name="agreement"),
]
