from django.urls import path

from . import stars, views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/my-agenda/", stars.my_agenda, name="my_agenda"),
    path("events/<slug:slug>/participants.pdf", views.public_participant_list, name="participants_pdf"),
    path(
        "events/<slug:slug>/participants.pdf/status/",
        views.public_participant_list,
        {"status": True},
        name="participants_pdf_status",
    ),
    path("events/<slug:slug>/agenda/items/<uuid:uid>/star/", stars.star, name="star"),
    path("registrations/", views.my_registrations, name="mine"),
    path("registrations/<uuid:uid>/", views.detail, name="detail"),
    path("registrations/<uuid:uid>/cancel/", views.cancel, name="cancel"),
    path("registrations/<uuid:uid>/invitation.ics", views.invitation, name="invitation"),
    path("registrations/<uuid:uid>/certificate.pdf", views.certificate, name="certificate"),
    path("registrations/<uuid:uid>/letter.pdf", views.letter, name="letter"),
]
