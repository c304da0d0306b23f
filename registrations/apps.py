from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"

    def ready(self):
        from . import documents, receivers  # noqa: F401 - registers the public list, connects the receivers
