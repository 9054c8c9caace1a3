"""Front-desk staff work requests; editors write articles and never see a patient's request."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse, reverse_lazy

from accounts.roles import ROLES
from appointments.models import AppointmentRequest
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

REQUESTS_URL = reverse_lazy("admin:appointments_appointmentrequest_changelist")
ARTICLES_URL = reverse_lazy("admin:articles_article_changelist")


@pytest.fixture
def roles():
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115


def staff_in(group_name: str) -> User:
    user = User.objects.create_user(username=group_name.replace(" ", "-"), password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def stored_request(valid_data, client):
    client.post("/appointments/request/", valid_data)
    return AppointmentRequest.objects.get()


def test_migrate_alone_makes_the_staff_groups_with_their_permissions():
    # The test database was made by migrate, and nothing here ran setup_roles.
    groups = {g.name: g.permissions.count() for g in Group.objects.all()}
    assert groups == {name: sum(map(len, grants.values())) for name, grants in ROLES.items()}


def test_setup_roles_is_idempotent(roles):
    before = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert before == after
    assert after["Front desk"] == {
        "view_appointmentrequest",
        "change_appointmentrequest",
        "view_note",
        "add_note",
        "view_statuschange",
        "view_notification",
    }
    assert not {codename for codename in after["Editors"] if "appointment" in codename or "audit" in codename}
    assert after["Privacy officer"] == {"view_auditevent"}


def test_front_desk_sees_the_request_list_with_patient_details(roles, client, stored_request):
    client.force_login(staff_in("Front desk"))
    response = client.get(REQUESTS_URL)
    assert response.status_code == 200
    page = response.content.decode()
    for value in (stored_request.reference, "Maria", "Gonzalez", "(202) 555-0143", "maria.gonzalez@example.com"):
        assert value in page


def test_front_desk_cannot_alter_what_the_patient_sent(roles, client, stored_request):
    client.force_login(staff_in("Front desk"))
    url = reverse("admin:appointments_appointmentrequest_change", args=[stored_request.pk])
    page = client.get(url).content.decode()
    assert 'name="first_name"' not in page
    assert 'name="status"' in page
    client.post(url, change_form_data(status="contacted", first_name="Changed", phone="+15555555555"))
    stored_request.refresh_from_db()
    assert stored_request.status == "contacted"
    assert stored_request.first_name == "Maria"
    assert stored_request.phone == "+12025550143"


def test_front_desk_cannot_edit_articles(roles, client):
    client.force_login(staff_in("Front desk"))
    assert client.get(ARTICLES_URL).status_code == 403


def test_editors_cannot_see_appointment_requests(roles, client, stored_request):
    client.force_login(staff_in("Editors"))
    assert client.get(REQUESTS_URL).status_code == 403
    change_url = reverse("admin:appointments_appointmentrequest_change", args=[stored_request.pk])
    assert client.get(change_url).status_code == 403
    assert client.get(ARTICLES_URL).status_code == 200


def test_the_public_cannot_open_the_admin(client):
    response = client.get(REQUESTS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("lookup", ["appointment_requests", "appointment_requests__isnull", "appointment_requests__id"])
def test_editors_cannot_learn_where_a_request_came_from_through_the_article_filters(
    roles, client, make_request, lookup
):
    client.force_login(staff_in("Editors"))
    value = "False" if lookup.endswith("isnull") else str(make_request().pk)
    assert client.get(ARTICLES_URL, {lookup: value}).status_code == 400
    assert client.get(ARTICLES_URL, {"status__exact": "published"}).status_code == 200


def test_whoever_may_see_requests_may_filter_articles_by_them(client, make_request):
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw"))
    assert client.get(ARTICLES_URL, {"appointment_requests": str(make_request().pk)}).status_code == 200
