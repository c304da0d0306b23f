"""The desk's report pages: exact numbers for organisers, the shared view on
request, and a project's page with only the events the reader may view."""

import re

import pytest
from django.urls import reverse

from ..factories import make_user
from .conftest import fill, make_report_event

pytestmark = pytest.mark.django_db
CODE = "IPEG 02 2031S"


def number_cells(page):
    return re.findall(r'<td class="number">([^<]*)</td>', page)


def test_organisers_see_exact_numbers_and_can_switch_to_the_shared_view(desk, organiser):
    event = make_report_event("exact-workshop", organiser)
    fill(event, 50, seed=4)
    url = reverse("desk:report", args=[event.slug])
    exact = desk.get(url).content.decode()
    assert "Exact numbers" in exact and 'aria-current="page">Exact numbers' in exact
    cells = number_cells(exact)
    assert "1" in cells and "2" in cells and "&lt;3" not in cells
    survey = event.surveys.get()
    assert reverse("desk:survey_results", args=[event.slug, survey.pk]) in exact

    shared = desk.get(url + "?version=shared").content.decode()
    assert 'aria-current="page">As shared (cells under 3 hidden)' in shared
    cells = number_cells(shared)
    assert "&lt;3" in cells and "1" not in cells and "2" not in cells
    assert "Read the written answers" not in shared and "Comment " not in shared and "results/" not in shared


def test_the_page_says_who_counts_and_links_the_project_report(desk, organiser):
    event = make_report_event("coded-workshop", organiser, project_code=CODE)
    page = desk.get(reverse("desk:report", args=[event.slug])).content.decode()
    assert "registrations that held a seat (confirmed or attended)" in page
    assert reverse("desk:project_report", args=[CODE]) in page


def test_an_unknown_version_gets_a_clear_400(desk, organiser):
    event = make_report_event("versioned-workshop", organiser)
    for url in (reverse("desk:report", args=[event.slug]), reverse("desk:report_file", args=[event.slug, "xlsx"])):
        response = desk.get(url + "?version=everything")
        assert response.status_code == 400
        assert "ask for version=shared or version=exact" in response.content.decode()


def test_a_project_report_includes_only_the_events_the_reader_may_view(client, organiser, viewer_of):
    seen = make_report_event("seen-workshop", organiser, project_code=CODE)
    hidden = make_report_event("hidden-workshop", organiser, project_code=CODE)
    make_report_event("other-project-workshop", organiser, project_code="IPEG 03 2031S")
    seen_made = fill(seen, 20, seed=1)
    fill(hidden, 30, seed=2)
    reader = viewer_of(seen, make_user("apec-overseer@example.org"))
    client.force_login(reader)

    response = client.get(reverse("desk:project_report", args=[CODE]))
    page = response.content.decode()
    report = response.context["report"]
    assert [event.slug for event in report.events] == ["seen-workshop"]
    assert "Hidden Workshop" not in page and "Other Project Workshop" not in page
    assert report.participant_total == sum(r.status in ("confirmed", "attended") for r in seen_made)
    assert "Only the events of project IPEG 02 2031S that you may view" in page

    client.force_login(organiser)
    both = client.get(reverse("desk:project_report", args=[CODE])).context["report"]
    assert {event.slug for event in both.events} == {"seen-workshop", "hidden-workshop"}


def test_a_project_with_no_event_the_reader_may_view_is_not_found(client, organiser):
    make_report_event("someone-elses-workshop", organiser, project_code=CODE)
    client.force_login(make_user("stranger@example.org"))
    assert client.get(reverse("desk:project_report", args=[CODE])).status_code == 404
    assert client.get(reverse("desk:project_report_file", args=[CODE, "xlsx"])).status_code == 404


def test_the_page_takes_as_many_queries_for_10_as_for_200_participants(desk, organiser, django_assert_num_queries):
    small = make_report_event("small-page-workshop", organiser)
    fill(small, 10, seed=1)
    large = make_report_event("large-page-workshop", organiser)
    fill(large, 200, seed=2)
    # session, user, event with role, the header's organiser check, then the report's 8
    for event in (small, large):
        with django_assert_num_queries(12):
            desk.get(reverse("desk:report", args=[event.slug]))
