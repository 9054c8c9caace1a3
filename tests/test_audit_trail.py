"""Every look at, change to, export of and deletion of a request leaves a trail nobody can edit."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.urls import reverse, reverse_lazy

from appointments.models import AppointmentRequest, AuditEvent
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

LIST_URL = reverse_lazy("admin:appointments_appointmentrequest_changelist")


def change_url(appointment: AppointmentRequest) -> str:
    return reverse("admin:appointments_appointmentrequest_change", args=[appointment.pk])


def audit_url(view: str, event: AuditEvent | None = None) -> str:
    return reverse(f"admin:appointments_auditevent_{view}", args=[event.pk] if event else [])


@pytest.fixture
def clerk(client, staff):
    user = staff("Front desk")
    client.force_login(user)
    return user


def trail() -> list[tuple[str, str, str]]:
    return list(AuditEvent.objects.order_by("pk").values_list("username", "action", "reference"))


def test_opening_a_request_is_recorded(client, clerk, make_request):
    appointment = make_request()
    client.get(change_url(appointment))
    assert trail() == [(clerk.username, "view", appointment.reference)]


def test_listing_requests_is_not_a_view_of_each(client, clerk, make_request):
    make_request()
    client.get(LIST_URL)
    assert trail() == []


def test_changing_a_request_is_recorded(client, clerk, make_request):
    appointment = make_request()
    client.post(change_url(appointment), change_form_data(status="scheduled", assigned_to=str(clerk.pk)))
    events = AuditEvent.objects.filter(action="change", reference=appointment.reference)
    details = " ".join(events.values_list("detail", flat=True))
    assert "status: new → scheduled" in details
    assert "Changed Status and Assigned to." in details, "the trail reads as a sentence, not as Python data"
    assert set(events.values_list("user", flat=True)) == {clerk.pk}


def test_deleting_a_request_keeps_its_reference_in_the_trail(client, make_request):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    appointment = make_request()
    client.post(reverse("admin:appointments_appointmentrequest_delete", args=[appointment.pk]), {"post": "yes"})
    assert not AppointmentRequest.objects.exists()
    assert trail() == [("boss", "delete", appointment.reference)]


def test_front_desk_reads_the_trail_but_cannot_change_it(client, clerk, make_request):
    appointment = make_request()
    client.get(change_url(appointment))
    event = AuditEvent.objects.get()
    assert client.get(audit_url("changelist")).status_code == 200
    page = client.get(audit_url("change", event)).content.decode()
    assert 'name="username"' not in page
    client.post(audit_url("change", event), {"username": "someone-else", "action": "export"})
    assert client.post(audit_url("delete", event), {"post": "yes"}).status_code == 403
    assert trail() == [(clerk.username, "view", appointment.reference)]


def test_not_even_a_superuser_can_add_change_or_delete_audit_rows(client, make_request):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    event = AuditEvent.record(AuditEvent.Action.VIEW, user=admin, appointment=make_request())
    assert client.get(audit_url("add")).status_code == 403
    assert client.post(audit_url("delete", event), {"post": "yes"}).status_code == 403
    client.post(audit_url("change", event), {"username": "nobody"})
    event.refresh_from_db()
    assert event.username == "boss"


def test_editors_cannot_read_the_trail(client, staff):
    client.force_login(staff("Editors"))
    assert client.get(audit_url("changelist")).status_code == 403


def test_django_admin_history_names_requests_by_reference_only(client, make_request):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    appointment = make_request(first_name="Zoë", last_name="Privacy")
    client.post(change_url(appointment), change_form_data(assigned_to=str(admin.pk)))
    client.post(reverse("admin:appointments_appointmentrequest_delete", args=[appointment.pk]), {"post": "yes"})
    entries = LogEntry.objects.filter(object_id=str(appointment.pk))
    assert sorted(entries.values_list("action_flag", flat=True)) == [CHANGE, DELETION]
    assert set(entries.values_list("object_repr", flat=True)) == {appointment.reference}
    client.get(reverse("admin:index"))  # shows (and uses up) the "deleted successfully" message
    recent_actions = client.get(reverse("admin:index")).content.decode()
    assert appointment.reference in recent_actions
    assert "Zoë" not in recent_actions


def test_bulk_delete_is_recorded_for_each_request(client, make_request):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    first, second = make_request(), make_request()
    data = {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    client.post(LIST_URL, data)
    assert not AppointmentRequest.objects.exists()
    assert sorted(trail()) == sorted([("boss", "delete", first.reference), ("boss", "delete", second.reference)])
