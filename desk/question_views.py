"""The organisers' questions: those of the register form, and follow-up forms
with their own questions, who completed them and their answers."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from questions import queries, services
from questions.forms import FollowUpFormForm, MoveForm, QuestionForm
from questions.models import Completion, FollowUpForm, Question
from registrations.exports import spreadsheet_safe

from .permissions import ORGANISE, VIEW, managed_event


def _questions_page(request, event, form=None, status=200):
    context = {
        "event": event,
        "questions": list(queries.register_questions(event, archived=True)),
        "form": form or QuestionForm(),
    }
    return render(request, "desk/questions.html", context, status=status)


@login_required
def questions(request, slug):
    return _questions_page(request, managed_event(request, slug, need=VIEW))


@login_required
@require_POST
def question_add(request, slug):
    event = managed_event(request, slug, need=ORGANISE)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _questions_page(request, event, form, status=400)
    services.add_question(event, actor=request.user, **form.cleaned_data)
    messages.success(request, "Question added to the register form.")
    return redirect("desk:questions", slug=slug)


def _back(question):
    if question.form_id:
        return redirect("desk:followup_form", slug=question.event.slug, pk=question.form_id)
    return redirect("desk:questions", slug=question.event.slug)


def _question(event, pk):
    return get_object_or_404(Question.objects.select_related("event", "form"), pk=pk, event=event)


@login_required
def question_edit(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    question = _question(event, pk)
    form = QuestionForm(request.POST or None, instance=Question.objects.get(pk=question.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_question(question, actor=request.user, **form.cleaned_data)
        except services.QuestionRefused as refusal:
            form.add_error("kind", str(refusal))
        else:
            messages.success(request, "Question saved; answers already given are kept.")
            return _back(question)
    status = 400 if form.errors else 200
    answers = question.answers.count()
    context = {"event": event, "question": question, "form": form, "answers": answers}
    return render(request, "desk/question_edit.html", context, status=status)


@login_required
@require_POST
def question_move(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    question = _question(event, pk)
    form = MoveForm(request.POST)
    if form.is_valid() and question.archived_at is None:
        services.move_question(question, form.cleaned_data["direction"], actor=request.user)
    else:
        messages.error(request, "Move a current question up or down.")
    return _back(question)


@login_required
@require_POST
def question_remove(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    question = _question(event, pk)
    outcome = services.remove_question(question, actor=request.user)
    if outcome == "archived":
        messages.success(request, f"“{question.label}” is no longer asked; the answers already given are kept.")
    else:
        messages.success(request, f"“{question.label}” removed.")
    return _back(question)


@login_required
def followup_forms(request, slug):
    event = managed_event(request, slug, need=VIEW)
    form = FollowUpFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.save_followup_form(event, actor=request.user, **form.cleaned_data)
        messages.success(request, f"“{created.title}” created; add its questions below.")
        return redirect("desk:followup_form", slug=slug, pk=created.pk)
    forms = list(FollowUpForm.objects.filter(event=event))
    done = dict(Completion.objects.filter(form__event=event).values_list("form_id").annotate(n=Count("pk")))
    for row in forms:
        row.completed_count = done.get(row.pk, 0)
    context = {"event": event, "forms": forms, "form": form, "seated": queries.seated(event).count()}
    return render(request, "desk/question_followup_forms.html", context, status=400 if form.errors else 200)


def _completion_table(event, form_row):
    """Seated registrations with their completion and answers: five queries."""
    questions = list(queries.form_questions(form_row, archived=True))
    registrations = list(queries.seated(event))
    completions = {c.registration_id: c for c in Completion.objects.filter(form=form_row)}
    answers = queries.answers_by_registration([r.pk for r in registrations], questions)
    rows = []
    for registration in registrations:
        mine = answers.get(registration.pk, {})
        cells = [(q.label, mine[q.pk].text if q.pk in mine else "") for q in questions]
        rows.append({"registration": registration, "completion": completions.get(registration.pk), "cells": cells})
    return questions, rows


@login_required
def followup_form(request, slug, pk):
    event = managed_event(request, slug, need=VIEW)
    form_row = get_object_or_404(FollowUpForm, pk=pk, event=event)
    settings_form = FollowUpFormForm(request.POST or None, instance=FollowUpForm.objects.get(pk=form_row.pk))
    if request.method == "POST" and settings_form.is_valid():
        services.save_followup_form(event, form=form_row, actor=request.user, **settings_form.cleaned_data)
        messages.success(request, "Follow-up form saved.")
        return redirect("desk:followup_form", slug=slug, pk=pk)
    return _followup_page(request, event, form_row, settings_form=settings_form)


def _followup_page(request, event, form_row, settings_form=None, question_form=None):
    questions, rows = _completion_table(event, form_row)
    context = {
        "event": event,
        "form_row": form_row,
        "questions": questions,
        "current": [q for q in questions if q.archived_at is None],
        "rows": rows,
        "completed": sum(1 for row in rows if row["completion"]),
        "settings_form": settings_form or FollowUpFormForm(instance=form_row),
        "question_form": question_form or QuestionForm(),
    }
    bad = (settings_form is not None and settings_form.errors) or (question_form is not None and question_form.errors)
    return render(request, "desk/question_followup_form.html", context, status=400 if bad else 200)


@login_required
@require_POST
def followup_question_add(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    form_row = get_object_or_404(FollowUpForm, pk=pk, event=event)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _followup_page(request, event, form_row, question_form=form)
    services.add_question(event, form=form_row, actor=request.user, **form.cleaned_data)
    messages.success(request, f"Question added to “{form_row.title}”.")
    return redirect("desk:followup_form", slug=slug, pk=pk)


@login_required
def followup_csv(request, slug, pk):
    event = managed_event(request, slug, need=ORGANISE)
    form_row = get_object_or_404(FollowUpForm, pk=pk, event=event)
    questions, rows = _completion_table(event, form_row)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "E-mail", "Completed (UTC)", *(q.label for q in questions)])
    for row in rows:
        registration, completion = row["registration"], row["completion"]
        done = completion.completed_at.strftime("%Y-%m-%d %H:%M") if completion else ""
        texts = [text for _, text in row["cells"]]
        writer.writerow(
            [spreadsheet_safe(v) for v in (registration.user.display_name, registration.user.email, done, *texts)]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-follow-up-{form_row.pk}.csv"'
    return response
