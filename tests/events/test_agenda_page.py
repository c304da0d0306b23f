"""The agenda page (issue 13, items 4, 7 and 11): the star is a toggle that
works as a plain form post and as a fetch; the page shows the reader's stars
and the documents their access allows beside each session, while the days'
HTML stays one cached rendering per version, zone and access level; repeat
visits are answered with 304."""

import gzip
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from events import services as event_services
from events.agenda import STAR_OFF, rendered_agenda, with_stars
from registrations import services as registrations
from registrations.models import Registration, StarredItem

from ..factories import add_items, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def agenda(event, organiser):
    add_items(event, 6)
    version = event_services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    return version


@pytest.fixture
def uids(agenda):
    return [str(uid) for uid in agenda.items.order_by("starts_at", "pk").values_list("uid", flat=True)]


@pytest.fixture
def delegate(db):
    return make_user("delegate@example.org", full_name="Delegate From Chile", economy="CL")


def _pressed(page):
    """{uid: 'true' | 'false'} of every star button on the page."""
    buttons = re.findall(r'<button[^>]*class="star"[^>]*data-uid="([^"]+)" aria-pressed="(true|false)"', page)
    return dict(buttons)


def test_the_star_is_a_button_of_one_form_with_no_token_in_the_shared_html(client, event, uids, delegate):
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert _pressed(page) == dict.fromkeys(uids, "false")
    first = re.search(r'<button type="submit" form="star-form" formaction="([^"]+)" name="star"', page)
    assert first.group(1) == f"/events/{event.slug}/agenda/items/{uids[0]}/star/"
    # Anonymous: the form asks by GET (sign-in first, then the star page); no token needed.
    assert '<form method="get" id="star-form"' in page
    client.force_login(delegate)
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert re.search(
        r'<form method="post" id="star-form" class="star-form"><input type="hidden" name="csrfmiddle', page
    )
    assert page.count("csrfmiddlewaretoken") == 2  # the star form and the header's sign-out form, not one per session


