"""What the nominated person sees of their nomination on their registration
page (registrations/hooks.py calls ``nomination_section``)."""

from django.template.loader import render_to_string

from .models import Nomination


def nomination_section(request, registration):
    nomination = Nomination.objects.filter(registration=registration).first()
    if nomination is None:
        return ""
    return render_to_string(
        "delegations/_registration_nomination.html",
        {"nomination": nomination, "registration": registration},
        request=request,
    )
