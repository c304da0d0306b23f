"""Handing work to Celery once the transaction commits, without letting a
broker outage fail the request that caused it.

Every piece of work queued this way is also recorded in the database (a
delivery row, a render claim, a document job) and swept up later by beat,
``send_due_reminders`` or the next reader, so a hand-off that fails loses
nothing: it only waits."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _hand_off(task, args):
    try:
        task.delay(*args)
    except (OperationalError, ConnectionError, TimeoutError):
        logger.warning("Broker unreachable: %s%r waits for the sweep", task.name, tuple(args))


def after_commit(task, *args):
    transaction.on_commit(lambda: _hand_off(task, args))
