from datetime import datetime, timedelta

import pytest

from events import services
from events.models import AgendaItem, Speaker

from ..factories import add_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(event, organiser):
    add_item(event, "Opening", datetime(2031, 3, 3, 9, 0), kind="opening", room="Room 1")
    add_item(event, "Design law today", datetime(2031, 3, 3, 9, 30), room="Room 1")
    add_item(event, "Hague System", datetime(2031, 3, 3, 11, 0), room="Room 2")
    services.publish_agenda(event, actor=organiser, note="Provisional")
    event.refresh_from_db()
    return event


def test_first_publication_freezes_version_one_with_every_item(published):
    version = published.current_version
    assert version.number == 1
    assert version.note == "Provisional"
    assert [item.title for item in version.items.all()] == ["Opening", "Design law today", "Hague System"]
    assert version.changelog == []


def test_second_version_records_added_moved_changed_and_removed(published, organiser):
    event = published
    AgendaItem.objects.filter(title="Opening").update(title="Opening remarks")
    hague = AgendaItem.objects.get(title="Hague System")
    hague.starts_at += timedelta(hours=2)
    hague.ends_at += timedelta(hours=2)
    hague.save()
    AgendaItem.objects.filter(title="Design law today").delete()
    add_item(event, "Panel: GUI designs", datetime(2031, 3, 4, 10, 0), kind="panel")

    version = services.publish_agenda(event, actor=organiser)

    assert version.number == 2
    changes = {(entry["change"], entry["title"]) for entry in version.changelog}
    assert changes == {
        ("changed", "Opening remarks"),
        ("removed", "Design law today"),
        ("moved", "Hague System"),
        ("added", "Panel: GUI designs"),
    }
    moved = next(entry for entry in version.changelog if entry["change"] == "moved")
    assert moved["before"]["starts_at"] == "2031-03-02T22:00:00+00:00"  # 11:00 NZDT
    assert moved["after"]["starts_at"] == "2031-03-03T00:00:00+00:00"  # 13:00 NZDT
    changed = next(entry for entry in version.changelog if entry["change"] == "changed")
    assert changed["fields"] == ["title"]


def test_a_speaker_change_is_listed_as_changed(published, organiser):
    speaker = Speaker.objects.create(name="Aiko Tanaka", organisation="WIPO", economy="XX")
    AgendaItem.objects.get(title="Hague System").speakers.add(speaker)
    version = services.publish_agenda(published, actor=organiser)
    assert version.changelog[0]["change"] == "changed"
    assert version.changelog[0]["fields"] == ["speakers"]


def test_publishing_an_unchanged_draft_is_refused(published, organiser):
    with pytest.raises(services.NothingToPublish, match="Nothing has changed since version 1"):
        services.publish_agenda(published, actor=organiser)
    assert published.agenda_versions.count() == 1


def test_publishing_an_empty_draft_is_refused(event, organiser):
    with pytest.raises(services.NothingToPublish, match="no sessions yet"):
        services.publish_agenda(event, actor=organiser)


def test_draft_edits_stay_invisible_until_published(client, published):
    AgendaItem.objects.filter(title="Opening").update(title="Secret new title")
    page = client.get(f"/events/{published.slug}/agenda/").content.decode()
    assert "Opening" in page and "Secret new title" not in page
    assert "Version 1, published" in page


def test_public_agenda_shows_latest_version_and_its_changelog(client, published, organiser):
    AgendaItem.objects.filter(title="Design law today").delete()
    services.publish_agenda(published, actor=organiser, note="One session dropped.")
    page = client.get(f"/events/{published.slug}/agenda/").content.decode()
    assert "Version 2, published" in page
    assert "Removed:</strong> Design law today (was Mon 03 Mar 09:30)" in page
    assert "One session dropped." in page
    old = client.get(f"/events/{published.slug}/agenda/versions/1/").content.decode()
    assert "Design law today" in old and "This is an earlier version." in old
    history = client.get(f"/events/{published.slug}/agenda/versions/").content.decode()
    assert "Version 2" in history and "Version 1" in history


def test_unknown_version_number_is_a_404(client, published):
    assert client.get(f"/events/{published.slug}/agenda/versions/9/").status_code == 404


def test_published_descriptions_are_rendered_once_and_sanitised(event, organiser, client):
    add_item(
        event,
        "Talk",
        datetime(2031, 3, 3, 9, 0),
        description="**Bold** <script>alert(1)</script> [x](javascript:alert(2))",
    )
    version = services.publish_agenda(event, actor=organiser)
    item = version.items.get()
    assert "<strong>Bold</strong>" in item.description_html
    assert "<script>" not in item.description_html and "javascript:" not in item.description_html
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert "alert(1)</script>" not in page
