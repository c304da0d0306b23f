"""Input that used to end in a 500 on the check-in desk, in the XLSX export
and in a multipart POST without a boundary: a clear message or a 4xx, and
nothing saved is lost."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from registrations.models import Registration

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["not-a-uuid", "", "1 OR 1=1", "\x00"])
def test_check_in_with_a_registration_that_is_not_a_uuid_is_explained(desk, workshop, seated, value):
    response = desk.post(f"/desk/events/{workshop.slug}/checkin/", {"registration": value, "q": "aisyah"}, follow=True)
    page = response.content.decode()
    assert "That check-in did not name a registration: search for the person again." in page
    # Back on the search, which still lists the person, unchanged.
    assert "Aisyah Ismail" in page
    seated.refresh_from_db()
    assert seated.status == Registration.Status.CONFIRMED and seated.checked_in_at is None


def test_check_in_redirect_keeps_an_awkward_search_in_one_piece(desk, workshop, seated):
    response = desk.post(
        f"/desk/events/{workshop.slug}/checkin/", {"registration": seated.uid, "q": "aisyah&x=1\r\nSet-Cookie: a=b"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?q=aisyah%26x%3D1%0D%0ASet-Cookie%3A+a%3Db")
    assert "a" not in response.cookies
    seated.refresh_from_db()
    assert seated.status == Registration.Status.ATTENDED


def test_check_in_search_and_code_with_nul(desk, workshop, seated):
    page = desk.get(f"/desk/events/{workshop.slug}/checkin/", {"q": "ais\x00yah"}).content.decode()
    assert "Aisyah Ismail" in page  # NUL dropped: the search still finds her
    response = desk.get(f"/desk/events/{workshop.slug}/checkin/{seated.checkin_code}%00/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "title", ["Design: 2031/2032 [draft] *new*?", "A\\B", "[]:*?/\\", "'quoted'", "Line\x0bbreak\nand more"]
)
def test_xlsx_export_of_an_event_whose_title_excel_would_refuse(desk, workshop, seated, title):
    workshop.title = title
    workshop.save()
    seated.organisation = "WIPO\x0bGeneva"  # a pasted control character
    seated.save()
    response = desk.get(f"/desk/events/{workshop.slug}/registrations.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    (sheet,) = workbook.worksheets
    assert not set(sheet.title) & set(":/\\?*[]\x0b\n") and 0 < len(sheet.title) <= 31
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Aisyah Ismail" and rows[1][5] == "WIPO Geneva"


@pytest.mark.parametrize("path", ["/accounts/login/", "/events/{slug}/register/"])
def test_multipart_post_without_a_boundary_is_a_400_with_a_page(workshop, path):
    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST", path.format(slug=workshop.slug), b"login=a&password=b", content_type="multipart/form-data"
    )
    if path.startswith("/events/"):
        # Anonymous: sent to sign in before anything reads the body.
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        client.force_login(make_user("x@example.org"))
        response = client.generic(
            "POST", path.format(slug=workshop.slug), b"economy=NZ", content_type="multipart/form-data"
        )
    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()
    assert not Registration.objects.filter(event=workshop, user__email="x@example.org").exists()
