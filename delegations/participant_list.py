"""The official List of Participants: member economies in APEC's order, each
Head of Delegation first and then the delegation; then speakers and experts;
then guests and observers (international organisations); then the APEC
Secretariat. Per person: name with title, position, organisation, and the
e-mail address only where the person agreed.

Built as plain data (``sections``) so that the provisional list, the frozen
final one, the PDF and the Word file all print the same thing."""

import io

from django.utils import timezone

from events import rendered_lists
from events.documents import render_pdf
from events.economies import Economy
from events.participation import ParticipationType
from registrations.models import Registration

MEMBER_ECONOMIES = [economy for economy in Economy if economy != Economy.OTHER]
DELEGATION_TYPES = {ParticipationType.DELEGATE, ParticipationType.HEAD_OF_DELEGATION}
GUEST_TYPES = {ParticipationType.OBSERVER, ParticipationType.GUEST}


def _person(registration):
    profile = getattr(registration.user, "profile", None)
    return {
        "title": profile.title if profile else "",
        "name": registration.user.display_name,
        "position": profile.job_title if profile else "",
        "organisation": registration.organisation,
        "email": registration.user.email if registration.email_in_participant_list else "",
        "head": registration.participation_type == ParticipationType.HEAD_OF_DELEGATION,
    }


def _by_name(person):
    return (person["name"].casefold(), person["title"].casefold())


def sections(event):
    """The list as it stands: ``[{"heading", "people": [person…]}…]``, only
    sections with someone in them. Everyone holding a seat is on it."""
    registrations = Registration.objects.filter(event=event, status__in=Registration.SEATED).select_related(
        "user__profile"
    )
    delegations = {economy.value: [] for economy in MEMBER_ECONOMIES}
    speakers, guests, secretariat = [], [], []
    for registration in registrations:
        person = _person(registration)
        kind = registration.participation_type
        if kind == ParticipationType.SECRETARIAT:
            secretariat.append(person)
        elif kind == ParticipationType.SPEAKER:
            person["economy"] = registration.get_economy_display() if registration.economy else ""
            speakers.append(person)
        elif kind in DELEGATION_TYPES and registration.economy in delegations:
            delegations[registration.economy].append(person)
        else:  # observers, guests, and delegates of no member economy
            guests.append(person)
    result = []
    for economy in MEMBER_ECONOMIES:
        people = sorted(delegations[economy.value], key=lambda person: (not person["head"], *_by_name(person)))
        if people:
            result.append({"heading": economy.label, "people": people})
    if speakers:
        result.append({"heading": "Speakers and experts", "people": sorted(speakers, key=_by_name)})
    if guests:
        guests.sort(key=lambda person: (person["organisation"].casefold(), *_by_name(person)))
        result.append({"heading": "Guests and observers", "people": guests})
    if secretariat:
        result.append({"heading": "APEC Secretariat", "people": sorted(secretariat, key=_by_name)})
    return result


def head_count(listed):
    return sum(len(section["people"]) for section in listed)


def _context(event, listed, *, number="", dated=None):
    start, end = event.starts_at.astimezone(event.tz), event.ends_at.astimezone(event.tz)
    return {
        "event": event,
        "sections": listed,
        "count": head_count(listed),
        "number": number,
        "final": bool(number),
        "dated": dated,
        "start": start,
        "end": end,
    }


def render_list_pdf(event, listed, *, number="", dated=None):
    return render_pdf("pdf/list_of_participants.html", _context(event, listed, number=number, dated=dated), "list.css")


def render_list_docx(event, listed, *, number="", dated=None):
    """The same list as a Word file, which secretariats edit and circulate.
    python-docx writes it; no template, so there is nothing to keep in step
    with the PDF's layout but the order of the columns."""
    from docx import Document
    from docx.shared import Pt

    context = _context(event, listed, number=number, dated=dated)
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = f"{event.title}: List of Participants"
    if number:
        document.add_paragraph(number)
    document.add_heading(event.title, level=0)
    document.add_paragraph(
        f"List of Participants ({'final' if number else 'provisional'}), "
        f"{context['start']:%-d %B %Y}–{context['end']:%-d %B %Y}, {event.venue.city}. "
        f"{context['count']} participant{'' if context['count'] == 1 else 's'}."
    )
    for section in listed:
        document.add_heading(section["heading"], level=1)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Name", "Position and organisation", "E-mail"), strict=True):
            cell.text = text
        for person in section["people"]:
            row = table.add_row().cells
            name = " ".join(part for part in (person["title"], person["name"]) if part)
            row[0].text = f"{name} (Head of Delegation)" if person["head"] else name
            row[1].text = "\n".join(part for part in (person["position"], person["organisation"]) if part)
            row[2].text = person["email"]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _provisional_snapshot(event, file_format):
    listed = sections(event)
    today = timezone.localdate(timezone=event.tz)
    layout = rendered_lists.layout_digest("pdf/list_of_participants.html", "list.css")
    key = rendered_lists.digest(layout, [file_format, event.title, str(today), listed])
    if file_format == "docx":
        return rendered_lists.Snapshot(
            key=key,
            size=head_count(listed),
            render=lambda: render_list_docx(event, listed, dated=today),
            extension="docx",
            content_type=DOCX,
        )
    return rendered_lists.Snapshot(
        key=key, size=head_count(listed), render=lambda: render_list_pdf(event, listed, dated=today)
    )


rendered_lists.register("list-of-participants-pdf", lambda event: _provisional_snapshot(event, "pdf"))
rendered_lists.register("list-of-participants-docx", lambda event: _provisional_snapshot(event, "docx"))
