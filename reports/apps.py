from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The numbers of APEC's Project Completion Report, per event or project code."""

    name = "reports"
