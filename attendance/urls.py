from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("<slug:slug>/code/", views.room_code, name="room_code"),
    path("join/<str:token>/", views.join, name="join"),
]
