"""A survey's answers as CSV, one row per answer. For an anonymous survey the
file has no column naming a person: answers given together share only their
response's random key, and rows come in the order of those keys, not of
answering."""

import csv
import io

from registrations.exports import spreadsheet_safe

from .models import Answer
from .queries import sessions_of

ANONYMOUS_COLUMNS = ["Response", "Question number", "Question", "Session", "Answer"]
NAMED_COLUMNS = [*ANONYMOUS_COLUMNS, "Name", "E-mail", "Economy"]


def answers_csv(survey):
    sessions = {session.uid: session.title for session in sessions_of(survey.event)}
    answers = (
        Answer.objects.filter(response__survey=survey)
        .select_related("question")
        .order_by("response_id", "question__position", "question_id", "item_uid")
    )
    if not survey.anonymous:
        answers = answers.select_related("response__registration__user__profile")
    numbers = {pk: n for n, pk in enumerate(survey.questions.values_list("pk", flat=True), start=1)}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ANONYMOUS_COLUMNS if survey.anonymous else NAMED_COLUMNS)
    for answer in answers:
        value = answer.scale if answer.scale is not None else (answer.choice or answer.text)
        row = [
            answer.response_id,
            numbers.get(answer.question_id, ""),
            answer.question.text,
            sessions.get(answer.item_uid, "") if answer.item_uid else "",
            value,
        ]
        if not survey.anonymous:
            registration = answer.response.registration
            row += (
                [registration.user.display_name, registration.user.email, registration.get_economy_display()]
                if registration
                else ["", "", ""]
            )
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    # A byte-order mark so that Excel opens UTF-8 text (Nguyễn, 王) correctly.
    return "\ufeff" + buffer.getvalue()
