from django.apps import AppConfig


class DelegationsConfig(AppConfig):
    """Who comes to a plenary: delegations of member economies, and the
    official List of Participants."""

    name = "delegations"

    def ready(self):
        from . import participant_list  # noqa: F401 - registers the printed lists
