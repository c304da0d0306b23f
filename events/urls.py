from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/versions/", views.agenda_history, name="agenda_history"),
    path("<slug:slug>/agenda/versions/<int:number>/", views.agenda_version, name="agenda_version"),
]
