from django.urls import path

from . import participant_list_views as views

urlpatterns = [
    path("events/<slug:slug>/list-of-participants/", views.participant_list_page, name="participant_list"),
    path("events/<slug:slug>/list-of-participants.pdf", views.provisional_pdf, name="participant_list_pdf"),
    path(
        "events/<slug:slug>/list-of-participants.pdf/status/",
        views.provisional_pdf,
        {"status": True},
        name="participant_list_pdf_status",
    ),
    path("events/<slug:slug>/list-of-participants.docx", views.provisional_docx, name="participant_list_docx"),
    path(
        "events/<slug:slug>/list-of-participants.docx/status/",
        views.provisional_docx,
        {"status": True},
        name="participant_list_docx_status",
    ),
    path("events/<slug:slug>/list-of-participants/final/", views.finalise, name="participant_list_finalise"),
    path("events/<slug:slug>/list-of-participants/final.docx", views.final_docx, name="participant_list_final_docx"),
]
