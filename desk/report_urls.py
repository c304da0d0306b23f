from django.urls import path, re_path

from . import registration_views, report_views

urlpatterns = [
    path("events/<slug:slug>/report/", report_views.event_report, name="report"),
    re_path(
        r"^events/(?P<slug>[-\w]+)/report\.(?P<file_format>xlsx|pdf)$",
        report_views.event_report_file,
        name="report_file",
    ),
    # Project codes hold spaces ("IPEG 02 2020S"), sent as %20.
    path("reports/<str:code>/", report_views.project_report, name="project_report"),
    re_path(
        r"^reports/(?P<code>[^/]+)/report\.(?P<file_format>xlsx|pdf)$",
        report_views.project_report_file,
        name="project_report_file",
    ),
    # Funding is the report's column, set per registration by an organiser (issue 14, item 8).
    path(
        "events/<slug:slug>/registrations/<uuid:uid>/funding/",
        registration_views.set_funding,
        name="registration_funding",
    ),
]
