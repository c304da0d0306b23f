from django.conf import settings
from django.db import models

from events.models import Event, MeetingDocument


class FinalParticipantList(models.Model):
    """The final List of Participants of an event: frozen when an organiser
    makes it final (``content`` holds the list exactly as it stood), then
    printed by the worker and numbered as a meeting document. Later changes
    to registrations never change it; the provisional list goes on showing
    them."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="final_participant_list")
    content = models.JSONField()
    finalised_at = models.DateTimeField()
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The PDF, numbered the APEC way, among the event's meeting documents.
    document = models.OneToOneField(
        MeetingDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="final_participant_list"
    )
    docx = models.FileField(upload_to="lists/", blank=True)
    # When it was last handed to the worker: one still unprinted long after is handed over again.
    handed_off_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"Final List of Participants of {self.event}"

    @property
    def printed(self):
        return self.document_id is not None and bool(self.docx)
