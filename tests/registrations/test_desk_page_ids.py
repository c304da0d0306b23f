"""A registration's desk page holds several forms (approve or decline, change
status, seat above capacity), each with a reason: each form has its own
prefix, so every id on the page is unique and every label names its own field."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from registrations import services

from ..factories import make_user

pytestmark = pytest.mark.django_db

FIELDS = {"input", "select", "textarea", "button", "meter", "output", "progress"}


class IdsAndLabels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.field_ids = set()
        self.label_targets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
            if tag in FIELDS and attrs.get("type") != "hidden":
                self.field_ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])


def parsed(response):
    assert response.status_code in (200, 400)
    parser = IdsAndLabels()
    parser.feed(response.content.decode())
    return parser


def assert_ids_unique_and_labels_point_to_fields(parser):
    assert [name for name, count in parser.ids.items() if count > 1] == []
    assert parser.label_targets, "the page has labelled fields"
    assert [target for target in parser.label_targets if target not in parser.field_ids] == []
    assert Counter(parser.label_targets).most_common(1)[0][1] == 1  # no field labelled twice


@pytest.fixture
def pending(workshop):
    workshop.approval_required_for = ["head_of_delegation"]
    workshop.save()
    head = make_user("head@example.org", full_name="Head Of Delegation", economy="PE")
    return services.register(workshop, head, participation_type="head_of_delegation", economy="PE")


def test_a_pending_registrations_page_has_unique_ids_and_labels_for_its_own_fields(desk, workshop, pending):
    assert pending.status == "pending"
    page = parsed(desk.get(f"/desk/events/{workshop.slug}/registrations/{pending.uid}/"))
    assert_ids_unique_and_labels_point_to_fields(page)
    assert {"id_decision-reason", "id_move-reason", "id_move-status"} <= page.field_ids
    assert "id_reason" not in page.ids


def test_the_page_with_errors_and_a_waitlisted_page_keep_their_ids_unique(desk, workshop, people, pending):
    workshop.capacity = 1
    workshop.save()
    _seated, waiting = (services.register(workshop, user) for user in people(2))
    assert waiting.status == "waitlisted"
    page = parsed(desk.get(f"/desk/events/{workshop.slug}/registrations/{waiting.uid}/"))
    assert_ids_unique_and_labels_point_to_fields(page)
    assert {"id_move-reason", "id_override-reason"} <= page.field_ids

    # The move form, sent without a reason, comes back with its error and the same ids.
    url = f"/desk/events/{workshop.slug}/registrations/{pending.uid}/move/"
    response = desk.post(url, {"move-status": "confirmed", "move-reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert_ids_unique_and_labels_point_to_fields(parsed(response))


def test_the_prefixed_forms_still_decide(desk, workshop, people, pending):
    base = f"/desk/events/{workshop.slug}/registrations/{pending.uid}"
    desk.post(f"{base}/decline/", {"decision-reason": "Not nominated by the economy"})
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == ("declined", "Not nominated by the economy")
    desk.post(f"{base}/move/", {"move-status": "pending", "move-reason": "Nomination letter arrived"})
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == ("pending", "Nomination letter arrived")
    desk.post(f"{base}/approve/", {"decision-reason": "Nominated"})
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == ("confirmed", "Nominated")
