from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

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
