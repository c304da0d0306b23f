from django import template

from questions.participant import all_answers

register = template.Library()


@register.inclusion_tag("desk/question_answers.html")
def registration_answers(registration):
    """The register form answers of one registration (two queries)."""
    return {"rows": all_answers(registration)}
