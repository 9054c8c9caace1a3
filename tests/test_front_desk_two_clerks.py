"""Two clerks have the same request open: a save never undoes, unseen, what a colleague just did."""

import pytest
from django.urls import reverse

from appointments.admin.forms import MESSAGES
from appointments.models import AppointmentRequest, Note, StatusChange
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db


def change_url(appointment: AppointmentRequest) -> str:
    return reverse("admin:appointments_appointmentrequest_change", args=[appointment.pk])


@pytest.fixture
def clerks(client, staff):
    first, second = staff("Front desk", "fran"), staff("Front desk", "sam")
    return first, second


def page_as_opened(appointment, **fields) -> dict:
    """The form as the page showed it when the clerk opened it (before a colleague's save)."""
    seen = {"status_seen": appointment.status, "assigned_seen": str(appointment.assigned_to_id or "")}
    defaults = {"status": appointment.status, "assigned_to": str(appointment.assigned_to_id or "")}
    return change_form_data(**(defaults | seen | fields))


def test_a_note_on_a_stale_page_keeps_the_status_a_colleague_just_set(client, clerks, make_request):
    first, second = clerks
    appointment = make_request()
    stale = page_as_opened(appointment, note="Called back, no answer.")
    client.force_login(first)
    client.post(change_url(appointment), page_as_opened(appointment, status="contacted", assigned_to=str(first.pk)))
    client.force_login(second)
    response = client.post(change_url(appointment), stale)
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.status, appointment.assigned_to) == ("contacted", first)
    assert Note.objects.get().body == "Called back, no answer."
    assert list(StatusChange.objects.values_list("from_status", "to_status")) == [("new", "contacted")]


def test_both_clerks_moving_the_status_is_refused_with_the_new_status_named(client, clerks, make_request):
    first, second = clerks
    appointment = make_request()
    stale = page_as_opened(appointment, status="closed")
    client.force_login(first)
    client.post(change_url(appointment), page_as_opened(appointment, status="scheduled"))
    client.force_login(second)
    response = client.post(change_url(appointment), stale)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["status"]
    assert errors == [MESSAGES["status_moved"] % {"status": "Scheduled"}]
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
    # Saving again from the page shown now goes through.
    page = response.content.decode()
    assert 'name="status_seen" value="scheduled"' in page
    again = page_as_opened(appointment, status="closed")
    assert client.post(change_url(appointment), again).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "closed"


def test_a_stale_page_does_not_take_back_a_colleagues_assignment(client, clerks, make_request):
    first, second = clerks
    appointment = make_request()
    stale = page_as_opened(appointment, note="Left a voicemail.")
    client.force_login(first)
    client.post(change_url(appointment), page_as_opened(appointment, assigned_to=str(first.pk)))
    client.force_login(second)
    assert client.post(change_url(appointment), stale).status_code == 302
    appointment.refresh_from_db()
    assert appointment.assigned_to == first


def test_the_page_remembers_what_it_showed(client, clerks, make_request):
    first, _second = clerks
    appointment = make_request(status="contacted", assigned_to=first)
    client.force_login(first)
    page = client.get(change_url(appointment)).content.decode()
    assert 'name="status_seen" value="contacted"' in page
    assert f'name="assigned_seen" value="{first.pk}"' in page


def test_both_clerks_assigning_it_is_refused_with_the_colleague_named(client, clerks, make_request):
    first, second = clerks
    appointment = make_request()
    stale = page_as_opened(appointment, assigned_to=str(second.pk))
    client.force_login(first)
    client.post(change_url(appointment), page_as_opened(appointment, assigned_to=str(first.pk)))
    client.force_login(second)
    response = client.post(change_url(appointment), stale)
    assert response.context["adminform"].form.errors["assigned_to"] == [
        MESSAGES["assignment_moved"] % {"person": first}
    ]
    appointment.refresh_from_db()
    assert appointment.assigned_to == first
