from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    """Who was in each session, in the room or online."""

    name = "attendance"

    def ready(self):
        from registrations.hooks import add_attendance_summary, add_detail_section

        from .participant import registration_section, summary

        # registrations may not import attendance: its registration page and
        # certificate ask these hooks.
        add_detail_section(registration_section)
        add_attendance_summary(summary)
