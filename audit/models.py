from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .actions import label


class AppendOnly(Exception):
    """Raised on any attempt to change or remove a log entry."""


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Log entries are never changed.")

    def delete(self):
        raise AppendOnly("Log entries are never deleted.")

    def of_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class LogEntry(models.Model):
    """One state change: who (``actor``; None is the system: beat, commands,
    the erasure), when (``at``, UTC), what (``action``, a dotted code), on
    which event and object, the changed fields' values before and after, and
    the reason given. Rows are only ever added."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who it was when it happened, kept when the account is renamed or removed.
    actor_label = models.CharField(max_length=400)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=64)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    # What the object was called then (a registration: the person's name).
    object_label = models.CharField(max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "log entry"
        verbose_name_plural = "log entries"
        indexes = [
            models.Index(fields=["event", "-at", "-id"], name="audit_event_at"),
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} UTC {self.actor_label}: {self.action} {self.object_label}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Log entries are never changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Log entries are never deleted.")

    @property
    def action_label(self):
        return label(self.action)

    @property
    def changes(self):
        """[(field, before, after)] for every field recorded, in a stable order."""
        before, after = self.before or {}, self.after or {}
        fields = [*before, *(key for key in after if key not in before)]
        return [(field, before.get(field), after.get(field)) for field in fields]
