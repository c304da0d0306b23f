import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ipeg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from ops.heartbeats import WorkerHeartbeat  # noqa: E402 - needs the app configured first

app.steps["worker"].add(WorkerHeartbeat)
