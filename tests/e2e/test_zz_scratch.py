import pytest
from .test_participant_journey import KeyboardUser

pytestmark = [pytest.mark.django_db(transaction=True)]

def test_axe_message(page, steps, live_server):
    page.goto(live_server.url + "/")
    page.evaluate("() => { const i = document.createElement('img'); i.src='x.png'; document.querySelector('main').append(i); }")
    steps.record("broken")

def test_unreachable(page, steps, live_server):
    page.goto(live_server.url + "/")
    KeyboardUser(page).follow(page.get_by_role("heading", level=1))

def test_no_focus_ring(page, steps, live_server):
    page.goto(live_server.url + "/")
    page.add_style_tag(content="*:focus-visible, *:focus { outline: none !important; }")
    KeyboardUser(page).follow(page.get_by_role("link", name="Create account"))
