from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data, and the commands that load them: kept out of
    the product apps, which never import it."""

    name = "demo"
