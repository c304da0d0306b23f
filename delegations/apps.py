from django.apps import AppConfig


class DelegationsConfig(AppConfig):
    """Who comes to a plenary: delegations nominated by member economies, and
    the official List of Participants."""

    name = "delegations"

    def ready(self):
        # registrations may not import this app: it calls out through these
        # registries (its mail ledger, its refusals, its registration page).
        from registrations import hooks, notifications
        from registrations import services as registration_services
        from registrations.models import Delivery

        from . import focal_point, mail, nominations, participant, participant_list  # noqa: F401 - registers the printed lists

        notifications.MAIL_BUILDERS[Delivery.Kind.NOMINATION] = mail.build
        if nominations.self_registration_refusal not in registration_services.REFUSALS:
            registration_services.REFUSALS.append(nominations.self_registration_refusal)
        if nominations.follow_registrations not in registration_services.DECISION_FOLLOWERS:
            registration_services.DECISION_FOLLOWERS.append(nominations.follow_registrations)
        if participant.nomination_section not in hooks._detail_sections:
            hooks.add_detail_section(participant.nomination_section)
        if focal_point.my_delegations_section not in hooks._mine_sections:
            hooks.add_mine_section(focal_point.my_delegations_section)
