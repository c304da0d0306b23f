"""The privacy notice: what the site collects, why, who sees it and when it is
erased. Its figures come from the settings that decide them, so the notice
cannot drift from what the erasure job does."""

from email.utils import parseaddr

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Registration


@require_safe
def privacy_notice(request):
    return render(
        request,
        "registrations/privacy.html",
        {
            "retention_days": settings.PERSONAL_DATA_RETENTION.days,
            "site_name": settings.SITE_NAME,
            "contact": parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
            "erased_fields": [Registration._meta.get_field(name).verbose_name for name in Registration.PERSONAL_DATA],
        },
    )
