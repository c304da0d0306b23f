from django.urls import path

from . import attendance_views as views

urlpatterns = [
    path("events/<slug:slug>/attendance/", views.attendance, name="attendance"),
    path("events/<slug:slug>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("events/<slug:slug>/attendance/settings/", views.attendance_settings, name="attendance_settings"),
    path("events/<slug:slug>/attendance/<uuid:uid>/screen/", views.attendance_screen, name="attendance_screen"),
    path(
        "events/<slug:slug>/attendance/<uuid:uid>/screen/status/",
        views.attendance_screen_status,
        name="attendance_screen_status",
    ),
]
