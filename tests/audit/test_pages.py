"""Where the log is read: a registration's desk page (History) and the event's
Activity page, filtered; and the Django admin, which changes state only
through the services, so its changes are logged too."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

import audit
from audit.models import LogEntry
from events.models import Event
from registrations import services
from registrations.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_event(event):
    now = timezone.now()
    event.starts_at, event.ends_at, event.capacity = now + timedelta(days=30), now + timedelta(days=31), 1
    event.save()
    return event


def test_registration_page_shows_its_history(desk, open_event, organiser, people):
    seated, waiting = (services.register(open_event, user) for user in people(2))
    services.move(seated, "waitlisted", "Seat goes to the head of delegation", actor=organiser)
    entry = LogEntry.objects.get(action="registration.moved")
    page = desk.get(f"/desk/events/{open_event.slug}/registrations/{seated.uid}/").content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "Status changed" in history and "Registered" in history
    assert "Status: Confirmed → Waitlisted" in history
    assert "Seat goes to the head of delegation" in history
    assert "Test Person &lt;organiser-a@example.org&gt;" in history
    local = entry.at.astimezone(open_event.tz)
    assert f"{local.day} {local:%b %Y, %H:%M} Auckland time (UTC+1" in history  # +12 or +13, by the season
    assert "Delegate 1" not in history  # the other person's promotion is on their page, not this one
    other = desk.get(f"/desk/events/{open_event.slug}/registrations/{waiting.uid}/").content.decode()
    assert "Seated from the waiting list" in other and "A seat became free." in other


def _entry(actor, action, event, at, obj=None, **values):
    made = audit.entry(actor, action, event=event, obj=obj, **values)
    made.at = at
    made.save()
    return made


@pytest.fixture
def history(open_event, organiser, people):
    """Six changes on three days (Auckland time) by the organiser, a
    participant and the system, and one on another event."""
    (person,) = people(1)
    registration = services.register(open_event, person)
    day = datetime(2025, 1, 10, 12, 0, tzinfo=open_event.tz)
    _entry(
        organiser,
        "event.published",
        open_event,
        day,
        open_event,
        before={"status": "draft"},
        after={"status": "published"},
    )
    _entry(
        organiser,
        "registration.approved",
        open_event,
        day + timedelta(days=1),
        registration,
        after={"status": "confirmed"},
    )
    _entry(
        person,
        "registration.cancelled",
        open_event,
        day + timedelta(days=1, hours=3),
        registration,
        after={"status": "cancelled"},
    )
    _entry(None, "registration.personal_data_erased", open_event, day + timedelta(days=2), after={"registrations": 1})
    _entry(
        organiser,
        "event.capacity_changed",
        open_event,
        day + timedelta(days=2, hours=1),
        open_event,
        after={"capacity": 5},
    )
    other = Event.objects.create(
        slug="elsewhere", title="Elsewhere", venue=open_event.venue, starts_at=day, ends_at=day + timedelta(hours=3)
    )
    _entry(organiser, "event.published", other, day, other)
    return registration


def listed(response):
    return [entry.action for entry in response.context["entries"]]


def test_activity_lists_the_events_changes_newest_first_and_filters(desk, open_event, organiser, history):
    url = f"/desk/events/{open_event.slug}/activity/"
    page = desk.get(url)
    assert listed(page) == [
        "registration.registered",
        "event.capacity_changed",
        "registration.personal_data_erased",
        "registration.cancelled",
        "registration.approved",
        "event.published",
    ]
    html = page.content.decode()
    assert '<label for="id_action">What</label>' in html and '<label for="id_actor">Who</label>' in html
    assert '<label for="id_since">From (day)</label>' in html and '<label for="id_until">To (day)</label>' in html
    assert f'href="/desk/events/{open_event.slug}/registrations/{history.uid}/"' in html
    assert "Capacity: — → 5" in html and "<em>System</em>" in html

    assert listed(desk.get(url, {"action": "registration"})) == [
        "registration.registered",
        "registration.personal_data_erased",
        "registration.cancelled",
        "registration.approved",
    ]
    assert listed(desk.get(url, {"action": "event.published"})) == ["event.published"]
    organiser_label = LogEntry.objects.filter(actor=organiser).values_list("actor_label", flat=True).first()
    assert listed(desk.get(url, {"actor": organiser_label})) == [
        "event.capacity_changed",
        "registration.approved",
        "event.published",
    ]
    assert listed(desk.get(url, {"actor": "system"})) == ["registration.personal_data_erased"]
    # Days are the venue's: 11 January 2025 in Auckland, both ends included.
    assert listed(desk.get(url, {"since": "2025-01-11", "until": "2025-01-11"})) == [
        "registration.cancelled",
        "registration.approved",
    ]
    assert listed(desk.get(url, {"since": "2025-01-12", "until": "2025-01-12", "actor": organiser_label})) == [
        "event.capacity_changed"
    ]
    refused = desk.get(url, {"since": "2025-01-12", "until": "2025-01-10"})
    assert "The last day cannot come before the first." in refused.content.decode()
    assert desk.get(url, {"actor": "nobody@example.org"}).status_code == 200


def test_activity_query_count_does_not_grow_with_rows(
    desk, open_event, organiser, people, django_assert_max_num_queries
):
    url = f"/desk/events/{open_event.slug}/activity/"
    for user in people(3):
        services.register(open_event, user)
    # session, user, the header's organiser check, event, who appears in the
    # log, page count, page rows, the rows' registration links
    with django_assert_max_num_queries(8):
        few = desk.get(url)
    for user in people(80, "more"):
        services.register(open_event, user)
    with django_assert_max_num_queries(8):
        many = desk.get(url)
    assert len(few.context["entries"]) == 3 and len(many.context["entries"]) == 50
    assert many.context["page"].paginator.count == 83
    second = desk.get(url, {"page": 2})
    assert len(second.context["entries"]) == 33


def test_activity_is_for_the_events_organisers_only(client, open_event, other_organiser, people):
    url = f"/desk/events/{open_event.slug}/activity/"
    client.force_login(other_organiser)
    assert client.get(url).status_code == 404
    client.force_login(people(1)[0])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_event_tabs_link_the_activity_page(desk, open_event):
    page = desk.get(f"/desk/events/{open_event.slug}/registrations/").content.decode()
    assert f'href="/desk/events/{open_event.slug}/activity/"' in page


def test_admin_publishes_and_cancels_events_through_the_services(admin_client, admin_user, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    change = admin_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert 'name="status"' not in change and 'name="capacity"' not in change  # read-only there
    admin_client.post("/admin/events/event/", {"action": "publish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == "published"
    sequence = event.sequence
    admin_client.post("/admin/events/event/", {"action": "cancel_event", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == "cancelled" and event.sequence == sequence + 1  # as cancel_event does
    logged = LogEntry.objects.filter(event=event).order_by("pk")
    assert [(e.action, e.actor, e.after) for e in logged] == [
        ("event.published", admin_user, {"status": "published"}),
        ("event.cancelled", admin_user, {"status": "cancelled"}),
    ]


def test_admin_decides_registrations_through_the_services(admin_client, admin_user, open_event, people):
    open_event.approval_required_for = ["delegate"]
    open_event.save()
    first, second, third = (services.register(open_event, user) for user in people(3))
    change = admin_client.get(f"/admin/registrations/registration/{first.pk}/change/").content.decode()
    assert 'name="status"' not in change
    admin_client.post("/admin/registrations/registration/", {"action": "approve", "_selected_action": [first.pk]})
    admin_client.post("/admin/registrations/registration/", {"action": "decline", "_selected_action": [second.pk]})
    admin_client.post("/admin/registrations/registration/", {"action": "cancel", "_selected_action": [first.pk]})
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[third.pk]) == ("cancelled", "declined", "pending")
    by_admin = LogEntry.objects.filter(actor=admin_user).order_by("pk")
    assert [(e.action, e.object_id, e.before, e.after) for e in by_admin] == [
        ("registration.approved", first.pk, {"status": "pending"}, {"status": "confirmed"}),
        ("registration.declined", second.pk, {"status": "pending"}, {"status": "declined"}),
        ("registration.cancelled", first.pk, {"status": "confirmed"}, {"status": "cancelled"}),
    ]


def test_the_log_is_read_only_in_the_admin(admin_client, open_event, people):
    services.register(open_event, people(1)[0])
    entry = LogEntry.objects.get()
    assert admin_client.get("/admin/audit/logentry/").status_code == 200
    assert admin_client.get("/admin/audit/logentry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(f"/admin/audit/logentry/{entry.pk}/change/", {"reason": "rewritten"})
    assert LogEntry.objects.get().reason == ""


def _form_data(html):
    """What a browser would send back from an admin change form, unchanged."""
    data = {}
    for match in re.finditer(r"<input([^>]*)>", html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        if "name" in attrs and attrs.get("type") not in ("submit", "checkbox"):
            data[attrs["name"]] = attrs.get("value", "")
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[match.group(1)] = match.group(2).strip()
    return data


def test_admin_edits_of_event_details_are_saved_and_logged_as_the_desk_does(admin_client, admin_user, event):
    url = f"/admin/events/event/{event.pk}/change/"
    data = _form_data(admin_client.get(url).content.decode())
    data.update(title="Renamed in the admin", status="cancelled", capacity="1")  # the last two are ignored
    assert admin_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.status, event.capacity) == ("Renamed in the admin", "published", None)
    assert event.sequence == 1  # a title change reaches subscribed calendars, as on the desk
    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor, entry.before, entry.after) == (
        "event.changed",
        admin_user,
        {"title": "Nz Workshop"},
        {"title": "Renamed in the admin"},
    )
