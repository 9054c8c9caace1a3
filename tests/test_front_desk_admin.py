"""A front-desk clerk finds what needs doing, calls, notes and moves each request in the admin."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from appointments.models import AppointmentRequest, Note, StatusChange
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

LIST_URL = reverse_lazy("admin:appointments_appointmentrequest_changelist")


def change_url(appointment: AppointmentRequest) -> str:
    return reverse("admin:appointments_appointmentrequest_change", args=[appointment.pk])


def references_in(page: str) -> list[str]:
    return re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}", page)


@pytest.fixture
def clerk(client, staff):
    user = staff("Front desk")
    client.force_login(user)
    return user


def test_list_opens_on_new_requests_oldest_waiting_first(client, clerk, make_request):
    now = timezone.now()
    contacted_oldest = make_request(status="contacted", created_at=now - timedelta(days=5))
    new_recent = make_request(created_at=now - timedelta(hours=1))
    spam = make_request(status="spam", created_at=now - timedelta(days=9))
    new_oldest = make_request(created_at=now - timedelta(days=2))
    page = client.get(LIST_URL).content.decode()
    order = list(dict.fromkeys(references_in(page)))
    assert order == [new_oldest.reference, new_recent.reference, contacted_oldest.reference, spam.reference]


def test_admin_index_counts_new_requests_and_links_to_them(client, clerk, make_request):
    make_request()
    make_request()
    make_request(status="spam")
    make_request(status="closed")
    page = client.get(reverse("admin:index")).content.decode()
    assert "2 new requests waiting for a call" in page
    assert f'href="{LIST_URL}?status__exact=new"' in page


def test_editors_see_no_request_count_on_the_admin_index(client, staff, make_request):
    make_request()
    client.force_login(staff("Editors"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "waiting for a call" not in page


def test_filters_narrow_the_list(client, clerk, make_request):
    wanted = make_request(status="contacted", new_patient=False, preferred_day="friday", preferred_time="afternoon")
    other = make_request()
    for query in ("status__exact=contacted", "new_patient__exact=0", "preferred_day__exact=friday",
                  "preferred_time__exact=afternoon"):  # fmt: skip
        page = client.get(f"{LIST_URL}?{query}").content.decode()
        assert wanted.reference in page, query
        assert other.reference not in page, query


def test_date_drill_down_shows_one_day(client, clerk, make_request):
    today = make_request()
    last_month = make_request(created_at=timezone.now() - timedelta(days=40))
    day = timezone.localdate()
    page = client.get(f"{LIST_URL}?created_at__year={day.year}&created_at__month={day.month}&created_at__day={day.day}")
    assert today.reference in page.content.decode()
    assert last_month.reference not in page.content.decode()


@pytest.mark.parametrize("typed", ["(202) 555-0143", "202.555.0143", "+1 202 555 0143", "2025550143"])
def test_search_finds_a_phone_written_another_way(client, clerk, make_request, typed):
    caller = make_request(phone="+12025550143")
    someone_else = make_request(phone="+12025550199")
    page = client.get(LIST_URL, {"q": typed}).content.decode()
    assert caller.reference in page
    assert someone_else.reference not in page


def test_search_by_name_email_and_reference(client, clerk, make_request):
    zoe = make_request(first_name="Zoë", email="zoe@example.org")
    make_request(first_name="Other", email="other@example.org")
    for term in ("Zoë", "zoe@example.org", zoe.reference):
        page = client.get(LIST_URL, {"q": term}).content.decode()
        assert set(references_in(page)) == {zoe.reference}, term


def test_status_change_is_recorded_with_who_and_when(client, clerk, make_request):
    appointment = make_request()
    response = client.post(change_url(appointment), change_form_data(status="contacted"))
    assert response.status_code == 302
    change = StatusChange.objects.get(request=appointment)
    assert (change.from_status, change.to_status, change.changed_by) == ("new", "contacted", clerk)
    page = client.get(change_url(appointment)).content.decode()
    assert "Status history" in page
    assert clerk.username in page


def test_bulk_action_moves_and_records_each_request(client, clerk, make_request):
    first, second = make_request(), make_request()
    response = client.post(
        LIST_URL, {"action": "mark_contacted", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert "2 requests marked “Contacted”." in response.content.decode()
    assert set(AppointmentRequest.objects.values_list("status", flat=True)) == {"contacted"}
    assert StatusChange.objects.filter(to_status="contacted", changed_by=clerk).count() == 2


def test_notes_form_a_thread_nobody_can_edit(client, clerk, staff, make_request):
    appointment = make_request()
    client.post(change_url(appointment), change_form_data(note="Left a voicemail."))
    note = Note.objects.get(request=appointment)
    assert (note.author, note.body) == (clerk, "Left a voicemail.")

    colleague = staff("Front desk", username="colleague")
    client.force_login(colleague)
    page = client.get(change_url(appointment)).content.decode()
    assert "Left a voicemail." in page
    assert 'name="notes-1-body"' in page  # a blank form for a new note, after the one written
    data = change_form_data(note="Called back, booked Tuesday.")
    data |= {"notes-INITIAL_FORMS": "1", "notes-0-id": str(note.pk), "notes-0-body": "Rewritten by someone else"}
    data |= {"notes-TOTAL_FORMS": "2", "notes-1-body": "Called back, booked Tuesday."}
    client.post(change_url(appointment), data)
    note.refresh_from_db()
    assert note.body == "Left a voicemail."
    assert list(Note.objects.values_list("body", "author__username")) == [
        ("Left a voicemail.", clerk.username),
        ("Called back, booked Tuesday.", "colleague"),
    ]


def test_requests_can_be_assigned_to_the_front_desk_only(client, clerk, staff, make_request):
    colleague, editor = staff("Front desk", username="colleague"), staff("Editors", username="editor")
    appointment = make_request()
    page = client.get(change_url(appointment)).content.decode()
    assert f'<option value="{colleague.pk}">colleague</option>' in page
    assert f'value="{editor.pk}"' not in page
    client.post(change_url(appointment), change_form_data(assigned_to=str(editor.pk)))
    appointment.refresh_from_db()
    assert appointment.assigned_to is None


def test_the_assign_list_and_the_requests_list_name_colleagues_by_their_full_names(client, clerk, staff, make_request):
    colleague = staff("Front desk", username="jdoe")
    colleague.first_name, colleague.last_name = "Jane", "Doe"
    colleague.save()
    appointment = make_request()
    page = client.get(change_url(appointment)).content.decode()
    assert f'<option value="{colleague.pk}">Jane Doe</option>' in page
    client.post(change_url(appointment), change_form_data(assigned_to=str(colleague.pk)))
    listing = client.get(LIST_URL).content.decode()
    assert '<td class="field-assignee">Jane Doe</td>' in listing


def test_assigning_a_request_and_filtering_my_requests(client, clerk, staff, make_request):
    mine, theirs = make_request(), make_request()
    client.post(change_url(mine), change_form_data(assigned_to=str(clerk.pk)))
    mine.refresh_from_db()
    assert mine.assigned_to == clerk
    page = client.get(LIST_URL, {"assigned": "me"}).content.decode()
    assert mine.reference in page
    assert theirs.reference not in page


def test_possible_duplicates_are_linked_from_the_request(client, clerk, make_request):
    first = make_request(phone="+12025550143", email="a@example.com", created_at=timezone.now() - timedelta(days=3))
    same_email = make_request(phone="+12025550111", email="A@example.com")
    long_ago = make_request(phone="+12025550143", created_at=timezone.now() - timedelta(days=200))
    unrelated = make_request(phone="+12025550122", email="b@example.com")
    page = client.get(change_url(same_email)).content.decode()
    assert f'href="{change_url(first)}"' in page
    for not_shown in (long_ago, unrelated):
        assert f'href="{change_url(not_shown)}"' not in page


def test_the_list_flags_possible_duplicates(client, clerk, make_request):
    make_request(phone="+12025550143", email="a@example.com")
    make_request(phone="+12025550143", email="other@example.com")
    make_request(phone="+12025550122", email="b@example.com")
    page = client.get(LIST_URL).content.decode()
    flags = re.findall(r'<td class="field-possible_duplicate"><img src="[^"]*icon-(yes|no)', page)
    assert sorted(flags) == ["no", "yes", "yes"]


def test_front_desk_cannot_delete_requests(client, clerk, make_request):
    appointment = make_request()
    delete_url = reverse("admin:appointments_appointmentrequest_delete", args=[appointment.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AppointmentRequest.objects.filter(pk=appointment.pk).exists()


def test_editors_cannot_add_notes_or_move_requests(client, staff, make_request):
    appointment = make_request()
    client.force_login(staff("Editors"))
    response = client.post(change_url(appointment), change_form_data(status="closed", note="Not mine to write"))
    assert response.status_code == 403
    response = client.post(LIST_URL, {"action": "mark_closed", "_selected_action": [appointment.pk]})
    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "new"
    assert not Note.objects.exists()


def test_the_list_shows_what_the_desk_triages_by_first_and_phones_ready_to_dial(client, clerk, make_request):
    make_request(first_name="Zoë", last_name="Müller", phone="+12025550143")
    page = client.get(LIST_URL).content.decode()
    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert headers[:6] == ["reference", "status", "created_at", "name", "phone_number", "possible_duplicate"]
    assert "Zoë Müller" in page
    assert "(202) 555-0143" in page


def test_a_request_shows_its_phone_as_a_link_to_call(client, clerk, make_request):
    appointment = make_request(phone="+12025550143")
    page = client.get(change_url(appointment)).content.decode()
    assert '<a href="tel:+12025550143">(202) 555-0143</a>' in page
    assert "E.164" not in page


def test_notes_and_status_history_name_colleagues_without_links_the_desk_cannot_open(client, clerk, make_request):
    appointment = make_request()
    clerk.first_name, clerk.last_name = "Fran", "Desk"
    clerk.save()
    client.post(change_url(appointment), change_form_data(status="contacted", note="Left a voicemail."))
    page = client.get(change_url(appointment)).content.decode()
    assert page.count("Fran Desk") == 3, "in the status history, on the note and in the assign list"
    assert reverse("admin:auth_user_changelist") not in page
