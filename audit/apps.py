from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log. It refers to events only by string (``"events.Event"``)
    and imports none of events, registrations or desk: they call into it."""

    name = "audit"
    verbose_name = "Audit log"
