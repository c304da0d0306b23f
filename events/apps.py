from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self):
        from .agenda import connect_document_receivers

        connect_document_receivers()
