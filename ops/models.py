from django.db import models


class Heartbeat(models.Model):
    """Written by a periodic task that beat schedules and a worker runs, so a
    fresh row proves both are alive (a queue with no consumer stays silent)."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
