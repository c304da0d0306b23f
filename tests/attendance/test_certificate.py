"""The certificate of attendance lists the sessions attended with their
times in the venue's zone and the share of the meeting's time; remote
participants, who never pass the door, earn one by following their links."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from attendance.models import AttendanceMark
from registrations.models import Registration

pytestmark = pytest.mark.django_db


def pdf_text(content, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed; make test installs it")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def marked(registration, item, mode):
    return AttendanceMark.objects.create(
        registration=registration, item_uid=item.uid, mode=mode, source="desk", marked_at=item.starts_at
    )


def certificate(client, registration):
    client.force_login(registration.user)
    return client.get(reverse("registrations:certificate", args=[registration.uid]))


def test_the_certificate_lists_the_sessions_attended_and_the_share_of_the_meeting(client, meeting, delegates, tmp_path):
    items = meeting.items
    Registration.objects.filter(pk=delegates.in_room.pk).update(status="attended", checked_in_at=meeting.now)
    marked(delegates.in_room, items["Earlier talk"], "in_person")
    marked(delegates.in_room, items["Later panel"], "remote")
    response = certificate(client, delegates.in_room)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Sessions attended" in text
    assert "Earlier talk" in text and "Later panel" in text
    assert "Opening" not in text and "Coffee break" not in text
    start = items["Earlier talk"].starts_at.astimezone(meeting.event.tz)
    offset = int(start.utcoffset().total_seconds() // 3600)
    assert f"{start:%H:%M}" in text and f"Auckland time (UTC+{offset})" in text
    # 60 + 90 of 60 + 60 + 60 + 90 session minutes (the break not counted).
    assert "Sessions attended: 2, 56% of the meeting's time." in text
    assert "In person" in text and "Remote" in text


def test_a_remote_participant_with_a_mark_gets_a_certificate_of_taking_part_online(
    client, meeting, delegates, tmp_path
):
    assert certificate(client, delegates.online).status_code == 404
    marked(delegates.online, meeting.items["Opening"], "remote")
    text = pdf_text(certificate(client, delegates.online).content, tmp_path)
    assert "Rangi Parata" in text and "took part online in" in text
    assert "Opening" in text and "Sessions attended: 1, 22% of the meeting's time." in text


def test_the_registration_page_links_the_certificate_once_something_is_recorded(client, meeting, delegates):
    client.force_login(delegates.online.user)
    url = reverse("registrations:detail", args=[delegates.online.uid])
    link = reverse("registrations:certificate", args=[delegates.online.uid])
    assert link not in client.get(url).content.decode()
    marked(delegates.online, meeting.items["Opening"], "remote")
    html = client.get(url).content.decode()
    assert link in html
    assert "You attended 1 session, 22% of the meeting" in html
