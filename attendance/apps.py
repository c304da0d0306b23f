from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    """Who was in each session, in the room or online."""

    name = "attendance"
