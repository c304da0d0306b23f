"""The desk's Delegations page of a plenary with 21 member economies × 10
nominations (and their focal points, quotas and letters), served by
gunicorn (2 workers) on loopback beside the trivial view in the same run;
the focal point's page of one economy; and the query count of both pages at
2 × 1 and 21 × 10 nominations.

    .venv/bin/python bench/delegations.py [--seconds 5]

Targets (issue 15, item 11): query counts constant with economies ×
nominations (also asserted in tests/delegations/test_nominations.py); times
printed beside the trivial view. Exits 1 when a page's query count differs
between the two sizes (never because of a wall-clock figure).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_env, gunicorn, manage, measure, print_with_baseline, run_in_django, workdir

ECONOMIES, PER_ECONOMY = 21, 10
SMALL_ECONOMIES, SMALL_PER_ECONOMY = 2, 1

# Two plenaries, each with ``economies`` focal points and ``per`` nominations
# per economy in every state, an own quota for every other economy and a
# letter for every third; one owner of both, and Chile's focal point, each
# signed in by a session made here.
SETUP = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from delegations.models import EconomyQuota, FocalPoint, Nomination, NominationLetter
from delegations.participant_list import MEMBER_ECONOMIES
from demo.bench_data import make_synthetic
from events.models import Event, EventRole
from registrations.models import ParticipantProfile, Registration

User = get_user_model()
owner = User.objects.create_user("owner@delegationbench.example", "not-used")
ParticipantProfile.objects.create(user=owner, full_name="Bench Owner", economy="MY")
password = make_password(None)
result = {}
for key, economies, per in (("large", ECONOMIES, PER_ECONOMY), ("small", SMALL_ECONOMIES, SMALL_PER_ECONOMY)):
    (event,) = make_synthetic(1, 0, 0, prefix=f"delegationbench-{key}")
    Event.objects.filter(pk=event.pk).update(kind=Event.Kind.IPEG_MEETING)
    EventRole.objects.create(event=event, user=owner, role=EventRole.Role.OWNER)
    chosen = MEMBER_ECONOMIES[:economies]
    people = User.objects.bulk_create(
        User(email=f"{key}-{index}-{n}@delegationbench.example", password=password)
        for index in range(economies) for n in range(per + 1)
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(user=user, full_name=f"Delegate {user.pk}", economy="CL") for user in people
    )
    now = timezone.now()
    for index, economy in enumerate(chosen):
        members = people[index * (per + 1) : (index + 1) * (per + 1)]
        FocalPoint.objects.create(user=members[0], economy=economy, event=event, appointed_by=owner)
        if index % 2:
            EconomyQuota.objects.create(event=event, economy=economy, quota=per + 2)
        if index % 3 == 0:
            letter = NominationLetter(event=event, economy=economy, size=40, uploaded_by=members[0])
            letter.file.save(f"{event.slug}-{economy}.pdf", ContentFile(b"%PDF-1.4\\n%%EOF\\n"), save=False)
            letter.save()
        registrations = Registration.objects.bulk_create(
            Registration(event=event, user=person, economy=economy, queued_at=now, status="pending",
                         participation_type="head_of_delegation" if n == 0 else "delegate")
            for n, person in enumerate(members[1:])
        )
        Nomination.objects.bulk_create(
            Nomination(event=event, economy=economy, registration=registration, nominated_by=members[0],
                       state=Nomination.State.values[n % 4])
            for n, registration in enumerate(registrations)
        )
    result[key] = {"slug": event.slug, "focal_point": people[0].email, "economy": chosen[0].value}
for who, email in (("owner", owner.email), ("focal_point", result["large"]["focal_point"])):
    client = Client()
    client.force_login(User.objects.get(email=email))
    result[f"{who}_cookie"] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
print(json.dumps(result))
"""

# Both pages in-process at both sizes, their queries counted.
QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model

SETUP_RESULT = SETUP_JSON
result = {}
for key in ("large", "small"):
    data = SETUP_RESULT[key]
    for label, email, path in (
        ("desk", "owner@delegationbench.example", f"/desk/events/{data['slug']}/delegations/"),
        ("focal point", data["focal_point"], f"/delegations/{data['slug']}/{data['economy']}/"),
    ):
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(email=email))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        result[f"{label}, {key}"] = len(queries)
print(json.dumps(result))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per target")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    with workdir() as work:
        env = bench_env(work)
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        sizes = (
            f"ECONOMIES, PER_ECONOMY = {ECONOMIES}, {PER_ECONOMY}\n"
            f"SMALL_ECONOMIES, SMALL_PER_ECONOMY = {SMALL_ECONOMIES}, {SMALL_PER_ECONOMY}\n"
        )
        script = sizes + SETUP
        setup = run_in_django(env, script)
        print(f"data ready in {time.monotonic() - started:.1f}s (SQLite, DEBUG off, {os.cpu_count()} cores)")
        queries = run_in_django(env, QUERIES.replace("SETUP_JSON", repr(setup)))

        large = setup["large"]
        desk = f"/desk/events/{large['slug']}/delegations/"
        focal = f"/delegations/{large['slug']}/{large['economy']}/"
        with gunicorn(env) as port:
            run = {"seconds": args.seconds, "concurrency": args.concurrency}
            trivial = measure(port, "/bench/trivial", **run)
            rows = [
                ("trivial view (200 fixed bytes)", trivial, None),
                (
                    f"desk Delegations, {ECONOMIES} × {PER_ECONOMY}",
                    measure(port, desk, headers={"Cookie": setup["owner_cookie"]}, **run),
                    None,
                ),
                (
                    f"focal point's delegation, {PER_ECONOMY}",
                    measure(port, focal, headers={"Cookie": setup["focal_point_cookie"]}, **run),
                    None,
                ),
            ]
            trivial_again = measure(port, "/bench/trivial", **run)

    print_with_baseline(
        f"Delegation pages under gunicorn, {args.concurrency} concurrent clients, {args.seconds:g}s each",
        rows,
        trivial,
        trivial_again,
    )
    print(f"\nQueries per page at {SMALL_ECONOMIES} × {SMALL_PER_ECONOMY} and {ECONOMIES} × {PER_ECONOMY} nominations:")
    for label, count in queries.items():
        print(f"  {label:>20}: {count}")
    constant = all(queries[f"{page}, large"] == queries[f"{page}, small"] for page in ("desk", "focal point"))
    print(f"  constant: {'yes' if constant else 'NO'}")
    if not constant:
        sys.exit(1)


if __name__ == "__main__":
    main()
