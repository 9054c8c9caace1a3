"""A clerk exports a week of requests as a CSV that Excel opens correctly and cannot turn into formulas."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse_lazy
from django.utils import timezone

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST_URL = reverse_lazy("admin:appointments_appointmentrequest_changelist")
EXPORT_URL = reverse_lazy("admin:appointments_export")


def export_url(**filters: str) -> str:
    """The export form's action: the list's own query string (filters, search, date drill-down)."""
    return f"{EXPORT_URL}?{urlencode(filters)}"


def parse(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def clerk(client, staff):
    user = staff("Front desk")
    client.force_login(user)
    return user


def test_export_keeps_accented_and_non_latin_names(client, clerk, make_request):
    make_request(first_name="Zoë", last_name="王")
    rows = parse(client.post(EXPORT_URL))
    assert (rows[0]["First name"], rows[0]["Last name"]) == ("Zoë", "王")


def test_export_neutralizes_formulas(client, clerk, make_request):
    make_request(first_name='=HYPERLINK("http://evil")', last_name="@SUM(A1)", message="-2+3")
    make_request(first_name="\tTab", last_name="\rReturn", message="+cmd")
    rows = parse(client.post(EXPORT_URL))
    cells = [row[column] for row in rows for column in ("First name", "Last name", "Reason for visit / comments")]
    assert sorted(cells) == sorted(
        ['\'=HYPERLINK("http://evil")', "'@SUM(A1)", "'-2+3", "'\tTab", "'\rReturn", "'+cmd"]
    )
    assert rows[0]["Phone"] == "(202) 555-0100"


def test_export_gives_phones_as_the_front_desk_dials_them(client, clerk, make_request):
    make_request(phone="+12025550143")
    make_request(phone="+442079460958")
    phones = sorted(row["Phone"] for row in parse(client.post(EXPORT_URL)))
    # At home the national format (text in Excel, no apostrophe); abroad international, its "+" escaped.
    assert phones == ["'+44 20 7946 0958", "(202) 555-0143"]


def test_export_follows_the_filters_on_screen(client, clerk, make_request):
    this_week = make_request(status="contacted")
    make_request(status="contacted", created_at=timezone.now() - timedelta(days=30))
    make_request(status="new")
    since = (timezone.now() - timedelta(days=7)).isoformat()
    rows = parse(client.post(export_url(status__exact="contacted", created_at__gte=since)))
    assert [row["Reference"] for row in rows] == [this_week.reference]


def test_the_list_exports_itself_by_a_post_form_that_keeps_its_filters(client, clerk, make_request):
    make_request()
    page = client.get(LIST_URL, {"status__exact": "new"}).content.decode()
    assert f'<form method="post" action="{EXPORT_URL}?status__exact=new"' in page
    assert 'name="csrfmiddlewaretoken"' in page.split(f'action="{EXPORT_URL}', 1)[1].split("</form>", 1)[0]


def test_a_link_cannot_export_and_a_forged_post_is_refused(client, clerk, make_request):
    """A link (or an image) on another site makes a GET; a form there has no CSRF token."""
    make_request()
    assert client.get(EXPORT_URL).status_code == 405
    client.handler.enforce_csrf_checks = True
    assert client.post(EXPORT_URL).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("bad", [{"created_at__gte": "not-a-date"}, {"id__in": "x"}, {"created_at__day": "99x"}])
def test_a_bad_filter_value_goes_back_to_the_list_with_its_message(client, clerk, make_request, bad):
    make_request()
    response = client.post(export_url(**bad), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(LIST_URL + "?")
    assert "could not be exported: one of its filters is not valid" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_export_action_on_selected_requests(client, clerk, make_request):
    chosen, _other = make_request(), make_request()
    response = client.post(LIST_URL, {"action": "export_csv", "_selected_action": [chosen.pk]})
    assert [row["Reference"] for row in parse(response)] == [chosen.reference]


def test_every_export_is_in_the_audit_trail(client, clerk, make_request):
    first, second = make_request(), make_request()
    client.post(EXPORT_URL)
    event = AuditEvent.objects.get(action="export")
    assert event.username == clerk.username
    assert first.reference in event.detail
    assert second.reference in event.detail


def test_editors_cannot_export_requests(client, staff, make_request):
    make_request()
    client.force_login(staff("Editors"))
    assert client.post(EXPORT_URL).status_code == 403
    assert not AuditEvent.objects.filter(subject="requests", outcome="ok").exists()


def test_the_audit_trail_of_an_export_keeps_the_filters_but_not_the_search_words(client, clerk, make_request):
    found = make_request(last_name="Okonkwo", phone="+12025550143")
    client.post(export_url(q="(202) 555-0143", status__exact="new"))
    client.post(export_url(q="Okonkwo"))
    details = list(AuditEvent.objects.filter(action="export").values_list("detail", flat=True))
    assert len(details) == 2
    assert set(AuditEvent.objects.filter(action="export").values_list("reference", flat=True)) == {found.reference}
    for detail in details:
        assert "1 rows" in detail
        assert "555" not in detail and "Okonkwo" not in detail
        assert "searched" in detail
    assert any("filters: status__exact" in detail for detail in details)
    assert not any("=new" in detail for detail in details)


def test_an_export_by_field_filters_keeps_their_names_not_their_values(client, clerk, make_request):
    make_request(first_name="Zoe", email="zoe@example.com")
    client.post(f"{EXPORT_URL}?first_name=Zoe&email__icontains=zoe%40")
    detail = AuditEvent.objects.get(action="export").detail
    assert "filters: email__icontains, first_name" in detail
    assert "Zoe" not in detail and "zoe" not in detail
