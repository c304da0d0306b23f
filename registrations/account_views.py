from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

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
    return render(request, "account/profile.html", {"form": form})


@login_required
def calendar(request):
    if request.method == "POST":
        calendar_feed.regenerate(request.user)
        messages.success(request, "Your calendar address was replaced. The old address no longer works.")
        return redirect("account_calendar")
    token = calendar_feed.token_for(request.user)
    https_url = request.build_absolute_uri(reverse("personal_feed", args=[token]))
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return render(
        request,
        "account/calendar.html",
        {
            "feed_url": https_url,
            "webcal_url": webcal_url,
            "google_url": "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal_url}),
            "outlook_url": "https://outlook.live.com/calendar/0/addfromweb?"
            + urlencode({"url": https_url, "name": "IPEG events"}),
        },
    )
