"""Every look at, change to, export of and deletion of a request leaves an event: who, when, which, from where."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.urls import reverse, reverse_lazy

from appointments.models import AppointmentRequest
from audit.models import AuditEvent
from tests.helpers import admin_url, change_form_data

pytestmark = pytest.mark.django_db

LIST_URL = reverse_lazy("admin:appointments_appointmentrequest_changelist")
BROWSER = "Mozilla/5.0 (Front desk PC)"


def change_url(appointment: AppointmentRequest) -> str:
    return admin_url("appointments_appointmentrequest_change", appointment.pk)


@pytest.fixture
def clerk(client, staff):
    user = staff("Front desk")
    client.force_login(user)
    return user


@pytest.fixture
def boss(client):
    admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return admin


def trail() -> list[tuple[str, str, str]]:
    """The events about requests (signing in, which force_login does too, is another subject)."""
    events = AuditEvent.objects.filter(subject="requests").order_by("pk")
    return list(events.values_list("username", "action", "reference"))


def test_opening_a_request_is_recorded_with_who_what_when_and_from_where(client, clerk, make_request):
    appointment = make_request()
    client.get(change_url(appointment), REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=BROWSER)
    event = AuditEvent.objects.get(subject="requests")
    assert (event.username, event.action, event.reference) == (clerk.username, "view", appointment.reference)
    assert (event.outcome, event.subject) == ("ok", "requests")
    assert (event.client_address, event.user_agent) == ("198.51.100.7", BROWSER)
    assert event.at is not None


def test_each_view_of_the_list_is_one_event_with_its_rows_and_their_references(client, clerk, make_request):
    shown = [make_request(), make_request(), make_request()]
    client.get(LIST_URL)
    event = AuditEvent.objects.get(subject="requests")
    assert (event.action, event.reference) == ("list", "")
    assert "3 of 3 rows" in event.detail
    assert all(appointment.reference in event.detail for appointment in shown)


def test_a_search_is_recorded_with_its_count_but_never_its_words(client, clerk, make_request):
    found = make_request(last_name="Okonkwo", phone="+12025550143", email="okonkwo@example.com")
    make_request(last_name="Other")
    for words in ("Okonkwo", "(202) 555-0143", "okonkwo@example.com"):
        client.get(LIST_URL, {"q": words, "status__exact": "new"})
    events = AuditEvent.objects.filter(action="search")
    assert events.count() == 3
    for event in events:
        assert "1 of 1 rows" in event.detail
        assert found.reference == event.reference  # one row: named in the reference column
        assert "searched" in event.detail and "filters: status__exact" in event.detail
        for leaked in ("Okonkwo", "okonkwo", "555", "new"):
            assert leaked not in event.detail


def test_filters_are_recorded_by_name_never_by_value(client, clerk, make_request):
    make_request(first_name="Zoe", email="zoe@example.com")
    client.get(LIST_URL, {"first_name": "Zoe", "email__icontains": "zoe@", "status__exact": "new", "o": "2"})
    event = AuditEvent.objects.get(action="list")
    assert "filters: email__icontains, first_name, status__exact" in event.detail
    assert "Zoe" not in event.detail and "zoe" not in event.detail


def test_the_history_page_is_recorded(client, clerk, make_request):
    appointment = make_request()
    assert client.get(admin_url("appointments_appointmentrequest_history", appointment.pk)).status_code == 200
    assert trail() == [(clerk.username, "history", appointment.reference)]


def test_the_delete_confirmation_page_is_recorded_and_so_is_the_deletion(client, boss, make_request):
    appointment = make_request()
    assert client.get(admin_url("appointments_appointmentrequest_delete", appointment.pk)).status_code == 200
    assert trail() == [("boss", "confirm-delete", appointment.reference)]
    client.post(admin_url("appointments_appointmentrequest_delete", appointment.pk), {"post": "yes"})
    assert not AppointmentRequest.objects.exists()
    assert trail()[-1] == ("boss", "delete", appointment.reference)


def test_the_bulk_delete_confirmation_names_each_request_by_reference(client, boss, make_request):
    first, second = make_request(first_name="Zoë"), make_request()
    client.post(LIST_URL, {"action": "delete_selected", "_selected_action": [first.pk, second.pk]})
    event = AuditEvent.objects.get(action="confirm-delete")
    assert first.reference in event.detail and second.reference in event.detail
    assert "Zoë" not in event.detail


def test_a_refused_look_is_recorded_as_refused(client, staff, make_request):
    appointment = make_request()
    editor = staff("Editors")
    client.force_login(editor)
    assert client.get(change_url(appointment)).status_code == 403
    assert client.get(LIST_URL).status_code == 403
    refused = AuditEvent.objects.filter(username=editor.username, outcome="denied")
    assert sorted(refused.values_list("action", "reference")) == [("list", ""), ("view", appointment.reference)]


@pytest.mark.parametrize("object_id", ["abc", "999999", "1%2F2"])
def test_a_refused_look_at_no_such_request_is_still_a_403(client, staff, object_id):
    client.force_login(staff("Editors"))
    assert client.get(admin_url("appointments_appointmentrequest_change", object_id)).status_code == 403
    assert AuditEvent.objects.filter(subject="requests", outcome="denied", reference="").count() == 1


def test_changing_a_request_is_recorded(client, clerk, make_request):
    appointment = make_request()
    client.post(change_url(appointment), change_form_data(status="scheduled", assigned_to=str(clerk.pk)))
    events = AuditEvent.objects.filter(action="change", reference=appointment.reference)
    details = " ".join(events.values_list("detail", flat=True))
    assert "status: new → scheduled" in details
    assert "Changed Status and Assigned to." in details, "the trail reads as a sentence, not as Python data"
    assert set(events.values_list("username", flat=True)) == {clerk.username}


def test_deleting_a_request_keeps_its_reference_in_the_trail(client, boss, make_request):
    appointment = make_request()
    client.post(admin_url("appointments_appointmentrequest_delete", appointment.pk), {"post": "yes"})
    assert not AppointmentRequest.objects.exists()
    assert trail() == [("boss", "delete", appointment.reference)]


def test_django_admin_history_names_requests_by_reference_only(client, boss, make_request):
    appointment = make_request(first_name="Zoë", last_name="Privacy")
    client.post(change_url(appointment), change_form_data(assigned_to=str(boss.pk)))
    client.post(admin_url("appointments_appointmentrequest_delete", appointment.pk), {"post": "yes"})
    entries = LogEntry.objects.filter(object_id=str(appointment.pk))
    assert sorted(entries.values_list("action_flag", flat=True)) == [CHANGE, DELETION]
    assert set(entries.values_list("object_repr", flat=True)) == {appointment.reference}
    client.get(reverse("admin:index"))  # shows (and uses up) the "deleted successfully" message
    recent_actions = client.get(reverse("admin:index")).content.decode()
    assert appointment.reference in recent_actions
    assert "Zoë" not in recent_actions


def test_bulk_delete_is_recorded_for_each_request(client, boss, make_request):
    first, second = make_request(), make_request()
    data = {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    client.post(LIST_URL, data)
    assert not AppointmentRequest.objects.exists()
    deletions = [event for event in trail() if event[1] == "delete"]
    assert sorted(deletions) == sorted([("boss", "delete", first.reference), ("boss", "delete", second.reference)])


def test_no_patient_detail_reaches_the_trail_on_any_path(client, boss, make_request):
    appointment = make_request(first_name="Zoë", last_name="Secretname", email="zoe.secret@example.com")
    client.get(LIST_URL, {"q": "Secretname", "first_name": "Zoë"})
    client.get(change_url(appointment))
    client.get(admin_url("appointments_appointmentrequest_history", appointment.pk))
    client.post(admin_url("appointments_export") + "?q=Secretname&email=zoe.secret@example.com")
    client.post(change_url(appointment), change_form_data(status="contacted", note="Secretname called back"))
    client.get(admin_url("appointments_appointmentrequest_delete", appointment.pk))
    stored = repr(list(AuditEvent.objects.values()))
    assert AuditEvent.objects.filter(subject="requests").count() >= 6
    for leaked in ("Zoë", "Secretname", "zoe.secret", "2025550100"):
        assert leaked not in stored
