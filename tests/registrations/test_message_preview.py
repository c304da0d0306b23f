"""Before a message goes out the organiser sees how many people it goes to,
the mail exactly as the first of them will get it, and can send that mail to
themselves as a test; none of that writes a message or a delivery row."""

import pytest
from django.core import mail

from events.models import Event
from registrations import services
from registrations.models import Delivery, OrganiserMessage

from ..factories import settled
from ..smtp_sink import start as start_sink

pytestmark = pytest.mark.django_db

BODY = "The bus leaves at 08:00.\n<b>Bring your badge</b> & <script>alert(1)</script>"


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def registered(workshop, people):
    """Three confirmed and one waitlisted participant, their confirmations sent."""
    Event.objects.filter(pk=workshop.pk).update(capacity=3)
    workshop.refresh_from_db()
    users = people(4)
    for user in users:
        settled(services.register, workshop, user)
    mail.outbox.clear()
    return users


def compose(**extra):
    return {"subject": "Shuttle <bus>", "body": BODY, "status": ["confirmed"], **extra}


def nothing_written():
    return not OrganiserMessage.objects.exists() and not Delivery.objects.filter(kind="organiser_message").exists()


def test_preview_shows_the_count_the_names_and_the_mail_built_for_the_first_recipient(desk, workshop, registered):
    url = f"/desk/events/{workshop.slug}/messages/"
    assert "Send to 3 people" in desk.get(url).content.decode()  # confirmed and attended, the form's default
    response = desk.post(url, compose(action="preview"))
    assert response.status_code == 200 and nothing_written() and not mail.outbox
    page = response.content.decode()
    assert "Preview: 3 people" in page and "To Delegate 0, Delegate 1, Delegate 2." in page
    assert "Send to 3 people" in page and 'name="expected" value="3"' in page
    # The subject and the text part as the worker builds them, escaped into the page.
    assert f"Shuttle &lt;bus&gt; [{workshop.title}]" in page
    assert "Dear Delegate 0," in page and "&lt;b&gt;Bring your badge&lt;/b&gt; &amp; &lt;script&gt;" in page
    assert "<script>alert" not in page and "<b>Bring" not in page
    assert "/unsubscribe/sample-link-not-active/" in page  # no working link for someone else's setting
    # The HTML part in a sandboxed frame, served with a policy of its own.
    frame_url = page.split('<iframe class="mail-html" sandbox src="')[1].split('"')[0]
    frame = desk.get(frame_url)
    html = frame.content.decode()
    assert "Dear Delegate 0," in html and "&lt;b&gt;Bring your badge&lt;/b&gt;" in html and "<script" not in html
    policy = frame["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "frame-ancestors 'self'" in policy
    assert "script-src" not in policy and frame["X-Frame-Options"] == "SAMEORIGIN"


def test_preview_of_filters_that_select_no_one(desk, workshop, registered):
    response = desk.post(f"/desk/events/{workshop.slug}/messages/", compose(action="preview", status=["attended"]))
    page = response.content.decode()
    assert "Preview: 0 people" in page and "No one matches these choices" in page and "<iframe" not in page
    assert "Send to 0 people</button>" in page and "data-send-button disabled" in page


def test_send_me_a_test_goes_to_the_organiser_alone_through_a_real_smtp_server(
    desk, workshop, registered, organiser, settings
):
    sink, controller = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        response = desk.post(f"/desk/events/{workshop.slug}/messages/", compose(action="test"))
    finally:
        controller.stop()
    assert f"A test of this mail was sent to {organiser.email}." in response.content.decode()
    (received,) = sink.parsed()
    assert received["To"] == organiser.email
    assert received["Subject"] == f"[Test] Shuttle <bus> [{workshop.title}]"
    assert received["List-Unsubscribe"] is None
    text = received.get_body(("plain",)).get_content()
    assert "Dear Delegate 0," in text and "<b>Bring your badge</b>" in text  # the text part is plain text
    assert "sample-link-not-active" in text
    html = received.get_body(("html",)).get_content()
    assert "&lt;b&gt;Bring your badge&lt;/b&gt;" in html
    assert nothing_written()  # not a message to participants: no message, no delivery row


def test_a_test_the_mail_server_refuses_is_reported_on_the_page(desk, workshop, registered, settings):
    from ..smtp_sink import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    response = desk.post(f"/desk/events/{workshop.slug}/messages/", compose(action="test"))
    page = response.content.decode()
    assert "The test could not be sent to organiser-a@example.org" in page and "Preview: 3 people" in page
    assert nothing_written()


def test_send_refuses_a_count_the_filters_no_longer_select(desk, workshop, registered):
    url = f"/desk/events/{workshop.slug}/messages/"
    response = desk.post(url, compose(action="send", expected="2"))
    assert response.status_code == 200 and nothing_written()
    assert "Nothing was sent: the filters now select 3 people, not 2." in response.content.decode()
    response = desk.post(url, compose(action="send", expected="3"))
    message = OrganiserMessage.objects.get()
    assert response["Location"] == f"{url}{message.pk}/" and message.recipients == 3


def test_the_live_count_answers_the_events_organisers_only(client, desk, workshop, registered, other_organiser):
    url = f"/desk/events/{workshop.slug}/messages/recipients/"
    assert desk.get(url, {"status": ["confirmed", "waitlisted"]}).json() == {"count": 4}
    assert desk.get(url, {"status": ["confirmed"], "type": ["speaker"]}).json() == {"count": 0}
    assert desk.get(url).json() == {"count": None, "error": "Tick at least one status."}
    client.force_login(other_organiser)
    assert client.get(url, {"status": ["confirmed"]}).status_code == 404
    client.logout()
    assert client.get(url, {"status": ["confirmed"]})["Location"].startswith("/accounts/login/")


def test_a_preview_frame_belongs_to_its_organisers_session(client, desk, workshop, registered, other_organiser):
    page = desk.post(f"/desk/events/{workshop.slug}/messages/", compose(action="preview")).content.decode()
    frame_url = page.split('<iframe class="mail-html" sandbox src="')[1].split('"')[0]
    client.force_login(other_organiser)
    assert client.get(frame_url).status_code == 404
    desk.logout()
    desk.force_login(registered[0])
    assert desk.get(frame_url).status_code == 404
