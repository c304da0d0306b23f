from django.urls import path, register_converter

from . import document_views, feed_views, views
from .calendar_links import PROVIDERS


class CalendarProviderConverter:
    """One of the web calendars a session's short "Add to calendar" link
    redirects to; any other value does not match (404)."""

    regex = "|".join(PROVIDERS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CalendarProviderConverter, "calendar_provider")

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.ics", feed_views.events_feed, name="feed"),
    path("<slug:slug>/event.ics", feed_views.event_ics, name="event_ics"),
    path("<slug:slug>/agenda.ics", feed_views.agenda_feed, name="agenda_feed"),
    path("<slug:slug>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<slug:slug>/agenda.pdf/status/", views.agenda_pdf, {"status": True}, name="agenda_pdf_status"),
    path("<slug:slug>/documents/", document_views.document_list, name="documents"),
    path("<slug:slug>/documents.pdf", document_views.document_list_pdf, name="documents_pdf"),
    path(
        "<slug:slug>/documents.pdf/status/",
        document_views.document_list_pdf,
        {"status": True},
        name="documents_pdf_status",
    ),
    path("<slug:slug>/documents/<int:pk>/download/", document_views.download, name="document_download"),
    path("<slug:slug>/agenda/items/<uuid:uid>.ics", feed_views.item_ics, name="item_ics"),
    path("<slug:slug>/agenda/items/<uuid:uid>/calendar/", feed_views.item_calendar, name="item_calendar"),
    path(
        "<slug:slug>/agenda/items/<uuid:uid>/calendar/<calendar_provider:provider>/",
        feed_views.item_calendar_link,
        name="item_calendar_link",
    ),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/versions/", views.agenda_history, name="agenda_history"),
    path("<slug:slug>/agenda/versions/<int:number>/", views.agenda_version, name="agenda_version"),
]
