from django.urls import path

from . import desk_views as views

app_name = "desk"

urlpatterns = [
    path("", views.desk_home, name="home"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_edit, name="event"),
    path("events/<slug:slug>/publish/", views.event_publish, name="event_publish"),
    path("events/<slug:slug>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<slug:slug>/agenda/", views.agenda_draft, name="agenda"),
    path("events/<slug:slug>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("events/<slug:slug>/agenda/new/", views.item_create, name="item_create"),
    path("events/<slug:slug>/agenda/<uuid:uid>/", views.item_edit, name="item_edit"),
    path("events/<slug:slug>/agenda/<uuid:uid>/delete/", views.item_delete, name="item_delete"),
    path("speakers/new/", views.speaker_create, name="speaker_create"),
]
