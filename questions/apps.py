from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    """Questions an event's organisers add to its register form, and follow-up
    forms its seated participants fill in after approval."""

    name = "questions"

    def ready(self):
        # registrations may not import this app: its register form, pages,
        # export and mail ledger call out through these registries.
        from registrations import hooks, notifications, reminders
        from registrations.models import Delivery

        from . import mail, participant

        notifications.MAIL_BUILDERS[Delivery.Kind.FOLLOWUP_REMINDER] = mail.build
        reminders.STILL_WANTED[Delivery.Kind.FOLLOWUP_REMINDER] = mail.still_wanted
        if mail.planned_reminders not in reminders.PLANNERS:
            reminders.PLANNERS.append(mail.planned_reminders)
        if participant.registration_section not in hooks._detail_sections:
            hooks.add_detail_section(participant.registration_section)
        if participant.REGISTER_QUESTIONS not in hooks._register_extras:
            hooks.add_register_extra(participant.REGISTER_QUESTIONS)
        if participant.export_columns not in hooks._export_columns:
            hooks.add_export_columns(participant.export_columns)
