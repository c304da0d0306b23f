from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Evaluation surveys after an event and follow-up surveys months later."""

    name = "evaluation"

    def ready(self):
        # Survey mails go through the registrations app's delivery ledger,
        # which must not import this app: it calls out through these registries.
        from registrations import notifications, reminders
        from registrations.models import Delivery

        from . import mail, services

        for kind in (Delivery.Kind.SURVEY_INVITATION, Delivery.Kind.SURVEY_REMINDER):
            notifications.MAIL_BUILDERS[kind] = mail.build
            reminders.STILL_WANTED[kind] = mail.still_wanted
        if services.planned_reminders not in reminders.PLANNERS:
            reminders.PLANNERS.append(services.planned_reminders)
