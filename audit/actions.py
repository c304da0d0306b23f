"""What each action code means, in words for the Activity page. The codes are
dotted, ``<thing>.<what happened>``; a code missing here is shown as it is."""

LABELS = {
    "event.created": "Event created",
    "event.changed": "Event details changed",
    "event.published": "Event published",
    "event.cancelled": "Event cancelled",
    "event.capacity_changed": "Capacity changed",
    "agenda.published": "Agenda version published",
    "agenda.item_added": "Session added to the draft agenda",
    "agenda.item_changed": "Session changed in the draft agenda",
    "agenda.item_removed": "Session removed from the draft agenda",
    "document.added": "Document added",
    "document.replaced": "Document replaced",
    "registration.registered": "Registered",
    "registration.cancelled": "Registration cancelled",
    "registration.approved": "Approved",
    "registration.declined": "Declined",
    "registration.moved": "Status changed",
    "registration.promoted": "Seated from the waiting list",
    "registration.seated_over_capacity": "Seated above capacity",
    "registration.checked_in": "Checked in",
    "registration.letter_issued": "Invitation letter issued",
    "registration.personal_data_erased": "Personal data erased",
    "registration.funding_set": "Funding set",
    "delivery.retried": "Failed mail tried again",
    "message.sent": "Message sent",
    "venue.created": "Venue created",
    "venue.changed": "Venue changed",
    "venue.deleted": "Venue deleted",
    "cluster.created": "Meeting cluster created",
    "cluster.changed": "Meeting cluster changed",
    "cluster.deleted": "Meeting cluster deleted",
    "speaker.created": "Speaker added",
    "speaker.changed": "Speaker changed",
    "speaker.deleted": "Speaker deleted",
    "team.role_granted": "Role granted",
    "team.role_changed": "Role changed",
    "team.removed": "Taken off the team",
    "team.invited": "Invited to the team",
    "team.invitation_withdrawn": "Invitation withdrawn",
    "participant_list.finalised": "List of Participants made final",
    "travel.eligibility_changed": "Travel eligibility of an economy changed",
    "travel.settings_changed": "Travel funding settings changed",
    "travel.funded": "Travel funded",
    "travel.unfunded": "Travel funding withdrawn",
    "travel.document_added": "Travel claim document added",
    "travel.document_removed": "Travel claim document removed",
    "travel.claim_submitted": "Travel claim submitted",
    "travel.claim_accepted": "Travel claim accepted",
    "travel.claim_returned": "Travel claim returned for changes",
}


def label(code):
    return LABELS.get(code, code)


def kinds():
    """(prefix, words) pairs for filtering by kind of thing."""
    return [
        ("event", "Event"),
        ("agenda", "Agenda"),
        ("document", "Documents"),
        ("registration", "Registrations"),
        ("delivery", "Mail"),
        ("message", "Messages"),
        ("team", "Team"),
        ("participant_list", "List of Participants"),
    ]
