from django.apps import AppConfig


class DeskConfig(AppConfig):
    """Every organiser page: URLs, views, forms (as pretalx's orga/ and
    pretix's control/). It may import events and registrations; they never
    import it."""

    name = "desk"
