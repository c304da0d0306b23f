"""How the desk tells an organiser that a service refused an action."""

from django.contrib import messages


def refused(request, refusal):
    messages.error(request, " ".join(refusal.messages))
