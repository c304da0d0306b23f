from django.conf import settings
from django.db import models

from events.models import Event
from registrations.models import Registration


class SessionMeetingLink(models.Model):
    """A session's own online meeting, where it differs from the event's
    (``Event.remote_meeting_url``). Sessions are named by their agenda item's
    uid, which stays the same across published versions."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="session_meeting_links")
    item_uid = models.UUIDField()
    url = models.URLField("online meeting link", max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "item_uid"], name="one_meeting_link_per_session")]

    def __str__(self):
        return f"{self.event} {self.item_uid}"


class AttendanceMark(models.Model):
    """One person present in one session, once: the unique constraint makes a
    second scan, code or click a no-op whatever the race."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        REMOTE = "remote", "Remote"

    class Source(models.TextChoices):
        DOOR_SCAN = "door_scan", "Scanned at the room door"
        ROOM_CODE = "room_code", "Room code entered by the participant"
        JOIN_LINK = "join_link", "Personal join link followed"
        DESK = "desk", "Marked by an organiser"

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance_marks")
    item_uid = models.UUIDField()
    mode = models.CharField(max_length=10, choices=Mode.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    marked_at = models.DateTimeField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "item_uid"], name="one_mark_per_person_and_session")
        ]
        indexes = [models.Index(fields=["item_uid", "mode"])]

    def __str__(self):
        return f"{self.registration_id} in {self.item_uid} ({self.mode})"
