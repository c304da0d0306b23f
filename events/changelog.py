"""What changed between two agenda versions, computed from item snapshots.

A snapshot is a plain dict per item (see ``snapshot_of``), so the same code
compares the draft with the latest version and any two versions with each other.
"""

from datetime import UTC

WHEN_AND_WHERE = ("starts_at", "ends_at", "room")
CONTENT = ("title", "kind", "description", "speakers")


def snapshot_of(item, speakers):
    return {
        "uid": str(item.uid),
        "title": item.title,
        "kind": item.kind,
        "starts_at": item.starts_at.astimezone(UTC).isoformat(),
        "ends_at": item.ends_at.astimezone(UTC).isoformat(),
        "room": item.room,
        "description": item.description,
        "speakers": speakers,
    }


def _brief(snapshot):
    return {key: snapshot[key] for key in ("title", "starts_at", "ends_at", "room")}


def compute(previous, current):
    """Entries of kind added / moved / changed / removed, in time order.

    "moved" means the time or room changed (whatever else changed with it);
    "changed" means only content (title, kind, description, speakers) did.
    """
    before = {item["uid"]: item for item in previous}
    after = {item["uid"]: item for item in current}
    entries = []
    for uid, new in after.items():
        old = before.get(uid)
        if old is None:
            entries.append({"change": "added", "uid": uid, "title": new["title"], "after": _brief(new)})
            continue
        fields = [key for key in WHEN_AND_WHERE + CONTENT if old[key] != new[key]]
        if not fields:
            continue
        change = "moved" if any(key in WHEN_AND_WHERE for key in fields) else "changed"
        entries.append(
            {
                "change": change,
                "uid": uid,
                "title": new["title"],
                "fields": fields,
                "before": _brief(old),
                "after": _brief(new),
            }
        )
    for uid, old in before.items():
        if uid not in after:
            entries.append({"change": "removed", "uid": uid, "title": old["title"], "before": _brief(old)})
    entries.sort(key=lambda entry: ((entry.get("after") or entry["before"])["starts_at"], entry["title"]))
    return entries
