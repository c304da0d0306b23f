"""A participant's whole journey in a real browser: sign up, verify the e-mail
address, register for a workshop, open its add-to-calendar menu, star a
session and find it on "My agenda", cancel. Once with the mouse, once with the
keyboard alone; every page is screenshotted and checked with axe-core."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from events import services as event_services
from registrations.models import Registration, StarredItem

from ..factories import add_item, make_event, make_venue

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-passphrase-2031"

# Counts pointer presses in the page, so the keyboard journey can prove it never used one.
COUNT_POINTER_PRESSES = """
for (const type of ["pointerdown", "mousedown"]) {
  addEventListener(type, () => {
    sessionStorage.setItem("pointer-presses", String(Number(sessionStorage.getItem("pointer-presses") || 0) + 1));
  }, true);
}
"""

DESCRIBE = """el => {
  if (!el || el === document.body) return "(page)";
  const name = el.labels?.[0]?.textContent || el.getAttribute("aria-label") || el.textContent || el.value || "";
  return `${el.tagName.toLowerCase()}${el.name ? `[name=${el.name}]` : ""} "${name.trim().replace(/\\s+/g, " ").slice(0, 50)}"`;
}"""

FOCUS_IS_VISIBLE = """el => {
  const style = getComputedStyle(el);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
}"""


@dataclass
class Person:
    email: str
    full_name: str
    economy: str


class MouseUser:
    """Points and clicks."""

    def __init__(self, page):
        self.page = page

    def follow(self, link):
        link.click()

    def press(self, button):
        button.click()

    def type_into(self, field, text):
        field.fill(text)

    def choose(self, radio):
        radio.check()

    def check(self, checkbox):
        checkbox.check()

    def select(self, field, option):
        field.select_option(label=option)


class KeyboardUser:
    """Reaches every control with Tab and works it with the keys a keyboard-only
    user has; never the mouse, never a script that sets values."""

    # A backstop only: a page's Tab order ends when the focus comes round to where it started.
    MAX_TABS = 200

    def __init__(self, page):
        self.page = page
        self.keyboard = page.keyboard
        page.add_init_script(COUNT_POINTER_PRESSES)

    def focus(self, targets):
        """Press Tab until one of ``targets`` has the focus, which must be visible."""
        targets.first.wait_for()
        wanted = targets.first.evaluate(DESCRIBE)
        path, first = [], None
        for _ in range(self.MAX_TABS):
            if targets.evaluate_all("els => els.includes(document.activeElement)"):
                shown = self.page.locator(":focus").evaluate(FOCUS_IS_VISIBLE)
                assert shown, f"{wanted} has the keyboard focus on {self.page.url} but shows no focus indicator."
                return
            self.keyboard.press("Tab")
            path.append(self.page.evaluate(f"() => ({DESCRIBE})(document.activeElement)"))
            if first is None:
                first = self.page.evaluate_handle("() => document.activeElement")
            elif self.page.evaluate("first => document.activeElement === first", first):
                break
        pytest.fail(f"Tab never reaches {wanted} on {self.page.url}; the focus went {' → '.join(path)}")

    def follow(self, link):
        self.focus(link)
        self.keyboard.press("Enter")

    def press(self, button):
        self.focus(button)
        self.keyboard.press("Enter")

    def type_into(self, field, text):
        self.focus(field)
        self.keyboard.press("ControlOrMeta+A")
        self.keyboard.type(text)

    def choose(self, radio):
        # Tab enters a radio group once, on its checked button; arrows move within it.
        group = self.page.locator(f'input[type="radio"][name="{radio.get_attribute("name")}"]')
        self.focus(group)
        for _ in range(group.count()):
            if radio.evaluate("el => el === document.activeElement"):
                break
            self.keyboard.press("ArrowDown")
        self.keyboard.press("Space")
        expect(radio).to_be_checked()

    def check(self, checkbox):
        self.focus(checkbox)
        if not checkbox.is_checked():
            self.keyboard.press("Space")
        expect(checkbox).to_be_checked()

    def select(self, field, option):
        self.focus(field)
        options = [text.strip() for text in field.locator("option").all_text_contents()]
        wanted = options.index(option)
        for _ in range(len(options)):
            current = field.evaluate("el => el.selectedIndex")
            if current == wanted:
                break
            self.keyboard.press("ArrowDown" if current < wanted else "ArrowUp")
        expect(field).to_have_value(field.locator("option").nth(wanted).get_attribute("value"))

    def pointer_presses(self):
        return int(self.page.evaluate("() => sessionStorage.getItem('pointer-presses') || 0"))


def labelled(page, label):
    # Django and allauth end labels with a colon.
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def heading(page):
    return page.get_by_role("heading", level=1)


def verification_path(email):
    messages = [message for message in mail.outbox if email in message.to]
    assert messages, f"No e-mail was sent to {email}; the outbox holds {[m.subject for m in mail.outbox]}"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", messages[-1].body)
    assert link, f"The verification e-mail has no confirmation link:\n{messages[-1].body}"
    # The link names whatever host the mail was built for; the live server has its own.
    return urlsplit(link.group(0)).path


def status_in_my_registrations(page, title):
    """The status in the "Status" column of the row of the event titled ``title``
    (its first line: a reason may follow below it)."""
    return page.evaluate(
        """title => {
          const table = document.querySelector("main table");
          const column = [...table.tHead.rows[0].cells].findIndex(cell => cell.textContent.trim() === "Status");
          const row = [...table.tBodies[0].rows].find(row => row.cells[0].textContent.trim() === title);
          return row ? row.cells[column].innerText.trim().split("\\n")[0] : null;
        }""",
        title,
    )


SESSION = "Design protection in ASEAN economies"


def open_workshop():
    local_day = timezone.now().date() + timedelta(days=45)
    venue = make_venue(zone="Asia/Kuala_Lumpur", city="Penang")
    starts = datetime.combine(local_day, time(9, 0), tzinfo=ZoneInfo(venue.timezone))
    event = make_event(
        "industrial-design-workshop-penang",
        title="Industrial Design Workshop, Penang",
        venue=venue,
        starts_at=starts,
        capacity=10,
    )
    add_item(event, "Opening", starts)
    add_item(event, SESSION, starts + timedelta(minutes=30), minutes=45)
    event_services.publish_agenda(event, actor=None, note="Programme")
    return event


def star_a_session_and_add_the_event_to_a_calendar(page, user, steps, event):
    """From "My registrations": a star on the agenda, the starred session on
    the "My agenda" tab, the event's add-to-calendar menu (issue 13, item 10)."""
    tabs = page.get_by_role("navigation", name="This event")
    user.follow(page.get_by_role("main").get_by_role("link", name=f"Agenda of {event.title}"))
    expect(heading(page)).to_have_text("Agenda")
    star = page.get_by_role("button", name=f"On my agenda: {SESSION}")
    expect(star).to_have_attribute("aria-pressed", "false")
    user.press(star)
    expect(page.get_by_role("button", name=f"On my agenda: {SESSION}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="On my agenda: Opening")).to_have_attribute("aria-pressed", "false")
    steps.record("session-starred")
    starred = StarredItem.objects.filter(event=event).values_list("item_uid", flat=True)
    assert list(starred) == [event.draft_items.get(title=SESSION).uid]

    user.follow(tabs.get_by_role("link", name="My agenda", exact=True))
    expect(heading(page)).to_have_text(f"My agenda: {event.title}")
    expect(page.get_by_role("main")).to_contain_text(SESSION)
    expect(page.get_by_role("main")).not_to_contain_text("Opening")
    steps.record("my-agenda")

    user.follow(tabs.get_by_role("link", name="Event", exact=True))
    expect(heading(page)).to_have_text(event.title)
    menu = page.locator("main details.add-to-calendar").first
    user.press(menu.locator("summary"))
    for service in ("Google Calendar", "Outlook.com", "Microsoft 365 (work or school)"):
        expect(menu.get_by_role("link", name=service, exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name=re.compile(r"^Apple Calendar"))).to_be_visible()
    steps.record("add-to-calendar")
    user.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My registrations"))
    expect(heading(page)).to_have_text("My registrations")


def sign_up_register_and_cancel(page, user, steps, base_url, person):
    event = open_workshop()
    nav = page.get_by_role("navigation", name="Main")

    page.goto(f"{base_url}/")
    expect(heading(page)).to_contain_text("Meetings and workshops")
    steps.record("home")

    user.follow(nav.get_by_role("link", name="Create account"))
    expect(heading(page)).to_have_text("Sign Up")
    steps.record("sign-up")
    user.type_into(labelled(page, "Email"), person.email)
    user.type_into(labelled(page, "Full name"), person.full_name)
    user.select(labelled(page, "Member economy"), person.economy)
    user.type_into(labelled(page, "Password"), PASSWORD)
    user.type_into(labelled(page, "Password (again)"), PASSWORD)
    steps.record("sign-up-filled")
    user.press(page.get_by_role("button", name="Sign Up"))
    expect(heading(page)).to_have_text("Verify Your Email Address")
    steps.record("verification-sent")

    # The participant pastes the link from the e-mail.
    page.goto(base_url + verification_path(person.email))
    expect(heading(page)).to_have_text("Confirm Email Address")
    steps.record("confirm-email")
    user.press(page.get_by_role("button", name="Confirm"))
    expect(page).not_to_have_url(re.compile(r"/confirm-email/"))
    if not nav.get_by_role("button", name="Sign out").count():
        user.follow(nav.get_by_role("link", name="Sign in"))
        expect(heading(page)).to_have_text("Sign In")
        user.type_into(labelled(page, "Email"), person.email)
        user.type_into(labelled(page, "Password"), PASSWORD)
        user.press(page.get_by_role("button", name="Sign In"))
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    steps.record("signed-in")

    user.follow(nav.get_by_role("link", name="Events", exact=True))
    expect(heading(page)).to_have_text("Events")
    steps.record("events")
    user.follow(page.get_by_role("main").get_by_role("link", name=event.title))
    expect(heading(page)).to_have_text(event.title)
    steps.record("event")
    user.follow(page.get_by_role("link", name="Register", exact=True))
    expect(heading(page)).to_have_text(f"Register for {event.title}")
    steps.record("registration-form")
    user.choose(page.get_by_role("radio", name="Head of delegation"))
    user.select(labelled(page, "Member economy"), person.economy)
    user.type_into(labelled(page, "Dietary needs"), "Vegetarian")
    user.check(page.get_by_role("checkbox", name=re.compile(r"^I agree that the organisers process")))
    steps.record("registration-filled")
    user.press(page.get_by_role("button", name="Register", exact=True))

    expect(heading(page)).to_have_text("My registrations")
    expect(page.get_by_role("status")).to_contain_text("your seat is confirmed")
    assert status_in_my_registrations(page, event.title) == "Confirmed"
    steps.record("registered")
    assert any(
        person.email in message.to and message.subject.startswith("Registration confirmed") for message in mail.outbox
    ), f"No confirmation e-mail; the outbox holds {[m.subject for m in mail.outbox]}"

    star_a_session_and_add_the_event_to_a_calendar(page, user, steps, event)

    user.follow(page.get_by_role("link", name=f"Cancel registration for {event.title}"))
    expect(heading(page)).to_have_text(f"Cancel your registration for “{event.title}”?")
    steps.record("cancel")
    user.press(page.get_by_role("button", name="Yes, cancel my registration"))
    expect(heading(page)).to_have_text("My registrations")
    expect(page.get_by_role("status")).to_contain_text("is cancelled")
    assert status_in_my_registrations(page, event.title) == "Cancelled"
    steps.record("cancelled")

    registration = Registration.objects.get(event=event, user__email=person.email)
    assert registration.status == Registration.Status.CANCELLED
    assert registration.participation_type == Registration.ParticipationType.HEAD_OF_DELEGATION
    assert registration.dietary_needs == "Vegetarian"


def test_sign_up_register_and_cancel(page, steps, live_server):
    person = Person("maria.santos@ipophil.example", "Maria Santos", "New Zealand")
    sign_up_register_and_cancel(page, MouseUser(page), steps, live_server.url, person)


def test_sign_up_register_and_cancel_with_the_keyboard_alone(page, steps, live_server):
    person = Person("aroha.ngata@iponz.example", "Aroha Ngata", "New Zealand")
    user = KeyboardUser(page)
    sign_up_register_and_cancel(page, user, steps, live_server.url, person)
    assert user.pointer_presses() == 0
