from django.urls import path

from . import evaluation_views as views

urlpatterns = [
    path("events/<slug:slug>/surveys/", views.surveys, name="surveys"),
    path("events/<slug:slug>/surveys/<int:pk>/", views.survey, name="survey"),
    path("events/<slug:slug>/surveys/<int:pk>/status/", views.survey_status, name="survey_status"),
    path("events/<slug:slug>/surveys/<int:pk>/results/", views.survey_results_page, name="survey_results"),
    path("events/<slug:slug>/surveys/<int:pk>/answers.csv", views.survey_answers_csv, name="survey_answers_csv"),
    path(
        "events/<slug:slug>/surveys/<int:pk>/questions/<int:question>/",
        views.survey_question,
        name="survey_question",
    ),
    path(
        "events/<slug:slug>/surveys/<int:pk>/questions/<int:question>/action/",
        views.survey_question_action,
        name="survey_question_action",
    ),
]
