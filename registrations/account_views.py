from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from accounts.mfa import has_totp
from events import calendar_links

from . import calendar_feed
from .forms import ProfileForm
from .models import ParticipantProfile


@login_required
def profile(request):
    instance = ParticipantProfile.objects.filter(user=request.user).first() or ParticipantProfile(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("account_profile")
    return render(request, "account/profile.html", {"form": form, "user_has_totp": has_totp(request.user)})


@login_required
def calendar(request):
    """The personal calendar link. Only its digest is stored, so the full
    address is on the page once: in the answer to the POST that made it.
    Later visits say that a link exists (made when, ending how) and offer to
    replace it."""
    if request.method != "POST":
        return render(request, "account/calendar.html", {"link": calendar_feed.current(request.user)})
    had_one = calendar_feed.current(request.user) is not None
    token = calendar_feed.regenerate(request.user)
    https_url = request.build_absolute_uri(reverse("personal_feed", args=[token]))
    response = render(
        request,
        "account/calendar.html",
        {
            "link": calendar_feed.current(request.user),
            "replaced": had_one,
            "feed_url": https_url,
            # Google, Outlook.com, Microsoft 365, webcal: shown once, with the address.
            "subscribe_links": calendar_links.personal_subscribe_links(https_url),
        },
    )
    # The secret is in this page and nowhere else: no cache may keep a copy.
    add_never_cache_headers(response)
    return response
