from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"

    def ready(self):
        from events.document_queries import add_registered_participant_check

        from . import documents, receivers  # noqa: F401 - registers the public list, connects the receivers
        from .queries import may_read_registered_documents

        add_registered_participant_check(may_read_registered_documents)
