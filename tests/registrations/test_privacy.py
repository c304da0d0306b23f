"""The privacy notice (issue 13, item 9) and the register form's passport
fields, asked, checked and kept only when an invitation letter is requested."""

import re
from datetime import date

import pytest
from django.urls import reverse

from registrations.models import Registration

pytestmark = pytest.mark.django_db

PASSPORT = {
    "passport_name": "SANTOS MARIA",
    "nationality": "Chile",
    "passport_number": "F1234567",
    "date_of_birth": "1984-03-09",
}


def form_data(**changes):
    data = {"participation_type": "delegate", "economy": "CL", "organisation": "INAPI", "privacy_consent": "on"}
    data.update(changes)
    return data


@pytest.fixture
def participant(client, people):
    (user,) = people(1)
    client.force_login(user)
    return user


def test_privacy_notice_says_what_why_who_and_when_from_the_settings(client, settings):
    settings.PERSONAL_DATA_RETENTION = settings.PERSONAL_DATA_RETENTION.__class__(days=45)
    settings.DEFAULT_FROM_EMAIL = "IPEG Events <privacy@ipeg.example>"
    response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("privacy") == "/privacy/"
    for heading in ("What is collected, and why", "Who sees it", "When it is erased"):
        assert f">{heading}</h2>" in page
    # The erasure's own figures and fields, not a copy that could drift.
    assert "45 days after an event ends" in page
    for field in Registration.PERSONAL_DATA:
        assert str(Registration._meta.get_field(field).verbose_name) in page, field
    assert 'href="mailto:privacy@ipeg.example"' in page
    # Anyone may read it, signed in or not, and it is in the site's layout.
    assert '<header class="site-header">' in page


def test_privacy_notice_is_linked_from_the_footer_sign_up_and_the_register_form(client, workshop, participant):
    register = client.get(f"/events/{workshop.slug}/register/").content.decode()
    assert 'href="/privacy/"' in register
    footer = register.split('<footer class="site-footer">')[1]
    assert 'href="/privacy/"' in footer
    client.logout()
    sign_up = client.get("/accounts/signup/").content.decode()
    main = sign_up.split('<main id="main"')[1].split("</main>")[0]
    assert 'href="/privacy/"' in main


def test_passport_fields_sit_in_their_own_fieldset_after_the_letter_box(client, workshop, participant):
    page = client.get(f"/events/{workshop.slug}/register/").content.decode()
    fieldset = re.search(r'<fieldset class="passport-fields".*?</fieldset>', page, re.S).group(0)
    for name in PASSPORT:
        assert f'name="{name}"' in fieldset
        assert page.count(f'name="{name}"') == 1
    assert page.index('name="invitation_letter"') < page.index('<fieldset class="passport-fields"')
    # Optional in the browser: hidden fields must never block the form.
    assert " required" not in fieldset


def test_without_a_letter_no_passport_detail_is_checked_or_kept(client, workshop, participant):
    data = form_data(passport_name="SANTOS MARIA", passport_number="F1234567", date_of_birth="not a date")
    response = client.post(f"/events/{workshop.slug}/register/", data)
    assert response.status_code == 302
    registration = Registration.objects.get(user=participant)
    assert not registration.invitation_letter
    assert (registration.passport_name, registration.passport_number, registration.nationality) == ("", "", "")
    assert registration.date_of_birth is None


@pytest.mark.parametrize("missing", sorted(PASSPORT))
def test_with_a_letter_every_passport_detail_is_required(client, workshop, participant, missing):
    data = form_data(invitation_letter="on", **{**PASSPORT, missing: ""})
    response = client.post(f"/events/{workshop.slug}/register/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Needed for the invitation letter.") == 1
    assert not Registration.objects.exists()
    # The box stays ticked, so the fieldset (and its error) shows again.
    assert re.search(r'name="invitation_letter"[^>]*checked', page)


def test_with_a_letter_the_passport_details_are_kept(client, workshop, participant):
    response = client.post(f"/events/{workshop.slug}/register/", form_data(invitation_letter="on", **PASSPORT))
    assert response.status_code == 302
    registration = Registration.objects.get(user=participant)
    assert registration.invitation_letter
    assert (registration.passport_name, registration.nationality, registration.passport_number) == (
        "SANTOS MARIA",
        "Chile",
        "F1234567",
    )
    assert registration.date_of_birth == date(1984, 3, 9)
