from django.urls import include, path, re_path

from . import (
    activity_views,
    checkin_views,
    document_views,
    file_views,
    message_views,
    registration_views,
    team_views,
    venue_views,
)
from . import event_views as views

app_name = "desk"

urlpatterns = [
    path("", views.desk_home, name="home"),
    path("events/new/", views.event_create, name="event_create"),
    path("venues/new/", venue_views.venue_create, name="venue_create"),
    path("clusters/new/", venue_views.cluster_create, name="cluster_create"),
    path("invitations/<str:token>/", team_views.invitation, name="invitation"),
    path("events/<slug:slug>/", views.event_edit, name="event"),
    path("events/<slug:slug>/publish/", views.event_publish, name="event_publish"),
    path("events/<slug:slug>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<slug:slug>/team/", team_views.team, name="team"),
    path("events/<slug:slug>/team/<int:pk>/role/", team_views.team_role, name="team_role"),
    path("events/<slug:slug>/team/<int:pk>/remove/", team_views.team_remove, name="team_remove"),
    path(
        "events/<slug:slug>/team/invitations/<int:pk>/withdraw/",
        team_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("events/<slug:slug>/agenda/", views.agenda_draft, name="agenda"),
    path("events/<slug:slug>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("events/<slug:slug>/agenda/new/", views.item_create, name="item_create"),
    path("events/<slug:slug>/agenda/<uuid:uid>/", views.item_edit, name="item_edit"),
    path("events/<slug:slug>/agenda/<uuid:uid>/delete/", views.item_delete, name="item_delete"),
    path("speakers/new/", views.speaker_create, name="speaker_create"),
    path("events/<slug:slug>/documents/", document_views.manage_documents, name="documents"),
    path("events/<slug:slug>/documents/<int:pk>/replace/", document_views.replace_document, name="document_replace"),
    path("events/<slug:slug>/registrations/", registration_views.registration_list, name="registrations"),
    path("events/<slug:slug>/registrations/capacity/", registration_views.set_capacity, name="capacity"),
    path("events/<slug:slug>/registrations/bulk/", registration_views.bulk, name="registrations_bulk"),
    re_path(
        r"^events/(?P<slug>[-\w]+)/registrations\.(?P<file_format>csv|xlsx)$",
        registration_views.export,
        name="registrations_export",
    ),
    path("events/<slug:slug>/registrations/<uuid:uid>/", registration_views.registration_detail, name="registration"),
    path("events/<slug:slug>/registrations/<uuid:uid>/approve/", registration_views.approve, name="approve"),
    path("events/<slug:slug>/registrations/<uuid:uid>/decline/", registration_views.decline, name="decline"),
    path("events/<slug:slug>/registrations/<uuid:uid>/move/", registration_views.move, name="move"),
    path(
        "events/<slug:slug>/registrations/<uuid:uid>/seat-above-capacity/",
        registration_views.seat_above_capacity,
        name="seat_above_capacity",
    ),
    path("events/<slug:slug>/registrations/<uuid:uid>/letter.pdf", registration_views.letter_pdf, name="letter"),
    path("events/<slug:slug>/messages/", message_views.messages_page, name="messages"),
    path("events/<slug:slug>/messages/recipients/", message_views.message_recipients, name="message_recipients"),
    path(
        "events/<slug:slug>/messages/preview/<str:key>.html",
        message_views.message_preview_html,
        name="message_preview_html",
    ),
    path("events/<slug:slug>/messages/<int:pk>/", message_views.message_detail, name="message"),
    path("events/<slug:slug>/messages/<int:pk>/status/", message_views.message_status, name="message_status"),
    path(
        "events/<slug:slug>/messages/undelivered/<int:pk>/try-again/",
        message_views.delivery_try_again,
        name="delivery_try_again",
    ),
    path("events/<slug:slug>/participants.pdf", file_views.participant_list_pdf, name="participants_pdf"),
    path("events/<slug:slug>/badges.pdf", file_views.badges_pdf, name="badges_pdf"),
    path("events/<slug:slug>/files/new/<str:kind>/", file_views.request_document, name="request_document"),
    path("events/<slug:slug>/files/<int:pk>/", file_views.generated, name="generated"),
    path("events/<slug:slug>/files/<int:pk>/status/", file_views.generated_status, name="generated_status"),
    path("events/<slug:slug>/files/<int:pk>/download/", file_views.generated_download, name="generated_download"),
    path("events/<slug:slug>/activity/", activity_views.activity_page, name="activity"),
    path("events/<slug:slug>/checkin/", checkin_views.checkin, name="checkin"),
    # Before checkin_code, which would take "scan" for a code.
    path("events/<slug:slug>/checkin/scan/", checkin_views.checkin_scan, name="checkin_scan"),
    path("events/<slug:slug>/checkin/<str:code>/", checkin_views.checkin_code, name="checkin_code"),
    # After the meeting (issue 14): each in its own module, names in this namespace.
    path("", include("desk.attendance_urls")),
    path("", include("desk.evaluation_urls")),
    path("", include("desk.report_urls")),
]
