from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("<uuid:uid>/<int:pk>/", views.followup, name="followup"),
]
