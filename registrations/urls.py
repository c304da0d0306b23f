from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("registrations/", views.my_registrations, name="mine"),
    path("registrations/<uuid:uid>/", views.detail, name="detail"),
    path("registrations/<uuid:uid>/cancel/", views.cancel, name="cancel"),
    path("registrations/<uuid:uid>/invitation.ics", views.invitation, name="invitation"),
]
