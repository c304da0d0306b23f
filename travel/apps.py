from django.apps import AppConfig


class TravelConfig(AppConfig):
    """Funded travellers: travel-eligible economies, funded places per event,
    entitlements, and the claims travellers send after the event."""

    name = "travel"

    def ready(self):
        # Travel mails go through the registrations app's delivery ledger, and
        # the traveller's claim shows on their registration page; registrations
        # must not import this app, so it calls out through these registries.
        from registrations import hooks, notifications, reminders
        from registrations.models import Delivery

        from . import mail, participant

        for kind in (Delivery.Kind.TRAVEL_NOTICE, Delivery.Kind.CLAIM_REMINDER):
            notifications.MAIL_BUILDERS[kind] = mail.build
            reminders.STILL_WANTED[kind] = mail.still_wanted
        if mail.planned_reminders not in reminders.PLANNERS:
            reminders.PLANNERS.append(mail.planned_reminders)
        if participant.registration_section not in hooks._detail_sections:
            hooks.add_detail_section(participant.registration_section)
