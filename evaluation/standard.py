"""The standard evaluation questions, the same on every event so that reports
can compare events: each carries a ``standard_key`` that never changes, even
when an organiser rewords the question."""

from .models import Question, Survey

STANDARD = (
    {
        "standard_key": "objectives_met",
        "kind": Question.Kind.SCALE,
        "text": "How well did the event meet its stated objectives?",
        "required": True,
    },
    {
        "standard_key": "relevance",
        "kind": Question.Kind.SCALE,
        "text": "How relevant was the event to your work?",
        "required": True,
    },
    {
        "standard_key": "speakers",
        "kind": Question.Kind.SCALE,
        "text": "How would you rate the quality of the speakers?",
        "required": True,
    },
    {
        "standard_key": "materials",
        "kind": Question.Kind.SCALE,
        "text": "How would you rate the quality of the materials?",
        "required": True,
    },
    {
        "standard_key": "use",
        "kind": Question.Kind.TEXT,
        "text": "What will you do with what you learned?",
        "help_text": "For example a change in your office's practice, training colleagues, a policy proposal.",
    },
    {
        "standard_key": "suggestions",
        "kind": Question.Kind.TEXT,
        "text": "Suggestions for future events",
    },
)

# A follow-up asks what became of it, months later.
FOLLOW_UP = (
    {
        "standard_key": "applied",
        "kind": Question.Kind.SCALE,
        "text": "How much have you used what you learned at the event in your work since?",
        "required": True,
    },
    {
        "standard_key": "use",
        "kind": Question.Kind.TEXT,
        "text": "What have you done with what you learned?",
    },
    {
        "standard_key": "suggestions",
        "kind": Question.Kind.TEXT,
        "text": "Suggestions for future events",
    },
)

KEYS = {row["standard_key"] for row in STANDARD + FOLLOW_UP}


def standard_set(kind):
    return FOLLOW_UP if kind == Survey.Kind.FOLLOW_UP else STANDARD
