"""A seated participant's follow-up forms (their own only: anyone else gets 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from registrations.models import Registration

from . import participant, queries, services
from .forms import AnswersForm
from .models import Completion, FollowUpForm


@login_required
def followup(request, uid, pk):
    registration = get_object_or_404(Registration.objects.select_related("event__venue"), uid=uid, user=request.user)
    if not registration.holds_seat:
        raise Http404("Follow-up forms open once your place is confirmed.")
    form_row = get_object_or_404(FollowUpForm, pk=pk, event=registration.event)
    questions = list(queries.form_questions(form_row))
    answers = queries.answers_by_registration([registration.pk], questions).get(registration.pk, {})
    completed = Completion.objects.filter(form=form_row, registration=registration).first()
    closed = (
        ""
        if queries.is_open(form_row)
        else f"This form closed on {form_row.due_on:%-d %B %Y}; please write to the organisers."
    )
    form = AnswersForm(
        request.POST if request.method == "POST" and not closed else None,
        questions=questions,
        participation_type=registration.participation_type,
        answers=answers,
    )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            services.complete_form(form_row, registration, form.values(), actor=request.user)
        except services.FormClosed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Thank you: “{form_row.title}” is saved.")
            return redirect("registrations:detail", uid=registration.uid)
    context = {
        "registration": registration,
        "event": registration.event,
        "form_row": form_row,
        "form": form,
        "completed": completed,
        "closed": closed,
        "rows": participant.answered(registration, questions) if closed else [],
    }
    status = 400 if request.method == "POST" and form.is_bound and form.errors else 200
    return render(request, "questions/followup.html", context, status=status)
