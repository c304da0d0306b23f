from django.urls import path

from . import account_views

urlpatterns = [
    path("profile/", account_views.profile, name="account_profile"),
]
