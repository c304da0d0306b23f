"""The append-only audit log: who changed what, when, from which values to
which. Services call ``audit.record`` inside their transaction; nothing else
writes it."""


def record(actor, action, *, event, obj=None, before=None, after=None, reason="", label=None):
    """Append one entry (see audit.log.record)."""
    from .log import record as _record

    return _record(actor, action, event=event, obj=obj, before=before, after=after, reason=reason, label=label)


def entry(actor, action, *, event, obj=None, before=None, after=None, reason="", label=None):
    """One unsaved entry, for ``record_many`` (see audit.log.entry)."""
    from .log import entry as _entry

    return _entry(actor, action, event=event, obj=obj, before=before, after=after, reason=reason, label=label)


def record_many(entries):
    """Append entries made with ``entry`` in one insert."""
    from .log import record_many as _record_many

    return _record_many(entries)
