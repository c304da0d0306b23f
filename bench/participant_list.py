"""The official List of Participants of a plenary of 500 people (21 member
economies' delegations, speakers, guests and the APEC Secretariat): the desk
page served by gunicorn (2 workers) beside the trivial view in the same run,
the provisional PDF and Word files once stored, the time to build the list
and to print it (PDF, Word) in-process, and the desk page's query count at
20 and 500 people.

    .venv/bin/python bench/participant_list.py [--seconds 5] [--rounds 3]

Targets (issue 15, item 11): query counts constant with people (also asserted
in tests/delegations/test_participant_list.py); times printed beside the
trivial view. Exits 1 when the query count differs between the two sizes
(never because of a wall-clock figure).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_env, gunicorn, manage, measure, print_with_baseline, run_in_django, workdir

LARGE, SMALL = 500, 20

# Two plenaries of ``people`` seated registrations: mostly delegations of the
# 21 economies (one head each), then speakers, guests and the Secretariat;
# every third person agreed to show their e-mail address. One owner of both,
# signed in by a session made here.
SETUP = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from delegations.participant_list import MEMBER_ECONOMIES
from demo.bench_data import make_synthetic
from events.models import Event, EventRole
from registrations.models import ParticipantProfile, Registration

User = get_user_model()
owner = User.objects.create_user("owner@listbench.example", "not-used")
ParticipantProfile.objects.create(user=owner, full_name="Bench Owner", economy="MY")
password = make_password(None)
result = {}
for key, size in (("large", LARGE), ("small", SMALL)):
    (event,) = make_synthetic(1, 0, 0, prefix=f"listbench-{key}")
    Event.objects.filter(pk=event.pk).update(kind=Event.Kind.IPEG_MEETING)
    EventRole.objects.create(event=event, user=owner, role=EventRole.Role.OWNER)
    people = User.objects.bulk_create(
        User(email=f"{key}-{n}@listbench.example", password=password) for n in range(size)
    )
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(user=user, full_name=f"Participant {n:04d}", title="Dr" if n % 5 == 0 else "",
                           job_title="Director" if n % 2 else "", economy="CL")
        for n, user in enumerate(people)
    )
    now = timezone.now()

    def kind_of(n):
        if n % 25 == 24:
            return "secretariat", "XX", "APEC Secretariat"
        if n % 25 == 23:
            return "guest", "XX", f"Organisation {n % 4}"
        if n % 25 == 22:
            return "speaker", MEMBER_ECONOMIES[n % 21].value, "A speaker's office"
        economy = MEMBER_ECONOMIES[n % 21].value
        return ("head_of_delegation" if n < 21 else "delegate"), economy, f"IP office of {economy}"

    rows = []
    for n, person in enumerate(people):
        kind, economy, organisation = kind_of(n)
        rows.append(Registration(event=event, user=person, status="confirmed", queued_at=now, participation_type=kind,
                                 economy=economy, organisation=organisation, email_in_participant_list=n % 3 == 0))
    Registration.objects.bulk_create(rows)
    result[key] = event.slug
client = Client()
client.force_login(owner)
result["cookie"] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
print(json.dumps(result))
"""

# In-process: the desk page's queries at both sizes, and the medians of
# building the list and printing it as PDF and Word at the large size.
IN_PROCESS = """
import json, statistics, time
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from delegations import participant_list
from events import rendered_lists
from events.models import Event, RenderedList

SETUP_RESULT = SETUP_JSON
result = {"queries": {}, "ms": {}}
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(email="owner@listbench.example"))
for key in ("small", "large"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/desk/events/{SETUP_RESULT[key]}/list-of-participants/")
    assert response.status_code == 200, response.status_code
    result["queries"][key] = len(queries)
event = Event.objects.select_related("venue").get(slug=SETUP_RESULT["large"])

def median_ms(work):
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)

listed = participant_list.sections(event)
result["people"] = participant_list.head_count(listed)
result["ms"]["build the list (queries and sorting)"] = median_ms(lambda: participant_list.sections(event))
result["ms"]["print the PDF (WeasyPrint)"] = median_ms(lambda: participant_list.render_list_pdf(event, listed))
result["ms"]["write the Word file (python-docx)"] = median_ms(lambda: participant_list.render_list_docx(event, listed))
# Store both provisional files as the worker would, so gunicorn serves them.
for file_format in ("pdf", "docx"):
    kind = f"list-of-participants-{file_format}"
    snapshot = rendered_lists.BUILDERS[kind](event)
    row, _ = RenderedList.objects.get_or_create(event=event, kind=kind, key=snapshot.key)
    rendered_lists.render_queued(row.pk)
print(json.dumps(result))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per target")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each in-process build")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    with workdir() as work:
        env = bench_env(work)
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        setup = run_in_django(env, f"LARGE, SMALL = {LARGE}, {SMALL}\n" + SETUP)
        print(f"data ready in {time.monotonic() - started:.1f}s (SQLite, DEBUG off, {os.cpu_count()} cores)")
        in_process = run_in_django(env, f"ROUNDS = {args.rounds}\n" + IN_PROCESS.replace("SETUP_JSON", repr(setup)))

        slug, cookie = setup["large"], {"Cookie": setup["cookie"]}
        with gunicorn(env) as port:
            run = {"seconds": args.seconds, "concurrency": args.concurrency}
            trivial = measure(port, "/bench/trivial", **run)
            rows = [
                ("trivial view (200 fixed bytes)", trivial, None),
                (
                    f"desk List of Participants page, {LARGE} people",
                    measure(port, f"/desk/events/{slug}/list-of-participants/", headers=cookie, **run),
                    None,
                ),
                # The first request prints and stores them; measured are the stored files.
                (
                    f"provisional PDF, {LARGE} people (stored)",
                    measure(port, f"/desk/events/{slug}/list-of-participants.pdf", headers=cookie, **run),
                    None,
                ),
                (
                    f"provisional Word file, {LARGE} people (stored)",
                    measure(port, f"/desk/events/{slug}/list-of-participants.docx", headers=cookie, **run),
                    None,
                ),
            ]
            trivial_again = measure(port, "/bench/trivial", **run)

    print_with_baseline(
        f"List of Participants under gunicorn, {args.concurrency} concurrent clients, {args.seconds:g}s each",
        rows,
        trivial,
        trivial_again,
    )
    print(f"\nIn-process at {in_process['people']} people, median of {args.rounds}:")
    for label, ms in in_process["ms"].items():
        print(f"  {label:>40}: {ms:8.1f} ms")
    queries = in_process["queries"]
    print(f"\nQueries of the desk page at {SMALL} and {LARGE} people: {queries['small']} and {queries['large']}")
    constant = queries["small"] == queries["large"]
    print(f"  constant: {'yes' if constant else 'NO'}")
    if not constant:
        sys.exit(1)


if __name__ == "__main__":
    main()
