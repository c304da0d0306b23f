from django.urls import path

from . import account_views

urlpatterns = [
    path("profile/", account_views.profile, name="account_profile"),
    path("calendar/", account_views.calendar, name="account_calendar"),
]
