"""Requests that were dealt with go once the retention period is over, as the privacy notice says; open ones stay."""

import html
import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import timezone
from freezegun import freeze_time

from appointments.models import AppointmentRequest, Note, Notification, StatusChange
from appointments.retention import purge_expired
from appointments.tasks import purge_expired_requests
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = "2026-06-01 12:00:00"


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_appointments", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def dataset(make_request, settings):
    """Requests on both sides of a 90-day threshold, in every status."""
    settings.APPOINTMENT_RETENTION_DAYS = 90
    with freeze_time(NOW):
        now = timezone.now()
        old, recent = now - timedelta(days=91), now - timedelta(days=89)
        made = {
            "old_closed": make_request(status="closed", updated_at=old),
            "old_spam": make_request(status="spam", updated_at=old),
            "old_spam_2": make_request(status="spam", updated_at=now - timedelta(days=400)),
            "old_scheduled": make_request(status="scheduled", updated_at=old),
            "recent_closed": make_request(status="closed", updated_at=recent),
            "recent_spam": make_request(status="spam", updated_at=recent),
            "recent_scheduled": make_request(status="scheduled", updated_at=recent),
            "old_new": make_request(status="new", updated_at=old),
            "old_contacted": make_request(status="contacted", updated_at=old),
        }
    Note.objects.create(request=made["old_closed"], body="Called, booked.")
    StatusChange.objects.create(request=made["old_closed"], from_status="new", to_status="closed")
    Notification.objects.create(request=made["old_closed"], kind="patient", status="sent")
    return made


def remaining() -> set[str]:
    return set(AppointmentRequest.objects.values_list("reference", flat=True))


def test_purge_deletes_what_was_dealt_with_past_the_threshold(dataset):
    with freeze_time(NOW):
        output = purge()
    assert output.strip() == (
        "Deleted 4 appointment requests (1 scheduled, 1 closed, 2 spam) not changed for more than 90 days."
    )
    keep = ("recent_closed", "recent_spam", "recent_scheduled", "old_new", "old_contacted")
    assert remaining() == {dataset[name].reference for name in keep}
    assert not Note.objects.exists()
    assert not StatusChange.objects.exists()
    assert not Notification.objects.exists()


def test_the_privacy_notice_states_the_rule_the_purge_applies(client, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 90
    page = html.unescape(re.sub(r"\s+", " ", client.get("/privacy/").content.decode()))
    assert (
        "Once your request has been dealt with (your visit is booked, or the request is closed or found to be "
        "spam), we delete it 90 days after its last change." in page
    )
    assert "A request we are still working on is kept until then." in page
    # The notice's three cases are exactly what the code purges: booked, closed, spam.
    assert set(AppointmentRequest.DEALT_WITH) == {"scheduled", "closed", "spam"}


def test_purge_leaves_the_references_in_the_audit_trail(dataset):
    with freeze_time(NOW):
        purge()
    deleted = {dataset[name].reference for name in ("old_closed", "old_spam", "old_spam_2", "old_scheduled")}
    events = AuditEvent.objects.filter(action="delete", username="purge_appointments")
    assert set(events.values_list("reference", flat=True)) == deleted
    assert all("Ana" not in detail for detail in events.values_list("detail", flat=True))


def test_a_request_that_was_opened_is_purged_and_its_earlier_events_stay_as_they_were(dataset):
    """The trail names requests by reference, not by a key the deletion would have to update (or cascade)."""
    viewed = dataset["old_closed"]
    opened = AuditEvent.record(AuditEvent.Action.VIEW, username="clerk", reference=viewed.reference)
    with freeze_time(NOW):
        purge()
    assert not AppointmentRequest.objects.filter(pk=viewed.pk).exists()
    assert AuditEvent.objects.filter(pk=opened.pk, username="clerk", reference=viewed.reference).exists()


def test_dry_run_says_what_it_would_do_and_deletes_nothing(dataset):
    before = remaining()
    with freeze_time(NOW):
        output = purge("--dry-run")
    assert output.startswith("Would delete 4 appointment requests (1 scheduled, 1 closed, 2 spam)")
    assert remaining() == before
    assert not AuditEvent.objects.exists()


def test_running_it_again_the_same_day_deletes_nothing_more(dataset):
    with freeze_time(NOW):
        purge()
        assert purge().startswith("Deleted 0 appointment requests")


def test_the_threshold_follows_the_setting(dataset, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 30
    with freeze_time(NOW):
        assert purge().startswith("Deleted 7 appointment requests (2 scheduled, 2 closed, 3 spam)")


@pytest.mark.parametrize("days", ["0", "-5"])
def test_a_retention_of_less_than_a_day_is_refused_with_an_error(dataset, days):
    before = remaining()
    with pytest.raises(CommandError, match="less than one day"):
        purge("--days", days)
    assert remaining() == before


def test_days_zero_exits_non_zero_from_the_command_line(dataset):
    # call_command raises; manage.py turns CommandError into exit status 1, which a scheduler or a script sees.
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "purge_appointments", "--days", "0"]).execute()
    assert exited.value.code == 1


def test_the_scheduled_task_purges_with_the_setting(dataset):
    with freeze_time(NOW):
        counts = purge_expired_requests.call()
    assert counts == {"scheduled": 1, "closed": 1, "spam": 2}
    assert len(remaining()) == 5


def test_the_purge_itself_refuses_a_retention_under_a_day(dataset):
    before = remaining()
    with pytest.raises(ValueError, match="less than one day"):
        purge_expired(0)
    assert remaining() == before