def test_starring_without_javascript_posts_and_returns_to_the_session(client, event, uids, delegate):
    client.force_login(delegate)
    url = f"/events/{event.slug}/agenda/items/{uids[2]}/star/"
    response = client.post(url, {"star": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/agenda/#item-{uids[2]}"
    assert list(StarredItem.objects.filter(user=delegate).values_list("item_uid", flat=True)) == [agenda_uid(uids[2])]
    # The button says what it does: a second "on" (a double click, a resent form) changes nothing.
    client.post(url, {"star": "on"})
    assert StarredItem.objects.filter(user=delegate).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "is on your agenda" in page  # the message, once
    assert _pressed(page) == {uid: "true" if uid == uids[2] else "false" for uid in uids}
    assert f'data-uid="{uids[2]}" aria-pressed="true" value="off"' in page
    response = client.post(url, {"star": "off"})
    assert response.status_code == 302 and not StarredItem.objects.filter(user=delegate).exists()
    assert set(_pressed(client.get(f"/events/{event.slug}/agenda/").content.decode()).values()) == {"false"}


def agenda_uid(uid):
    import uuid

    return uuid.UUID(uid)


def test_starring_by_fetch_answers_json(client, event, uids, delegate):
    client.force_login(delegate)
    url = f"/events/{event.slug}/agenda/items/{uids[0]}/star/"
    response = client.post(url, {"star": "on"}, headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json() == {"uid": uids[0], "starred": True}
    response = client.post(url, {"star": "off"}, headers={"accept": "application/json"})
    assert response.json() == {"uid": uids[0], "starred": False}
    assert not StarredItem.objects.exists()


def test_my_agenda_remove_returns_to_my_agenda(client, event, uids, delegate):
    client.force_login(delegate)
    StarredItem.objects.create(user=delegate, event=event, item_uid=uids[1])
    page = client.get(f"/events/{event.slug}/my-agenda/").content.decode()
    assert 'aria-label="This event"' in page and 'aria-current="page">My agenda' in page
    response = client.post(
        f"/events/{event.slug}/agenda/items/{uids[1]}/star/",
        {"star": "off", "next": f"/events/{event.slug}/my-agenda/"},
    )
    assert response["Location"] == f"/events/{event.slug}/my-agenda/"
    assert not StarredItem.objects.exists()
    # An address elsewhere is not followed.
    StarredItem.objects.create(user=delegate, event=event, item_uid=uids[1])
    response = client.post(
        f"/events/{event.slug}/agenda/items/{uids[1]}/star/", {"star": "off", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/events/{event.slug}/agenda/#item-{uids[1]}"


def test_stars_do_not_unshare_the_cached_html(client, event, agenda, uids, delegate):
    StarredItem.objects.create(user=delegate, event=event, item_uid=uids[3])
    client.force_login(delegate)
    assert _pressed(client.get(f"/events/{event.slug}/agenda/").content.decode())[uids[3]] == "true"
    html, key = rendered_agenda(event, agenda)
    assert html.count(STAR_OFF) == len(uids)  # the cached rendering: every star unpressed
    other = make_user("other@example.org")
    client.force_login(other)
    assert set(_pressed(client.get(f"/events/{event.slug}/agenda/").content.decode()).values()) == {"false"}
    assert with_stars(html, key, set()) is html  # no stars: the cached bytes as they are, not copied


def test_repeat_visits_get_304_until_something_they_see_changes(client, event, uids, delegate, organiser):
    url = f"/events/{event.slug}/agenda/"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag and "no-cache" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    # Another zone is another page.
    zoned = client.get(url + "?tz=Europe/Paris", headers={"if-none-match": etag})
    assert zoned.status_code == 200 and zoned["ETag"] != etag
    client.cookies.pop("reader_tz", None)
    # A new document filed under a session is shown: the mark changes.
    event_services.add_document(
        event, "Opening remarks", SimpleUploadedFile("remarks.pdf", PDF), "application/pdf", "public",
        actor=organiser, item_uid=uids[0],
    )  # fmt: skip
    assert client.get(url + "?tz=", headers={"if-none-match": etag}).status_code == 200
    # Signed in, starring changes the mark; the same stars give the same one.
    client.force_login(delegate)
    mine = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": mine}).status_code == 304
    client.post(
        f"/events/{event.slug}/agenda/items/{uids[1]}/star/", {"star": "on"}, headers={"accept": "application/json"}
    )
    starred = client.get(url)
    assert starred.status_code == 200 and starred["ETag"] != mine
    assert client.get(url, headers={"if-none-match": starred["ETag"]}).status_code == 304


def test_anonymous_pages_are_kept_whole_and_served_gzipped_to_who_accepts_it(client, event, uids):
    url = f"/events/{event.slug}/agenda/"
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    # Each encoding its own tag, each answered with 304.
    assert packed["ETag"] != plain["ETag"] and packed["ETag"].endswith('-gzip"')
    again = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": packed["ETag"]})
    assert again.status_code == 304
    assert client.get(url, headers={"if-none-match": plain["ETag"]}).status_code == 304
    # The stored page is the page: a later visit gets the same bytes.
    assert client.get(url).content == plain.content


def test_a_304_takes_no_more_queries_than_a_page(client, event, uids, django_assert_max_num_queries):
    url = f"/events/{event.slug}/agenda/"
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(1):  # the event, as for any cached visit
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_session_documents_beside_their_session_by_access(client, event, uids, organiser, delegate):
    for title, access in (("Public paper", "public"), ("Delegates' draft", "registered"), ("Notes", "organisers")):
        event_services.add_document(
            event, title, SimpleUploadedFile("paper.pdf", PDF), "application/pdf", access,
            actor=organiser, item_uid=uids[2],
        )  # fmt: skip

    def documents_beside(uid, page):
        row = re.search(rf'<tr class="[^"]+" id="item-{uid}">(.*?)</tr>', page, re.S).group(1)
        return re.findall(r'<a href="/events/[^"]+/documents/\d+/download/">[^<]*? ([^<]+)</a>', row)

    anonymous = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert documents_beside(uids[2], anonymous) == ["Public paper"]
    assert documents_beside(uids[1], anonymous) == []

    client.force_login(delegate)
    registration = registrations.register(event, delegate)
    assert registration.status == Registration.Status.CONFIRMED  # seated
    seated = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert documents_beside(uids[2], seated) == ["Public paper", "Delegates&#x27; draft"]
    assert "(Registered participants)" in seated

    client.force_login(organiser)
    assert documents_beside(uids[2], client.get(f"/events/{event.slug}/agenda/").content.decode()) == [
        "Public paper",
        "Delegates&#x27; draft",
        "Notes",
    ]
    # One rendering per access level, shared by its readers.
    assert sum(1 for key in cache._cache if ":agenda-html:" in key and not key.endswith(":stars")) == 3


def test_profile_has_every_switch_the_pages_promise(client, delegate):
    client.force_login(delegate)
    page = client.get("/accounts/profile/").content.decode()
    fieldset = re.search(r'<fieldset id="mail-switches".*?</fieldset>', page, re.S).group(0)
    for name in ("event_reminders", "agenda_change_notices", "organiser_messages", "starting_soon_reminders"):
        assert f'type="checkbox" name="{name}"' in fieldset
    assert "a reminder shortly before each session i starred" in fieldset.lower()
    assert "messages from the organisers of my events" in fieldset.lower()
    data = {
        "full_name": "Delegate From Chile", "economy": "CL", "event_reminders": "on",
        "organiser_messages": "on", "starting_soon_reminders": "on", "time_zone": "",
    }  # fmt: skip
    assert client.post("/accounts/profile/", data).status_code == 302
    delegate.profile.refresh_from_db()
    assert delegate.profile.starting_soon_reminders and delegate.profile.organiser_messages
    assert not delegate.profile.agenda_change_notices


def test_query_counts_are_the_same_at_50_and_2000_sessions_with_stars_and_documents(client, organiser, delegate):
    """Anonymous and signed-in (seated, with stars and a session document of
    each level), first visit and later ones, and the 304: no count grows with
    the agenda."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import make_event

    counts = {}
    for size in (50, 2000):
        zone = ZoneInfo("Asia/Kuala_Lumpur")
        event = make_event(
            f"size-{size}", organisers=[organiser],
            starts_at=datetime(2031, 2, 17, tzinfo=zone), ends_at=datetime(2031, 3, 17, tzinfo=zone),
        )  # fmt: skip
        add_items(event, size)
        version = event_services.publish_agenda(event, actor=organiser)
        uids = list(version.items.order_by("starts_at", "pk").values_list("uid", flat=True))
        for access in ("public", "registered", "organisers"):
            event_services.add_document(
                event, f"Paper {access}", SimpleUploadedFile("p.pdf", PDF), "application/pdf", access,
                actor=organiser, item_uid=uids[1],
            )  # fmt: skip
        registrations.register(event, delegate)
        StarredItem.objects.bulk_create(StarredItem(user=delegate, event=event, item_uid=uid) for uid in uids[::10])
        url = f"/events/{event.slug}/agenda/"
        seen = []
        for who in ("anonymous", "delegate"):
            client.logout()
            if who == "delegate":
                client.force_login(delegate)
            for _ in range(2):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                seen.append(len(queries))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304
            seen.append(len(queries))
        page = response.content.decode()
        assert page.count('aria-pressed="true"') == len(uids[::10]) and "Paper registered" in page
        counts[size] = seen
    # Anonymous: first visit (the event, the documents' state, the session
    # documents, the items), later visit, 304 (the event). Signed in: the same
    # plus session, user, profile zone, roles, registration, stars, two-factor
    # check; its first visit renders its access level's HTML.
    assert counts == {50: [4, 1, 1, 11, 9, 8], 2000: [4, 1, 1, 11, 9, 8]}
