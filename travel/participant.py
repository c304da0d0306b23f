"""What travel funding adds to the participant's registration page (through
registrations.hooks; see apps.py): entitlements, the claim's state and a link
to the claim page."""

from django.template.loader import render_to_string

from .models import FundedTraveller


def registration_section(request, registration):
    traveller = FundedTraveller.objects.filter(registration=registration).first()
    if traveller is None:
        return ""
    context = {"registration": registration, "traveller": traveller, "documents": traveller.documents.count()}
    return render_to_string("travel/_registration_section.html", context, request=request)
