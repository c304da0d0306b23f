import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events import services
from events.models import Speaker

from ..factories import add_item, make_event, make_user, make_venue

ROOT = Path(__file__).resolve().parents[2]
PARSER = Path(__file__).with_name("parse_ics.mjs")
AUCKLAND = ZoneInfo("Pacific/Auckland")
KUALA_LUMPUR = ZoneInfo("Asia/Kuala_Lumpur")


@pytest.fixture
def nz_event(db, organiser, auckland):
    """Across the end of New Zealand daylight saving (6 April 2031, 03:00)."""
    event = make_event(
        "nz-dst-workshop",
        title="Workshop on Designs; Hague, TRIPS — Māori design, 知识产权",
        venue=auckland,
        starts_at=datetime(2031, 4, 5, 9, 0, tzinfo=AUCKLAND),
        ends_at=datetime(2031, 4, 7, 17, 0, tzinfo=AUCKLAND),
        organisers=[organiser],
        project_code="IPEG 02 2020S",
        description="**Bold** text, with commas; semicolons\\ and a very long line " + "ā" * 200,
    )
    speaker = Speaker.objects.create(title="Ms", name="Aiko Tanaka", organisation="WIPO, Geneva", economy="XX")
    first = add_item(event, "Saturday opening", datetime(2031, 4, 5, 9, 0), room="Room 1, Level 2")
    first.speakers.add(speaker)
    add_item(event, "Monday session", datetime(2031, 4, 7, 9, 0), room="Room 2")
    add_item(event, "To be dropped", datetime(2031, 4, 7, 11, 0))
    services.publish_agenda(event, actor=organiser)
    event.refresh_from_db()
    return event


@pytest.fixture
def kl_event(db, organiser):
    return make_event(
        "kl-plenary",
        venue=make_venue("Asia/Kuala_Lumpur"),
        starts_at=datetime(2031, 2, 17, 9, 0, tzinfo=KUALA_LUMPUR),
        ends_at=datetime(2031, 2, 18, 16, 30, tzinfo=KUALA_LUMPUR),
        organisers=[organiser],
    )


@pytest.fixture
def all_day_event(db, organiser):
    return make_event(
        "all-day-survey-week",
        venue=make_venue("Asia/Kuala_Lumpur", "Penang"),
        starts_at=datetime(2031, 6, 2, 0, 0, tzinfo=KUALA_LUMPUR),
        ends_at=datetime(2031, 6, 4, 0, 0, tzinfo=KUALA_LUMPUR),
        organisers=[organiser],
    )


@pytest.fixture
def past_event(db, organiser):
    now = timezone.now()
    return make_event("long-ago", starts_at=now - timedelta(days=800), ends_at=now - timedelta(days=799))


@pytest.fixture
def subscriber(db):
    return make_user("subscriber@example.org", full_name="Tama Ngata")


@pytest.fixture
def ical_js():
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").exists():
        message = "node and node_modules/ical.js are needed (make test installs them with npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    def parse(tmp_path, **feeds):
        paths = []
        for name, body in feeds.items():
            path = tmp_path / f"{name}.ics"
            path.write_bytes(body)
            paths.append(str(path))
        result = subprocess.run([node, str(PARSER), *paths], capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        parsed = json.loads(result.stdout)
        return {Path(path).stem: parsed[path] for path in paths}

    return parse
