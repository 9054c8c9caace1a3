"""Only the privacy officer reads the audit trail (and exports it); reading it is recorded too; nobody edits it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse_lazy

from audit.models import AuditEvent
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db

AUDIT_URL = reverse_lazy("admin:audit_auditevent_changelist")


@pytest.fixture
def officer(client, staff):
    user = staff("Privacy officer")
    client.force_login(user)
    return user


@pytest.fixture
def opened(make_request):
    """A request a clerk opened: one event naming it."""
    appointment = make_request(first_name="Zoë", last_name="Privacy")
    AuditEvent.record(AuditEvent.Action.VIEW, username="clerk", reference=appointment.reference)
    return appointment


def test_the_privacy_officer_reads_the_trail_and_each_event(client, officer, opened):
    listing = client.get(AUDIT_URL)
    assert listing.status_code == 200
    assert opened.reference in listing.content.decode()
    event = AuditEvent.objects.get(username="clerk")
    page = client.get(admin_url("audit_auditevent_change", event.pk))
    assert page.status_code == 200
    assert opened.reference in page.content.decode()


def test_the_event_page_shows_the_reference_never_the_patients_name(client, officer, opened):
    event = AuditEvent.objects.get(username="clerk")
    page = client.get(admin_url("audit_auditevent_change", event.pk)).content.decode()
    assert "Zoë" not in page and "Privacy</" not in page
    # No link through to the request either.
    assert admin_url("appointments_appointmentrequest_change", opened.pk) not in page


def test_reading_the_trail_is_itself_recorded(client, officer, opened):
    client.get(AUDIT_URL, {"action__exact": "view"})
    event = AuditEvent.objects.get(username="clerk")
    client.get(admin_url("audit_auditevent_change", event.pk))
    reads = AuditEvent.objects.filter(username=officer.username, subject="trail").order_by("pk")
    assert list(reads.values_list("action", flat=True)) == ["list", "view"]
    assert "filters: action__exact" in reads[0].detail


def test_the_privacy_officer_exports_the_trail_as_csv(client, officer, opened):
    ids = list(AuditEvent.objects.filter(username="clerk").values_list("pk", flat=True))
    response = client.post(AUDIT_URL, {"action": "export_csv", "_selected_action": ids})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["Who"], row["Action"], row["Reference"]) for row in rows] == [("clerk", "Viewed", opened.reference)]
    export = AuditEvent.objects.get(username=officer.username, action="export")
    assert (export.subject, export.detail) == ("trail", "1 events")


@pytest.mark.parametrize("group", ["Front desk", "Editors"])
def test_front_desk_and_editors_cannot_open_the_trail(client, staff, opened, group):
    user = staff(group)
    client.force_login(user)
    event = AuditEvent.objects.get(username="clerk")
    assert client.get(AUDIT_URL).status_code == 403
    assert client.get(admin_url("audit_auditevent_change", event.pk)).status_code == 403
    refused = AuditEvent.objects.filter(username=user.username, subject="trail", outcome="denied")
    assert sorted(refused.values_list("action", flat=True)) == ["list", "view"]


def test_no_group_but_the_privacy_officer_may_read_the_trail(roles):
    """Front desk, editors, medical reviewers: whatever groups setup_roles makes, none but one reads the trail."""
    readers = Group.objects.filter(permissions__content_type__app_label="audit").values_list("name", flat=True)
    assert list(readers) == ["Privacy officer"]


def test_not_even_a_superuser_can_add_change_or_delete_audit_rows(client, opened):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    event = AuditEvent.objects.get(username="clerk")
    assert client.get(admin_url("audit_auditevent_add")).status_code == 403
    assert client.post(admin_url("audit_auditevent_delete", event.pk), {"post": "yes"}).status_code == 403
    page = client.get(admin_url("audit_auditevent_change", event.pk)).content.decode()
    assert 'name="username"' not in page
    client.post(admin_url("audit_auditevent_change", event.pk), {"username": "nobody"})
    event.refresh_from_db()
    assert event.username == "clerk"
