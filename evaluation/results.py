"""A survey's results as plain data, for the desk's results page and the
reports: the same numbers wherever they are shown. A fixed number of queries
whatever the number of people, questions or sessions."""

from collections import defaultdict

from django.db.models import Count, Q

from .models import Answer, Invitation, Question
from .queries import sessions_of

SCALE_VALUES = (1, 2, 3, 4, 5)


def survey_results(survey):
    """The results of ``survey`` (a Survey with its event) as dicts and lists:

    {
      "invited": int, "answered": int,
      "response_rate": float percent with one decimal, or None when nobody was invited,
      "anonymous": bool,
      # Who has not answered, for surveys that are not anonymous (None for
      # anonymous ones): [{"name", "economy", "email"}], by name.
      "not_answered": list | None,
      "questions": [{
          "id", "position", "kind" ("scale" | "choice" | "text"), "text",
          "standard_key" ("" for the organisers' own), "per_session": bool,
          # One part overall, or one per session of the current agenda (then
          # "session" is {"uid": str, "title": str}, else None):
          "parts": [{
              "session": dict | None,
              "n": answers given,
              # scale only: counts for 1..5, percent of n, and the mean (None when n is 0)
              "scale": [{"value": 1..5, "count": int, "percent": int}], "mean": float | None,
              # choice only: each option with its count and percent of n
              "choices": [{"choice": str, "count": int, "percent": int}],
              # text only: the answers, in an order that says nothing of who
              # answered or when (the random key of each answer)
              "texts": [str],
          }],
      }],
    }
    """
    questions = list(Question.objects.filter(survey=survey).order_by("position", "pk"))
    sessions = sessions_of(survey.event) if any(question.per_session for question in questions) else []
    invitations = Invitation.objects.filter(survey=survey)
    counts = invitations.aggregate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
    not_answered = None
    if not survey.anonymous:
        waiting = invitations.filter(answered=False).select_related("registration__user__profile")
        not_answered = sorted(
            (
                {
                    "name": invitation.registration.user.display_name,
                    "economy": invitation.registration.get_economy_display() or invitation.registration.organisation,
                    "email": invitation.registration.user.email,
                }
                for invitation in waiting
            ),
            key=lambda row: (row["name"].casefold(), row["email"]),
        )
    answers = Answer.objects.filter(response__survey=survey)
    tallies = defaultdict(int)
    for question_id, item_uid, scale, choice, n in (
        answers.exclude(scale=None, choice="")
        .values_list("question_id", "item_uid", "scale", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        tallies[question_id, item_uid, scale if scale is not None else choice] += n
    texts = defaultdict(list)
    for question_id, item_uid, text in (
        answers.exclude(text="").order_by("pk").values_list("question_id", "item_uid", "text")
    ):
        texts[question_id, item_uid].append(text)
    invited, answered = counts["invited"], counts["answered"]
    return {
        "invited": invited,
        "answered": answered,
        "response_rate": round(100 * answered / invited, 1) if invited else None,
        "anonymous": survey.anonymous,
        "not_answered": not_answered,
        "questions": [_question(question, sessions, tallies, texts) for question in questions],
    }


def _question(question, sessions, tallies, texts):
    places = [(session.uid, {"uid": str(session.uid), "title": session.title}) for session in sessions]
    parts = [
        _part(question, uid, session, tallies, texts)
        for uid, session in (places if question.per_session else [(None, None)])
    ]
    return {
        "id": question.pk,
        "position": question.position,
        "kind": question.kind,
        "text": question.text,
        "standard_key": question.standard_key,
        "per_session": question.per_session,
        "parts": parts,
    }


def _percent(count, n):
    return round(100 * count / n) if n else 0


def _part(question, uid, session, tallies, texts):
    part = {"session": session, "n": 0, "scale": [], "mean": None, "choices": [], "texts": []}
    if question.kind == Question.Kind.SCALE:
        counts = {value: tallies.get((question.pk, uid, value), 0) for value in SCALE_VALUES}
        n = sum(counts.values())
        part.update(
            n=n,
            scale=[
                {"value": value, "count": counts[value], "percent": _percent(counts[value], n)}
                for value in SCALE_VALUES
            ],
            mean=round(sum(value * count for value, count in counts.items()) / n, 2) if n else None,
        )
    elif question.kind == Question.Kind.CHOICE:
        counts = {choice: tallies.get((question.pk, uid, choice), 0) for choice in question.choices}
        n = sum(counts.values())
        part.update(
            n=n,
            choices=[
                {"choice": choice, "count": count, "percent": _percent(count, n)} for choice, count in counts.items()
            ],
        )
    else:
        part["texts"] = texts.get((question.pk, uid), [])
        part["n"] = len(part["texts"])
    return part
