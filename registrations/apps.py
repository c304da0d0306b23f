from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"

    def ready(self):
        from events.agenda import add_starred_lookup
        from events.document_queries import add_registered_participant_check
        from events.event_page import add_event_page_context
        from events.reader_zone import add_profile_zone

        from . import documents, receivers  # noqa: F401 - registers the public list, connects the receivers
        from .event_page import event_page_context
        from .queries import may_read_registered_documents
        from .reader_zone import profile_zone, save_profile_zone
        from .stars import starred_uids

        add_registered_participant_check(may_read_registered_documents)
        # The agenda shows the reader's own stars on its shared HTML.
        add_starred_lookup(starred_uids)
        # The event page shows the reader's registration and the seats left.
        add_event_page_context(event_page_context)
        # A signed-in reader's chosen time zone lives in their profile.
        add_profile_zone(profile_zone, save_profile_zone)
