from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
