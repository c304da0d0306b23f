""" "My agenda" has the agenda's "Add to calendar" menu beside each starred
session: the same partial and the same short links as the agenda page, which
answer 302 to the links of {% add_to_calendar event item %}, built without a
query per session."""

import html
import re
from datetime import timedelta

import pytest
from django.test import override_settings

from events import services as event_services
from events.templatetags.calendar_links import add_to_calendar
from registrations.models import StarredItem

from ..factories import add_item, make_user

pytestmark = pytest.mark.django_db

MENU = re.compile(
    r'<details class="calendar-menu add-to-calendar session-calendar"><summary>Add to calendar'
    r'<span class="visually-hidden">: ([^<]*)</span></summary><ul>(.*?)</ul></details>'
)

# Seven with 2 starred sessions as with 40: none per session.
MAX_QUERIES = 7


def _star(workshop, reader, count):
    for n in range(count):
        add_item(workshop, f"Session {n}", workshop.starts_at + timedelta(minutes=30 * n), room=f"Room {n % 3}",
                 description=f"About session {n}. " + "More words here. " * 20)  # fmt: skip
    event_services.publish_agenda(workshop, actor=make_user("publisher@example.org"))
    workshop.refresh_from_db()
    items = list(workshop.current_version.items.order_by("starts_at"))
    StarredItem.objects.bulk_create(StarredItem(user=reader, event=workshop, item_uid=item.uid) for item in items)
    return items


def _menus(page):
    return {
        html.unescape(title): [
            (label, html.unescape(href)) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', links)
        ]
        for title, links in MENU.findall(page)
    }


@override_settings(SITE_URL="https://events.example")
@pytest.mark.parametrize("count", [2, 40])
def test_each_starred_session_has_the_agenda_menu_without_a_query_each(
    client, workshop, people, count, django_assert_max_num_queries
):
    (reader,) = people(1)
    client.force_login(reader)
    items = _star(workshop, reader, count)
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(f"/events/{workshop.slug}/my-agenda/").content.decode()
    menus = _menus(page)
    assert list(menus) == [item.title for item in items]
    agenda = _menus(client.get(f"/events/{workshop.slug}/agenda/").content.decode())
    for item in items:
        links = menus[item.title]
        assert links == agenda[item.title]
        base = f"/events/{workshop.slug}/agenda/items/{item.uid}"
        assert [href for _, href in links] == [
            f"{base}/calendar/google/",
            f"{base}/calendar/outlook/",
            f"{base}/calendar/office365/",
            f"{base}.ics",
        ]
        direct = add_to_calendar(workshop, item)["links"]
        assert [label for label, _ in links] == [link.label for link in direct]
        # Each short link sends the reader to the calendar site's link for this session.
        targets = [client.get(href) for _, href in links[:3]]
        assert [(r.status_code, r["Location"]) for r in targets] == [(302, link.url) for link in direct[:3]]
        assert f"%23item-{item.uid}&" in targets[0]["Location"]  # the details link to the session on the agenda
        assert direct[3].url == f"https://events.example{base}.ics"
    assert page.count('rel="nofollow">') == 4 * count
