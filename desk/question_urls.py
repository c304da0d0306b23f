from django.urls import path

from . import question_views as views

urlpatterns = [
    path("events/<slug:slug>/questions/", views.questions, name="questions"),
    path("events/<slug:slug>/questions/add/", views.question_add, name="question_add"),
    path("events/<slug:slug>/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("events/<slug:slug>/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("events/<slug:slug>/questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("events/<slug:slug>/follow-up-forms/", views.followup_forms, name="followup_forms"),
    path("events/<slug:slug>/follow-up-forms/<int:pk>/", views.followup_form, name="followup_form"),
    path(
        "events/<slug:slug>/follow-up-forms/<int:pk>/questions/add/",
        views.followup_question_add,
        name="followup_question_add",
    ),
    path("events/<slug:slug>/follow-up-forms/<int:pk>/answers.csv", views.followup_csv, name="followup_csv"),
]
